import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The web console's API types (apps/web/src/api/schema.d.ts) are generated from the OpenAPI
 * document, built in-process without a server, and committed: this fails when they no longer
 * match the API (run `npm run web:api-types`). A stale copy checked beside it shows the check
 * can fail.
 */
describe('the web console\'s generated API types', () => {
  const root = join(__dirname, '../..');
  const committed = join(root, 'apps/web/src/api/schema.d.ts');
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'web-api-types-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('match the API\'s OpenAPI document; a stale copy is caught', () => {
    // A copy that misses one operation of the API, as after a route was added.
    const stale = join(dir, 'schema.d.ts');
    writeFileSync(stale, readFileSync(committed, 'utf8').replace('"/api/plans/{id}/why"', '"/api/plans/{id}/why-not"'));
    const run = spawnSync(process.execPath, ['-e', "require('./bin/run-ts')('apps/api/src/web-api-types-main.ts')", '--', '--check', committed, stale], { cwd: root, encoding: 'utf8', timeout: 110_000 });
    const lines = run.stderr.trim().split('\n');
    expect(lines).toEqual([`${committed} 与 API 一致`, `${stale} 与 API 的 OpenAPI 文档不一致:运行 npm run web:api-types 重新生成`]);
    expect(run.status).toBe(1);
  });
});
