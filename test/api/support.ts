import type { INestApplication, Type } from '@nestjs/common';
import type { AuthOptions, Clock } from '@reform/identity';
import { DefinitionStore, LetterStore } from '@reform/persistence';
import { seedStandardProcedures } from '@reform/plans';
import { readRulesDir, STANDARD_RULES_DIR } from '@reform/procedures';
import { basename } from 'node:path';
import type { AddressInfo } from 'node:net';
import { ApiDeps, ApiOptions, LogEntry } from '../../apps/api/src/deps';
import { createApi } from '../../apps/api/src/create-api';
import { ApiMetrics } from '../../apps/api/src/ops/metrics';
import { platformServices } from '../../apps/api/src/platform';
import { DbKind, testDatabase, TestDatabase } from '../support/db';

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
  opts: { db?: DbKind; options?: ApiOptions; deps?: Partial<ApiDeps>; controllers?: Type[]; /** Auth settings and the clock of login, tokens and lockout. */ platform?: { auth?: Partial<AuthOptions>; clock?: Clock } } = {},
): Promise<TestApi> {
  const db = await testDatabase(opts.db ?? 'sqlite');
  const definitions = new DefinitionStore(db.ds);
  await seedStandardProcedures(definitions);
  const logs: LogEntry[] = [];
  const deps: ApiDeps = {
    db: db.ds,
    definitions,
    letters: new LetterStore(db.ds),
    standardRules: () => readRulesDir(STANDARD_RULES_DIR).map((f) => ({ name: basename(f.name), text: f.text })),
    metrics: new ApiMetrics({ defaultMetrics: false }),
    log: (e) => logs.push(e),
    ...opts.deps,
  };
  // Identity, audit and (with a PlanService) the plan desk over the same database, as start wires them.
  Object.assign(deps, await platformServices({ db: db.ds, plans: deps.plans, definitions, log: deps.log, ...opts.platform }), opts.deps);
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

export async function call(api: { url: string }, method: string, path: string, init: { body?: unknown; raw?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...init.headers };
  let body: string | undefined = init.raw;
  if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${api.url}${path}`, { method, headers, body });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json: json as { error?: { status: number; code: string; message: string; requestId: string; issues?: Array<{ path: string; message: string }>; diagnostics?: Array<Record<string, unknown>> } } & Record<string, unknown> };
}

/** What no response may contain: a stack trace line, an exception name, SQL. */
export const LEAKS = [/\bat [\w.<>]+ \(/, /Error:/, /\bSELECT\b|\bINSERT\b|\bFROM\s+\w+/i, /node_modules/, /\.ts:\d+/];
export const leaks = (text: string) => LEAKS.filter((re) => re.test(text)).map(String);
