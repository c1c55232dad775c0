import { SHIPPED_HOLIDAYS } from '@reform/calendar';
import { AuthOptions, Clock, DemoLogin, seedDemo } from '@reform/identity';
import { DefinitionStore } from '@reform/persistence';
import { PlanService, seedStandardProcedures } from '@reform/plans';
import { readRulesDir, STANDARD_RULES_DIR } from '@reform/procedures';
import type { INestApplication } from '@nestjs/common';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename } from 'node:path';
import { createApi } from '../../apps/api/src/create-api';
import { ApiDeps, ApiOptions, LogEntry } from '../../apps/api/src/deps';
import { ApiMetrics } from '../../apps/api/src/ops/metrics';
import { platformServices } from '../../apps/api/src/platform';
import { DbKind } from '../support/db';
import { Harness } from '../support/harness';

/**
 * The demo province of `npm start` (seedDemo: 示范省, 甲市, 东城区 with a login per unit, username =
 * unit id) behind a real API, over a real database and the real time-skipping Temporal server
 * with a worker: what the offices' clients talk to.
 */
export interface DemoWorld {
  h: Harness;
  app: INestApplication;
  url: string;
  deps: ApiDeps;
  logs: LogEntry[];
  /** Passwords of the demo logins, by username. */
  passwords: Record<string, string>;
  close(): Promise<void>;
}

export async function startDemoWorld(kind: DbKind, opts: { auth?: Partial<AuthOptions>; clock?: Clock; options?: ApiOptions } = {}): Promise<DemoWorld> {
  // The procedures and the demo province go in while the worker starts.
  let seeded: Awaited<ReturnType<typeof seedDemo>> | undefined;
  const h = await Harness.create(kind, {
    prepare: async (db) => {
      await seedStandardProcedures(new DefinitionStore(db.ds));
      seeded = await seedDemo(db.ds);
    },
  });
  try {
    const definitions = new DefinitionStore(h.db.ds);
    const now = () => h.env.currentTimeMs();
    const plans = new PlanService(h.env.client, h.taskQueue, definitions, SHIPPED_HOLIDAYS, h.letters, now);
    const logs: LogEntry[] = [];
    const log = (e: LogEntry) => logs.push(e);
    const platform = await platformServices({ db: h.db.ds, plans, definitions, log, now, auth: opts.auth, clock: opts.clock });
    const deps: ApiDeps = {
      db: h.db.ds,
      definitions,
      letters: h.letters,
      plans,
      temporal: { client: h.env.client, namespace: 'default', taskQueue: h.taskQueue },
      standardRules: () => readRulesDir(STANDARD_RULES_DIR).map((f) => ({ name: basename(f.name), text: f.text })),
      metrics: new ApiMetrics({ defaultMetrics: false }),
      log,
      ...platform,
    };
    const app = await createApi(deps, opts.options);
    await app.listen(0, '127.0.0.1');
    const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const passwords = Object.fromEntries(seeded!.logins.map((l: DemoLogin) => [l.username, l.password]));
    return {
      h,
      app,
      url,
      deps,
      logs,
      passwords,
      close: async () => {
        await app.close();
        await h.close();
      },
    };
  } catch (e) {
    await h.close();
    throw e;
  }
}

export interface Reply {
  status: number;
  text: string;
  json: Record<string, unknown> & { error?: { status: number; code: string; message: string; requestId: string; reasons?: Array<{ code: string; message: string; rules: string[] }>; issues?: Array<{ path: string; message: string }> } };
}

/**
 * One request from a given loopback address (127.0.0.x): each office's client has its own, as
 * on a network, so the per-address login throttle counts each one apart.
 */
/**
 * A body that is a Buffer goes as it is (application/octet-stream, as an evidence file is
 * uploaded); anything else as JSON.
 */
export function callFrom(url: string, from: string, method: string, path: string, init: { body?: unknown; token?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  const target = new URL(path, url);
  const raw = Buffer.isBuffer(init.body);
  const body = init.body === undefined ? undefined : raw ? (init.body as Buffer) : Buffer.from(JSON.stringify(init.body));
  const headers: Record<string, string | number> = { ...init.headers };
  if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
  if (body) {
    headers['content-type'] ??= raw ? 'application/octet-stream' : 'application/json';
    headers['content-length'] = body.length;
  }
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method, headers, localAddress: from }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: Reply['json'] = {};
        try {
          json = JSON.parse(text) as Reply['json'];
        } catch {
          // Not JSON (metrics, 204): the text is there.
        }
        resolve({ status: res.statusCode ?? 0, text, json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Runs `check` until it passes (the ledger follows the workflow a moment later); fails with its last error after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 20_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() - started > timeoutMs) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
