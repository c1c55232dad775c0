import { toolPaths } from '@reform/config';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Runtime, DefaultLogger } from '@temporalio/worker';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '../..');

let runtimeInstalled = false;

/** The real Java time-skipping test server, installed by scripts/ensure.sh. */
export async function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('WARN'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } } });
    runtimeInstalled = true;
  }
  const path = toolPaths(ROOT).testServer;
  if (!existsSync(path)) throw new Error(`Temporal test server missing at ${path}: run 'bash scripts/ensure.sh test'`);
  // The SDK gives the server a fixed 5 s to answer; a JVM on a busy machine can take longer.
  for (let attempt = 1; ; attempt++) {
    try {
      return await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } });
    } catch (err) {
      if (attempt >= 3 || !/did not start within/.test((err as Error).message)) throw err;
    }
  }
}

/** The workflow bundle built by global-setup, so workers start without bundling again. */
export function workflowBundle(): { codePath: string } {
  const codePath = process.env.REFORM_WORKFLOW_BUNDLE ?? join(ROOT, '.data/cache/workflow-bundle.js');
  return { codePath };
}
