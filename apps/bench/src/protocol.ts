/** Messages between the bench and the worker it runs in a child process (over the IPC channel). */

export type WorkerMode = 'engine' | 'bare';

export interface ChildArgs {
  mode: WorkerMode;
  root: string;
  address: string;
  namespace: string;
  taskQueue: string;
  /** Where the engine worker's letter database goes (inside the bench's temp folder). */
  dataDir: string;
  /** The database the engine worker writes letters and the ledger to, when not dataDir/reform.db (bench:api). */
  database?: { url?: string; sqlitePath: string };
  /** maxCachedWorkflows; undefined keeps the production worker's default. */
  cache?: number;
  /** Experiment: modules the engine bundle shares across workflows (BundleOptions.preloadModules). */
  preload?: string[];
}

export interface WorkerStats {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  /** CPU the worker process has used since it started, in milliseconds. */
  cpuUserMs: number;
  cpuSystemMs: number;
  numCachedWorkflows: number;
  numInFlightWorkflowActivations: number;
  numInFlightActivities: number;
}

export type ParentMessage = { type: 'stats'; gc?: boolean } | { type: 'stop' };

export type ChildMessage =
  | { type: 'ready'; bundleMs: number; maxCachedWorkflows: number; stats: WorkerStats }
  | { type: 'stats'; stats: WorkerStats }
  | { type: 'stopped' }
  | { type: 'error'; message: string };

export const CHILD_FLAG = '--worker-child';
