import type { AuditService } from '@reform/audit';
import { SHIPPED_HOLIDAYS } from '@reform/calendar';
import { Harness } from '../support/harness';
import type { INestApplication, Type } from '@nestjs/common';
import { UnitDirectory, UserAccounts } from '@reform/identity';
import type { AuthOptions, Clock } from '@reform/identity';
import { DefinitionStore, LetterStore } from '@reform/persistence';
import { PlanService, seedStandardProcedures } from '@reform/plans';
import { readRulesDir, STANDARD_RULES_DIR } from '@reform/procedures';
import { basename } from 'node:path';
import type { AddressInfo } from 'node:net';
import { request as httpRequest } from 'node:http';
import { ApiDeps, ApiOptions, LogEntry } from '../../apps/api/src/deps';
import { createApi } from '../../apps/api/src/create-api';
import { ApiMetrics } from '../../apps/api/src/ops/metrics';
import { platformServices } from '../../apps/api/src/platform';
import { DbKind, testDatabase, TestDatabase } from '../support/db';
import type { FuzzRequest, Operation } from './openapi';

/** The standard rules files, as `reform start` hands them to the API (shared declarations for uploads). */
export const standardRulesFiles = () => readRulesDir(STANDARD_RULES_DIR).map((f) => ({ name: basename(f.name), text: f.text }));

/** An API on a fresh database with the standard procedures published, listening on a free port; the log lines it wrote. */
export interface TestApi {
  app: INestApplication;
  url: string;
  db: TestDatabase;
  deps: ApiDeps;
  logs: LogEntry[];
  close(): Promise<void>;
}

export async function startTestApi(
  opts: { db?: DbKind; options?: ApiOptions; deps?: Partial<ApiDeps>; controllers?: Type[]; /** Auth settings and the clock of login, tokens and lockout; where evidence files go. */ platform?: { auth?: Partial<AuthOptions>; clock?: Clock; evidence?: { dir: string; maxBytes?: number } } } = {},
): Promise<TestApi> {
  const db = await testDatabase(opts.db ?? 'sqlite');
  const definitions = new DefinitionStore(db.ds);
  await seedStandardProcedures(definitions);
  const logs: LogEntry[] = [];
  const deps: ApiDeps = {
    db: db.ds,
    definitions,
    letters: new LetterStore(db.ds),
    standardRules: standardRulesFiles,
    metrics: new ApiMetrics({ defaultMetrics: false }),
    log: (e) => logs.push(e),
    ...opts.deps,
  };
  // Identity, audit and (with a PlanService) the plan desk over the same database, as start wires them.
  Object.assign(deps, await platformServices({ db: db.ds, plans: deps.plans, definitions, log: deps.log, metrics: deps.metrics, ...opts.platform }), opts.deps);
  const app = await createApi(deps, opts.options, opts.controllers);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    db,
    deps,
    logs,
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}

/**
 * One request (node:http: fetch costs the client more than the server spends on most answers,
 * and the fuzz and matrix files send thousands). It sends what fetch would of the headers the
 * API reads: a text body without a content type goes as text/plain;charset=UTF-8.
 */
