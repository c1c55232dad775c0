// Bundles the workflows once for the whole run (or reuses the bundle the product keeps while its
// sources are unchanged: the second jest pass of scripts/test.sh and the e2e files' workers then
// do not bundle again); every test worker loads the same file.
// (Relative imports: jest loads this file before its module name mapping applies.)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workflowBundle } from '../../libs/adapters/temporal/src/worker';

export default async function globalSetup(): Promise<void> {
  const root = join(__dirname, '../..');
  const bundle = await workflowBundle(root);
  const dir = join(root, '.data/cache');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'workflow-bundle.js'), bundle.code);
  process.env.REFORM_WORKFLOW_BUNDLE = join(dir, 'workflow-bundle.js');
}
