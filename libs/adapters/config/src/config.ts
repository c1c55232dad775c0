import { resolve } from 'node:path';
import { z } from 'zod';

/** The issuing office when REFORM_OFFICE_NAME / REFORM_LETTER_PREFIX are not set. */
export const DEFAULT_OFFICE = { name: '省委全面深化改革委员会办公室', numberPrefix: '改办函' } as const;

const Env = z.object({
  REFORM_DATA_DIR: z.string().default('.data'),
  DATABASE_URL: z.string().url('DATABASE_URL 应为 postgres://用户:密码@主机:端口/库名').optional(),
  REFORM_DB_MIGRATE: z.enum(['run', 'check'], { error: 'REFORM_DB_MIGRATE 应为 run(启动时执行待执行的迁移)或 check(有待执行的迁移时拒绝启动)' }).default('run'),
  TEMPORAL_ADDRESS: z.string().optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('reform-loop'),
  TEMPORAL_TLS_CERT: z.string().optional(),
  TEMPORAL_TLS_KEY: z.string().optional(),
  TEMPORAL_TLS_CA: z.string().optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().optional(),
  TEMPORAL_API_KEY: z.string().optional(),
  TEMPORAL_PORT: z.coerce.number().int().min(1).max(65535).default(7233),
  TEMPORAL_UI_PORT: z.coerce.number().int().min(1).max(65535).default(8233),
  // Memory is bounded by the cache (with the heap limit below), not by the number of plans: about
  // 0.75 MiB a cached plan, so 500 keeps a worker near 600 MiB; a miss costs one replay of the
  // plan's history (apps/bench/README.md, "Worker memory").
  REFORM_WORKER_CACHE: z.coerce.number().int().min(0).default(500),
  // The heap limit of the worker's workflow thread (MiB; 0: V8's own). Without one V8 lets the heap
  // grow far past what the cache holds while plans churn through it (apps/bench/README.md, "Worker memory").
  REFORM_WORKER_HEAP_MB: z.coerce.number({ error: 'REFORM_WORKER_HEAP_MB 应为兆字节数(整数)' }).int('REFORM_WORKER_HEAP_MB 应为整数').min(0, 'REFORM_WORKER_HEAP_MB 不能为负数').optional(),
  REFORM_OFFICE_NAME: z.string().min(1).default(DEFAULT_OFFICE.name),
  REFORM_LETTER_PREFIX: z.string().min(1).default(DEFAULT_OFFICE.numberPrefix),
  REFORM_SEAL_IMAGE: z.string().optional(),
  REFORM_FONT_DIR: z.string().optional(),
  REFORM_RULES_DIR: z.string().default('rules/standard'),
  REFORM_API_PORT: z.coerce.number().int().min(0, 'REFORM_API_PORT 应为 0–65535 的端口号').max(65535, 'REFORM_API_PORT 应为 0–65535 的端口号').default(3000),
  REFORM_API_HOST: z.string().min(1).default('127.0.0.1'),
  REFORM_EVIDENCE_DIR: z.string().optional(),
  REFORM_NOTIFY_URL: z.string().url('REFORM_NOTIFY_URL 应为 http(s)://… 的地址').optional(),
  REFORM_SIGN_WORKING_DAYS: z.coerce.number({ error: 'REFORM_SIGN_WORKING_DAYS 应为工作日数' }).int('REFORM_SIGN_WORKING_DAYS 应为整数').min(1, 'REFORM_SIGN_WORKING_DAYS 至少为 1').max(60, 'REFORM_SIGN_WORKING_DAYS 最多为 60').default(2),
  REFORM_EVIDENCE_MAX_BYTES: z.coerce.number({ error: 'REFORM_EVIDENCE_MAX_BYTES 应为字节数' }).int('REFORM_EVIDENCE_MAX_BYTES 应为整数字节数').min(1, 'REFORM_EVIDENCE_MAX_BYTES 至少为 1').default(20 * 1024 * 1024),
});

export interface TlsConfig {
  certPath?: string;
  keyPath?: string;
  caPath?: string;
  serverName?: string;
}

