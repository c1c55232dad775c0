import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, startTestApi, TestApi } from '../api/support';

/**
 * The API serves the built web console at / (apps/api/src/web.ts): its files, its page for the
 * console's own paths, never anything outside its folder, and /api as before. A folder without
 * a build answers a Chinese page saying how to build it.
 */
describe('the web console served by the API', () => {
  let dir: string;
  let api: TestApi;
  let unbuilt: TestApi;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'web-dist-'));
    const dist = join(dir, 'dist');
    mkdirSync(join(dist, 'assets'), { recursive: true });
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>改革落实闭环</title><div id="root"></div>');
    writeFileSync(join(dist, 'assets/index-abc123.js'), 'console.log(1)');
    writeFileSync(join(dir, 'secret.txt'), 'outside');
    mkdirSync(join(dir, 'empty'));
    [api, unbuilt] = await Promise.all([startTestApi({ options: { webDir: dist } }), startTestApi({ options: { webDir: join(dir, 'empty') } })]);
  });
  afterAll(async () => {
    await Promise.all([api?.close(), unbuilt?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers its page at / and at the console\'s own paths, its assets cached for good', async () => {
    for (const path of ['/', '/index.html', '/plans/p-1', '/ledger/']) {
      const r = await call(api, 'GET', path);
      expect([path, r.status, r.headers.get('content-type'), r.headers.get('cache-control')]).toEqual([path, 200, 'text/html; charset=utf-8', 'no-cache']);
      expect(r.text).toContain('<div id="root"></div>');
    }
    const js = await call(api, 'GET', '/assets/index-abc123.js');
    expect([js.status, js.headers.get('content-type'), js.headers.get('cache-control'), js.text]).toEqual([200, 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable', 'console.log(1)']);
    const head = await fetch(`${api.url}/`, { method: 'HEAD' });
    expect([head.status, await head.text()]).toEqual([200, '']);
  });

  it('leaves /api to the API, and answers a missing file or a path out of its folder with the API\'s 404', async () => {
    expect((await call(api, 'GET', '/api/procedures')).status).toBe(200);
    const unknown = await call(api, 'GET', '/api/no-such-route');
    expect([unknown.status, unknown.json.error?.code]).toEqual([404, 'not_found']);
    for (const path of ['/assets/missing.js', '/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const r = await call(api, 'GET', path);
      expect([path, r.status, r.text]).toEqual([path, 404, expect.not.stringContaining('outside')]);
    }
    // Not a page to serve: a POST outside /api is the API's 404 as before.
    expect((await call(api, 'POST', '/plans/p-1', { body: {} })).status).toBe(404);
  });

  it('says how to build the console when it has not been built', async () => {
    const r = await call(unbuilt, 'GET', '/');
    expect([r.status, r.headers.get('content-type')]).toEqual([503, 'text/html; charset=utf-8']);
    expect(r.text).toContain('网页控制台尚未构建');
    expect(r.text).toContain('npm run web:build');
  });
});
