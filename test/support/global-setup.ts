// Bundles the workflows once for the whole run; every test worker loads the same file.
// (Relative imports: jest loads this file before its module name mapping applies.)
import { bundleWorkflowCode } from '@temporalio/worker';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workflowBundleOptions } from '../../libs/adapters/temporal/src/bundle';

export default async function globalSetup(): Promise<void> {
  const root = join(__dirname, '../..');
  const bundle = await bundleWorkflowCode({ ...workflowBundleOptions(root), logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error } });
  const dir = join(root, '.data/cache');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'workflow-bundle.js'), bundle.code);
  process.env.REFORM_WORKFLOW_BUNDLE = join(dir, 'workflow-bundle.js');
}
