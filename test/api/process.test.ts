import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STANDARD_PROCEDURE_IDS } from '@reform/platform';
import { ROOT } from '../support/temporal';
import { call, leaks } from './support';

/**
 * The API as it runs for real: `node bin/api.js` (tsx, NestJS loaded as ESM by Node itself, not
 * through jest's transform), on a fresh data folder, with Temporal not reachable.
 */
describe('the API process (bin/api.js)', () => {
  let child: ChildProcess;
  let dataDir: string;
  let url: string;
  let stdout = '';
  let stderr = '';

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'reform-api-'));
    child = spawn(process.execPath, [join(ROOT, 'bin/api.js')], {
      env: { ...process.env, REFORM_DATA_DIR: dataDir, REFORM_API_PORT: '0', TEMPORAL_ADDRESS: '127.0.0.1:1', DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start line in 90 s: ${stderr}`)), 90_000);
      child.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString();
        const m = /已启动:.*接口 (http:\/\/[^/\s]+)\/api/.exec(stderr);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
    });
  });

  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the document, Swagger UI, the procedures, errors in the shape, and health 503 while Temporal is down', async () => {
    const docs = await fetch(`${url}/api/docs`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger-ui');
    expect((await fetch(`${url}/api/docs/swagger-ui-bundle.js`)).status).toBe(200);

    const doc = (await call({ url }, 'GET', '/api/docs-json')).json as unknown as { paths: Record<string, Record<string, { requestBody?: unknown }>> };
    expect(doc.paths['/api/rules/check'].post.requestBody).toEqual(expect.objectContaining({ required: true }));

    const procedures = await call({ url }, 'GET', '/api/procedures');
    expect((procedures.json.procedures as Array<{ id: string }>).map((p) => p.id).sort()).toEqual([...STANDARD_PROCEDURE_IDS].sort());

    const bad = await call({ url }, 'POST', '/api/rules/check', { body: { files: [{ name: 'x.rules', text: '程序' }] } });
    expect(bad.status).toBe(422);
    expect(bad.json.error!.diagnostics![0]).toEqual(expect.objectContaining({ file: 'x.rules', line: 1 }));

    const missing = await call({ url }, 'GET', '/api/nothing', { headers: { 'x-request-id': 'proc-404' } });
    expect(missing.status).toBe(404);
    expect(missing.json.error).toEqual(expect.objectContaining({ message: '没有这个接口:GET /api/nothing', requestId: 'proc-404' }));

    const health = await call({ url }, 'GET', '/api/health');
    expect(health.status).toBe(503);
    expect(health.json).toEqual(expect.objectContaining({ status: 'down', checks: expect.objectContaining({ database: { ok: true, message: '正常' }, temporal: expect.objectContaining({ ok: false }) }) }));

    for (const r of [bad, missing, health]) expect(leaks(r.text)).toEqual([]);
    // One JSON log line per request, with its id.
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'request', requestId: 'proc-404', method: 'GET', route: '(unmatched)', status: 404 }));
  });

  it('stops on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