export interface AppConfig {
  root: string;
  dataDir: string;
  /**
   * The product's database. `migrations`: `run` (default) migrates when a process opens it;
   * `check` (REFORM_DB_MIGRATE=check, for many processes on one database) refuses to open one with
   * migrations pending, which `reform db migrate` then runs once.
   */
  database: { url?: string; sqlitePath: string; migrations: 'run' | 'check' };
  temporal: {
    /** Set when the user points at an external cluster; otherwise the embedded dev server runs. */
    external: boolean;
    address: string;
    namespace: string;
    taskQueue: string;
    port: number;
    uiPort: number;
    /** Workflows a worker keeps in memory (maxCachedWorkflows). */
    workerCache: number;
    /**
     * Heap limit of the worker's workflow thread in MiB (REFORM_WORKER_HEAP_MB; default 128 + 1 per
     * cached workflow: twice what a cached plan was seen to hold, so a plan heavier than those
     * measured does not take the worker out of memory; 0: none).
     */
    workerHeapMb: number;
    tls?: TlsConfig;
    apiKey?: string;
  };
  /** The issuing office: its name (REFORM_OFFICE_NAME), its letters' number prefix (REFORM_LETTER_PREFIX) and, optionally, its seal as a PNG (REFORM_SEAL_IMAGE) printed over the date of its documents. */
  office: { name: string; numberPrefix: string; sealImage?: string };
  /** Letters as documents: the folder of the Fandol fonts the PDFs embed (REFORM_FONT_DIR; unset: Debian's texlive-lang-chinese folder). */
  documents: { fontDir?: string };
  /** The standard procedures' rules files: seeded into a new database, checked at start. */
  rulesDir: string;
  /** Where the HTTP API listens (REFORM_API_HOST, REFORM_API_PORT; port 0 takes a free one). */
  api: { host: string; port: number };
  /** Evidence files of specific reform items: where their bytes lie (REFORM_EVIDENCE_DIR, default <data dir>/evidence) and the largest accepted (REFORM_EVIDENCE_MAX_BYTES, default 20 MB). */
  evidence: { dir: string; maxBytes: number };
  /** Letters reaching units: the notification endpoint the outbox delivers to (REFORM_NOTIFY_URL; none: rows wait) and the working days to sign for a letter (REFORM_SIGN_WORKING_DAYS, default 2). */
  letters: { notifyUrl?: string; signWithinWorkingDays: number };
}

export class ConfigError extends Error {}

/** Reads and validates configuration once, at start-up, from the environment. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, root = process.cwd()): AppConfig {
  // An empty variable (TEMPORAL_ADDRESS=) means unset, as in most tools.
  const parsed = Env.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `环境变量 ${i.path.join('.')}: ${i.message}`).join('\n'));
  }
  const e = parsed.data;
  const dataDir = resolve(root, e.REFORM_DATA_DIR);
  const tls = e.TEMPORAL_TLS_CERT || e.TEMPORAL_TLS_CA ? { certPath: e.TEMPORAL_TLS_CERT, keyPath: e.TEMPORAL_TLS_KEY, caPath: e.TEMPORAL_TLS_CA, serverName: e.TEMPORAL_TLS_SERVER_NAME } : undefined;
  if (tls?.certPath && !tls.keyPath) throw new ConfigError('环境变量 TEMPORAL_TLS_KEY: 设置了 TEMPORAL_TLS_CERT 时必须同时设置私钥');
  return {
    root,
    dataDir,
    database: { url: e.DATABASE_URL, sqlitePath: resolve(dataDir, 'reform.db'), migrations: e.REFORM_DB_MIGRATE },
    temporal: {
      external: !!e.TEMPORAL_ADDRESS,
      address: e.TEMPORAL_ADDRESS ?? `127.0.0.1:${e.TEMPORAL_PORT}`,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      port: e.TEMPORAL_PORT,
      uiPort: e.TEMPORAL_UI_PORT,
      workerCache: e.REFORM_WORKER_CACHE,
      workerHeapMb: e.REFORM_WORKER_HEAP_MB ?? (e.REFORM_WORKER_CACHE ? 128 + e.REFORM_WORKER_CACHE : 0),
      tls,
      apiKey: e.TEMPORAL_API_KEY,
    },
    office: { name: e.REFORM_OFFICE_NAME, numberPrefix: e.REFORM_LETTER_PREFIX, ...(e.REFORM_SEAL_IMAGE ? { sealImage: resolve(root, e.REFORM_SEAL_IMAGE) } : {}) },
    documents: { fontDir: e.REFORM_FONT_DIR ? resolve(root, e.REFORM_FONT_DIR) : undefined },
    rulesDir: resolve(root, e.REFORM_RULES_DIR),
    api: { host: e.REFORM_API_HOST, port: e.REFORM_API_PORT },
    evidence: { dir: e.REFORM_EVIDENCE_DIR ? resolve(root, e.REFORM_EVIDENCE_DIR) : resolve(dataDir, 'evidence'), maxBytes: e.REFORM_EVIDENCE_MAX_BYTES },
    letters: { notifyUrl: e.REFORM_NOTIFY_URL, signWithinWorkingDays: e.REFORM_SIGN_WORKING_DAYS },
  };
}
