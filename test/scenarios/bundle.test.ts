import { quietLogger, workflowBundleOptions } from '@reform/temporal';
import { bundleWorkflowCode } from '@temporalio/worker';
import { ROOT } from '../support/temporal';

describe('workflow bundle', () => {
  it('resolves the monorepo path aliases and keeps I/O libraries out', async () => {
    const warnings: string[] = [];
    const { code } = await bundleWorkflowCode({
      ...workflowBundleOptions(ROOT),
      logger: { log() {}, trace() {}, debug() {}, info() {}, warn: (m: string) => warnings.push(m), error: (m: string) => warnings.push(m) },
    });
    expect(code).toContain('procedureWorkflow');
    expect(code).toContain('blockersFor');
    for (const banned of ['typeorm', 'better-sqlite3', '@temporalio/client/lib']) expect(code).not.toContain(`node_modules/${banned}`);
    expect(warnings).toEqual([]);
  });

  it('keeps zod, the schemas and the shipped holiday data out: every cached workflow would load its own copy', async () => {
    const { code } = await bundleWorkflowCode({ ...workflowBundleOptions(ROOT), logger: quietLogger });
    // Webpack names every module it includes by its path.
    for (const banned of ['node_modules/zod', 'libs/model/definitions/src/definition.ts', 'libs/model/definitions/src/plan.ts', 'libs/model/calendar/src/schemas.ts', 'libs/model/calendar/src/data/']) {
      expect(code).not.toContain(banned);
    }
    expect(code).toContain('libs/model/definitions/src/references.ts');
  });
});