export function call(api: { url: string }, method: string, path: string, init: { body?: unknown; raw?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string | number> = { accept: '*/*', ...init.headers };
  let body: string | undefined = init.raw;
  if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['content-type'] ??= 'application/json';
  }
  if (body !== undefined) {
    headers['content-type'] ??= 'text/plain;charset=UTF-8';
    headers['content-length'] = Buffer.byteLength(body);
  }
  const target = new URL(`${api.url}${path}`);
  return new Promise<{ status: number; headers: Headers; text: string; json: CallJson }>((resolve, reject) => {
    const req = httpRequest({ host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const received = new Headers();
        for (let i = 0; i < res.rawHeaders.length; i += 2) received.append(res.rawHeaders[i], res.rawHeaders[i + 1]);
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: received, text, json: json as CallJson });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

type CallJson = { error?: { status: number; code: string; message: string; requestId: string; issues?: Array<{ path: string; message: string }>; diagnostics?: Array<Record<string, unknown>> } } & Record<string, unknown>;

/** What no response may contain: a stack trace line, an exception name, SQL. */
export const LEAKS = [/\bat [\w.<>]+ \(/, /Error:/, /\bSELECT\b|\bINSERT\b|\bFROM\s+\w+/i, /node_modules/, /\.ts:\d+/];
export const leaks = (text: string) => LEAKS.filter((re) => re.test(text)).map(String);

/**
 * Sends one generated request to the operation (with `headers`, a token say) and answers its
 * status; throws on a 5xx the operation does not document or a response that leaks internals,
 * and checks that an error is in the one error shape.
 */
export async function fuzzOnce(api: { url: string }, op: Operation, input: FuzzRequest, headers: Record<string, string> = {}): Promise<number> {
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(input.params[name])).replace(/%25/g, (m) => (Math.random() < 0.5 ? '%' : m)));
  const query = new URLSearchParams(input.query).toString();
  const all: Record<string, string> = { ...headers, ...(input.contentType ? { 'content-type': input.contentType } : {}) };
  // fetch sends no body with GET.
  const raw = op.method === 'GET' ? undefined : (input.raw ?? (input.body === undefined ? undefined : JSON.stringify(input.body)));
  const r = await call(api, op.method, `${path}${query ? `?${query}` : ''}`, { raw, headers: all });
  const allowed5xx = Object.keys(op.responses).filter((s) => s.startsWith('5'));
  const fine = r.status < 500 || allowed5xx.includes(String(r.status));
  if (!fine || leaks(r.text).length) throw new Error(`${op.method} ${path} → ${r.status}: ${r.text.slice(0, 300)}`);
  // An error not documented otherwise (health's 503 has its own schema) is in the error shape.
  const documented = op.responses[String(r.status)]?.content?.['application/json']?.schema.$ref;
  if (r.status >= 400 && (documented ?? '#/components/schemas/Error') === '#/components/schemas/Error' && !(r.json?.error?.status === r.status && typeof r.json.error.requestId === 'string')) {
    throw new Error(`${op.method} ${path} → ${r.status} not in the error shape: ${r.text.slice(0, 300)}`);
  }
  return r.status;
}

/** The password of every user seedTestProvince makes. */
export const TEST_PASSWORD = 'correct-horse-battery';

type TestUnit = [regionId: string, id: string, name: string, kind: 'reform_office' | 'leading_group' | 'special_group' | 'department' | 'legal_office', area?: string];

/**
 * Province 示范省 with one city, 甲市; the units each role needs, one user each (username = unit
 * id, password TEST_PASSWORD), and any `extra` units a test needs besides.
 */
export async function seedTestProvince(ds: ApiDeps['db'], extra: TestUnit[] = []): Promise<void> {
  const dir = new UnitDirectory(ds);
  const accounts = new UserAccounts(ds);
  await dir.addRegion({ id: 'sf', name: '示范省', level: 'province' });
  await dir.addRegion({ id: 'jia', name: '示范省甲市', level: 'city', parentId: 'sf' });
  const units: TestUnit[] = [
    ['sf', 'sf-ndrc', '示范省发展和改革委员会', 'department'],
    ['sf', 'sf-edu', '示范省教育厅', 'department'],
    ['sf', 'sf-econ', '示范省经济体制改革专项小组', 'special_group', '经济体制改革'],
    ['sf', 'sf-legal', '示范省司法厅', 'legal_office'],
    ['sf', 'sf-reform', '示范省改革办', 'reform_office'],
    ['jia', 'jia-reform', '甲市改革办', 'reform_office'],
    ...extra,
  ];
  for (const [regionId, id, name, kind, area] of units) {
    await dir.addUnit({ id, name, kind, regionId, area: area ?? null });
    await accounts.create({ username: id, displayName: `${name}经办人`, unitId: id, roles: ['staff'], password: TEST_PASSWORD });
  }
}

/** An API over the real Temporal test server and a database (a Harness), on the seeded test province, with users logged in. */
export interface HarnessApi {
  h: Harness;
  url: string;
  plans: PlanService;
  audit: AuditService;
  /** Access tokens of the users logged in, by username. */
  tokens: Record<string, string>;
  close(): Promise<void>;
}

export async function startHarnessApi(
  kind: DbKind,
  opts: { logins: string[]; extraUnits?: TestUnit[]; evidence?: { dir: string; maxBytes?: number }; documents?: { office: { name: string; sealImage?: string }; fontDir?: string }; /** The API's options (the web console's folder, say). */ apiOptions?: ApiOptions },
): Promise<HarnessApi> {
  // The procedures and the province go in while the worker starts.
  const h = await Harness.create(kind, {
    prepare: async (db) => {
      await seedStandardProcedures(new DefinitionStore(db.ds));
      await seedTestProvince(db.ds, opts.extraUnits);
    },
  });
  let app: INestApplication | undefined;
  const close = async () => {
    await app?.close();
    await h.close();
  };
  try {
    const definitions = new DefinitionStore(h.db.ds);
    const now = () => h.env.currentTimeMs();
    const plans = new PlanService(h.env.client, h.taskQueue, definitions, SHIPPED_HOLIDAYS, h.letters, now);
    const log = () => undefined;
    const platform = await platformServices({ db: h.db.ds, plans, definitions, log, now, evidence: opts.evidence, standardRules: standardRulesFiles, documents: opts.documents });
    const deps: ApiDeps = { db: h.db.ds, definitions, letters: h.letters, plans, standardRules: standardRulesFiles, metrics: new ApiMetrics({ defaultMetrics: false }), log, ...platform };
    app = await createApi(deps, opts.apiOptions);
    await app.listen(0, '127.0.0.1');
    const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const tokens: Record<string, string> = {};
    await Promise.all(
      opts.logins.map(async (user) => {
        const r = await call({ url }, 'POST', '/api/auth/login', { body: { username: user, password: TEST_PASSWORD } });
        if (r.status !== 200) throw new Error(`login of ${user}: ${r.status} ${r.text}`);
        tokens[user] = String(r.json.accessToken);
      }),
    );
    return { h, url, plans, audit: platform.audit!, tokens, close };
  } catch (e) {
    await close();
    throw e;
  }
}
