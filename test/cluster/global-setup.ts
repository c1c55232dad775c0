// Says, before the cluster test runs, which of its checks this machine cannot make: the check that
// Temporal's Web UI lists the plans' workflows runs only when scripts/ensure.sh cluster built the
// UI server (`npm run cluster`, `npm run test:cluster`); `npm test` does not build it.
// (Relative imports: jest loads this file before its module name mapping applies.)
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { toolPaths } from '../../libs/adapters/config/src/tools';

export default function globalSetup(): void {
  const ui = toolPaths(join(__dirname, '../..')).temporalUiVersionFile;
  if (!existsSync(ui)) {
    process.stderr.write(`\n[cluster test] Temporal's Web UI server is not built (${ui} absent): the cluster runs without it and the test does not check that the UI lists the plans' workflows. bash scripts/ensure.sh cluster builds it.\n\n`);
  }
}
