import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from './config';

/** The Temporal server release `reform cluster` runs: the one tools/temporal-server/go.mod pins, from which scripts/ensure.sh builds it (versions.spec.ts checks). */
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';

/** The Temporal Web UI server release (the one Temporal CLI v1.5.1 embeds); scripts/ensure.sh cluster builds it (TEMPORAL_UI_VERSION there; versions.spec.ts checks). */
export const TEMPORAL_UI_VERSION = 'v2.42.1';

/** Temporal's services, each its own process in the cluster, in the order they start. */
export const TEMPORAL_SERVICES = ['history', 'matching', 'frontend', 'worker'] as const;
export type TemporalService = (typeof TEMPORAL_SERVICES)[number];

const whole = (name: string, min: number, max: number, dflt: number) =>
  z.coerce
    .number({ error: `${name} 应为整数` })
    .int(`${name} 应为整数`)
    .min(min, `${name} 至少为 ${min}`)
    .max(max, `${name} 最多为 ${max}`)
    .default(dflt);

const ClusterEnv = z.object({
  REFORM_DATA_DIR: z.string().default('.data'),
  REFORM_CLUSTER_DIR: z.string().optional(),
  REFORM_CLUSTER_POSTGRES: z
    .string()
    .regex(/^postgres(ql)?:\/\/[^/]+\/?$/, 'REFORM_CLUSTER_POSTGRES 应为 postgres://用户:密码@主机:端口(不带库名)')
    .default('postgres://reform:reform@127.0.0.1:5432'),
  REFORM_CLUSTER_DB_PREFIX: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,40}$/, 'REFORM_CLUSTER_DB_PREFIX 应以小写字母开头,只含小写字母、数字和下划线(至多 41 个字符)')
    .default('reform_cluster'),
  REFORM_CLUSTER_SHARDS: whole('REFORM_CLUSTER_SHARDS', 1, 16384, 4),
  REFORM_CLUSTER_APIS: whole('REFORM_CLUSTER_APIS', 1, 20, 2),
  REFORM_CLUSTER_WORKERS: whole('REFORM_CLUSTER_WORKERS', 1, 20, 3),
  // Temporal keeps membership ports in a PostgreSQL smallint: every port of the cluster stays below 32768.
  REFORM_CLUSTER_PORT_BASE: z.coerce
    .number({ error: 'REFORM_CLUSTER_PORT_BASE 应为整数' })
    .int('REFORM_CLUSTER_PORT_BASE 应为整数')
    .min(1024, 'REFORM_CLUSTER_PORT_BASE 至少为 1024')
    .max(32767 - 99, `REFORM_CLUSTER_PORT_BASE 最多为 ${32767 - 99}(集群用其后 100 个端口,Temporal 在 PostgreSQL 中以 smallint 记成员端口,不能超过 32767)`)
    .default(17200),
});

export interface TemporalServicePorts {
  grpc: number;
  membership: number;
  /** Prometheus metrics of the process. */
  metrics: number;
  /** The frontend's HTTP API. */
  http?: number;
}

/** A local Temporal cluster on PostgreSQL with the product on it (`reform cluster up|down|status`). */
export interface ClusterConfig {
  /** State (pids, ports), configuration and logs: REFORM_CLUSTER_DIR, default <REFORM_DATA_DIR>/cluster. */
  dir: string;
  /** The product's data folder in the cluster (evidence files, demo logins): <dir>/data. */
  dataDir: string;
  /** PostgreSQL as a role that may create databases (REFORM_CLUSTER_POSTGRES). */
  postgres: { host: string; port: number; user: string; password: string };
  /** The three databases, named from REFORM_CLUSTER_DB_PREFIX. */
  databases: { temporal: string; visibility: string; product: string };
  /** History shards: fixed when the cluster's database is first set up (REFORM_CLUSTER_SHARDS). */
  shards: number;
  /** API processes (REFORM_CLUSTER_APIS) and workers (REFORM_CLUSTER_WORKERS). */
  apis: number;
  workers: number;
  /** The ports, all from REFORM_CLUSTER_PORT_BASE (B): APIs B, B+1, …; Temporal's frontend gRPC B+33; its Web UI B+80. */
  ports: { apis: number[]; temporal: Record<TemporalService, TemporalServicePorts>; ui: number };
}

/** Reads and checks the cluster's settings from the environment, in Chinese when they are wrong. */
export function loadClusterConfig(env: NodeJS.ProcessEnv, root: string): ClusterConfig {
  const parsed = ClusterEnv.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `环境变量 ${i.path.join('.')}: ${i.message}`).join('\n'));
  }
  const e = parsed.data;
  const dir = e.REFORM_CLUSTER_DIR ? resolve(root, e.REFORM_CLUSTER_DIR) : resolve(root, e.REFORM_DATA_DIR, 'cluster');
  const url = new URL(e.REFORM_CLUSTER_POSTGRES);
  const b = e.REFORM_CLUSTER_PORT_BASE;
  const temporal = (offset: number, http?: number): TemporalServicePorts => ({ grpc: b + offset, membership: b + offset + 30, metrics: b + offset + 40, ...(http ? { http: b + http } : {}) });
  return {
    dir,
    dataDir: resolve(dir, 'data'),
    postgres: {
      host: url.hostname || '127.0.0.1',
      port: url.port ? Number(url.port) : 5432,
      user: decodeURIComponent(url.username || 'postgres'),
      password: decodeURIComponent(url.password),
    },
    databases: { temporal: `${e.REFORM_CLUSTER_DB_PREFIX}_temporal`, visibility: `${e.REFORM_CLUSTER_DB_PREFIX}_visibility`, product: e.REFORM_CLUSTER_DB_PREFIX },
    shards: e.REFORM_CLUSTER_SHARDS,
    apis: e.REFORM_CLUSTER_APIS,
    workers: e.REFORM_CLUSTER_WORKERS,
    ports: {
      apis: Array.from({ length: e.REFORM_CLUSTER_APIS }, (_, i) => b + i),
      temporal: { frontend: temporal(33, 43), history: temporal(34), matching: temporal(35), worker: temporal(39) },
      ui: b + 80,
    },
  };
}
