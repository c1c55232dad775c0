import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEMPORAL_SERVER_VERSION, TEMPORAL_UI_VERSION } from './cluster';

// The Temporal releases scripts/ensure.sh builds are pinned outside TypeScript: the CLI and the
// server in tools/temporal-server/go.mod (the server is built from that module, ensure.sh reads
// both versions there), the Web UI server in ensure.sh. The code that runs them names the same.
const ROOT = join(__dirname, '../../../..');
const goMod = readFileSync(join(ROOT, 'tools/temporal-server/go.mod'), 'utf8');
const required = (module: string) => goMod.split('\n').map((line) => line.trim().split(/\s+/)).find(([m, v]) => m === module && /^v\d/.test(v ?? ''))?.[1];

describe('the Temporal versions built and the versions run', () => {
  it('tools/temporal-server/go.mod requires the Temporal CLI and the server release reform cluster configures', () => {
    expect(required('github.com/temporalio/cli')).toMatch(/^v\d+\.\d+\.\d+$/);
    expect(required('go.temporal.io/server')).toBe(TEMPORAL_SERVER_VERSION);
  });

  it('the module builds the server and its SQL tool as tools', () => {
    const tools = /^tool \(\n([^)]*)\)/m.exec(goMod)?.[1].split('\n').map((l) => l.trim()).filter(Boolean);
    expect(tools).toEqual(expect.arrayContaining(['go.temporal.io/server/cmd/server', 'go.temporal.io/server/cmd/tools/sql']));
  });

  it('scripts/ensure.sh builds the Web UI server release reform cluster runs', () => {
    expect(/^TEMPORAL_UI_VERSION="([^"]+)"/m.exec(readFileSync(join(ROOT, 'scripts/ensure.sh'), 'utf8'))?.[1]).toBe(TEMPORAL_UI_VERSION);
  });
});
