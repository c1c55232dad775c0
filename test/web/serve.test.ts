import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { call, startTestApi, TestApi } from '../api/support';

/**
 * The API serves the built web console at / (apps/api/src/web.ts): its files, its page for the
 * console's own paths, never anything outside its folder, and /api as before. A folder without
 * a build answers a Chinese page saying how to build it.
 */
/** A script of some size, as a bundle is: repetitive text that gzip shrinks. */
const SCRIPT = Array.from({ length: 2000 }, (_, i) => `export const label${i % 50} = '第${i % 50}项';`).join('\n');

/** A GET with the raw bytes as they came over the wire (node:http does not decompress). */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolveGet, reject) => {
    get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolveGet({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

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
    writeFileSync(join(dist, 'assets/vendor-def456.js'), SCRIPT);
    writeFileSync(join(dist, 'assets/logo-1.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
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

  it('sends its scripts and page gzipped to a browser that takes gzip, and as they are otherwise', async () => {
    const gz = await rawGet(`${api.url}/assets/vendor-def456.js`, { 'accept-encoding': 'gzip, deflate, br' });
    expect([gz.status, gz.headers['content-encoding'], gz.headers.vary, gz.headers['cache-control']]).toEqual([200, 'gzip', 'Accept-Encoding', 'public, max-age=31536000, immutable']);
    expect(gunzipSync(gz.body).toString('utf8')).toBe(SCRIPT);
    expect(gz.body.length).toBeLessThan(Buffer.byteLength(SCRIPT) / 3);
    // Asked again: the same bytes (kept, not gzipped anew).
    expect((await rawGet(`${api.url}/assets/vendor-def456.js`, { 'accept-encoding': 'gzip' })).body.equals(gz.body)).toBe(true);
    const page = await rawGet(`${api.url}/plans/p-1`, { 'accept-encoding': 'gzip' });
    expect([page.headers['content-encoding'], gunzipSync(page.body).toString('utf8')]).toEqual(['gzip', expect.stringContaining('<div id="root"></div>')]);

    const asked: Array<Record<string, string>> = [{}, { 'accept-encoding': 'identity' }, { 'accept-encoding': 'gzip;q=0, identity' }];
    for (const headers of asked) {
      const plain = await rawGet(`${api.url}/assets/vendor-def456.js`, headers);
      expect([JSON.stringify(headers), plain.headers['content-encoding'], plain.body.toString('utf8') === SCRIPT]).toEqual([JSON.stringify(headers), undefined, true]);
    }
    // An image is compressed already: sent as it is.
    const png = await rawGet(`${api.url}/assets/logo-1.png`, { 'accept-encoding': 'gzip' });
    expect([png.headers['content-encoding'], png.body.equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]))]).toEqual([undefined, true]);
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
