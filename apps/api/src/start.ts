import type { INestApplication } from '@nestjs/common';
import { AppConfig, UserError } from '@reform/config';
import { CalendarStore, DefinitionStore, LetterStore, openDatabase } from '@reform/persistence';
import { PlanService, seedStandardProcedures } from '@reform/plans';
import { readRulesDir } from '@reform/procedures';
import { lazyClient } from '@reform/temporal';
import type { Client } from '@temporalio/client';
import type { AddressInfo } from 'node:net';
import { basename } from 'node:path';
import type { DataSource } from 'typeorm';
import { createApi } from './create-api';
import { ApiDeps, ApiOptions, Log, stdoutLog } from './deps';
import { ApiMetrics } from './ops/metrics';
import { platformServices } from './platform';

export interface RunningApi {
  app: INestApplication;
  deps: ApiDeps;
  /** http://host:port, as it listens. */
  url: string;
  /** Stops listening, then closes the Temporal connection and the database. */
  close(): Promise<void>;
}

/**
 * The composition root: the services the API (and later `reform start`) runs on, created once
 * from the configuration: the database (migrated, standard procedures seeded), the Temporal
 * client (connecting when first used), the plan service. Then the API, listening on the configured address.
 */
export async function startApi(cfg: AppConfig, opts: { log?: Log; options?: ApiOptions } = {}): Promise<RunningApi> {
  const db: DataSource = await openDatabase(cfg.database);
  let client: Client | undefined;
  try {
    const definitions = new DefinitionStore(db);
    await seedStandardProcedures(definitions, cfg.rulesDir);
    // Connects on first use: the API comes up, and /api/health says so, while Temporal is down.
    client = lazyClient(cfg.temporal);
    const letters = new LetterStore(db);
    // Read at each registration: a year the office loads (CLI or API) while the API runs reaches new plans.
    const calendars = new CalendarStore(db);
    const plans = new PlanService(client, cfg.temporal.taskQueue, definitions, () => calendars.calendar(), letters);
    const log = opts.log ?? stdoutLog;
    const standardRules = () => readRulesDir(cfg.rulesDir).map((f) => ({ name: basename(f.name), text: f.text }));
    const metrics = new ApiMetrics();
    const deps: ApiDeps = {
      db,
      definitions,
      letters,
      plans,
      ...(await platformServices({ db, plans, definitions, log, evidence: cfg.evidence, standardRules, metrics, documents: { office: cfg.office, fontDir: cfg.documents.fontDir }, notifyConfigured: !!cfg.letters.notifyUrl })),
      temporal: { client, namespace: cfg.temporal.namespace, taskQueue: cfg.temporal.taskQueue },
      standardRules,
      metrics,
      log,
    };
    const app = await createApi(deps, opts.options);
    try {
      await app.listen(cfg.api.port, cfg.api.host);
    } catch (e) {
      await app.close();
      const code = (e as NodeJS.ErrnoException).code;
      throw new UserError(
        code === 'EADDRINUSE' ? `端口 ${cfg.api.port} 已被占用:请设置 REFORM_API_PORT 换一个端口` : `API 无法在 ${cfg.api.host}:${cfg.api.port} 监听(${code ?? '未知原因'})`,
      );
    }
    const { port } = app.getHttpServer().address() as AddressInfo;
    const connection = client.connection;
    return {
      app,
      deps,
      url: `http://${cfg.api.host.includes(':') ? `[${cfg.api.host}]` : cfg.api.host}:${port}`,
      close: async () => {
        await app.close();
        await connection.close();
        await db.destroy();
      },
    };
  } catch (e) {
    await client?.connection.close();
    await db.destroy();
    throw e;
  }
}
