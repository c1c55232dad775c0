import type { EngineActivities } from '@reform/letters';
import type { NativeConnection, Worker, WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workflowBundleOptions } from './bundle';
import { workerSdk } from './worker-sdk';

let cached: Promise<WorkflowBundleWithSourceMap> | undefined;

/**
 * Bundles the workflows once per process; every worker in it shares the bundle. The bundle is
 * also kept in `<root>/.data/cache/workflows/` with the size and time of every file it was built
 * from (the files its inline source map names), and used again while none of them has changed:
 * bundling takes webpack several seconds of CPU, which every worker start (and every restart of
 * a worker that died) would otherwise pay again.
 */
export function workflowBundle(root: string): Promise<WorkflowBundleWithSourceMap> {
  cached ??= (async () => {
    const dir = join(root, '.data', 'cache', 'workflows');
    const reused = readCachedBundle(dir);
    if (reused) return reused;
    const startedAt = Date.now();
    const bundle = await workerSdk().bundleWorkflowCode({ ...workflowBundleOptions(root), logger: quietLogger });
    try {
      writeCachedBundle(dir, root, bundle, startedAt);
    } catch {
      // A cache that cannot be written (a read-only checkout) only costs the next start the bundling.
    }
    return bundle;
  })();
  return cached;
}

/** What the bundle depends on beyond the files its source map names: the options, the path aliases, the SDK's bundler. */
function configFiles(root: string): string[] {
  return [join(root, 'libs/adapters/temporal/src/bundle.ts'), join(root, 'tsconfig.base.json'), require.resolve('@temporalio/worker/package.json')];
}

type Stamp = [file: string, mtimeMs: number, size: number];

function stamp(file: string): Stamp | undefined {
  try {
    const s = statSync(file);
    return [file, s.mtimeMs, s.size];
  } catch {
    return undefined;
  }
}

function readCachedBundle(dir: string): WorkflowBundleWithSourceMap | undefined {
  try {
    const inputs = JSON.parse(readFileSync(join(dir, 'bundle.json'), 'utf8')) as Stamp[];
    const unchanged = inputs.every(([file, mtimeMs, size]) => {
      const now = stamp(file);
      return now !== undefined && now[1] === mtimeMs && now[2] === size;
    });
    return unchanged ? { code: readFileSync(join(dir, 'bundle.js'), 'utf8'), sourceMap: '' } : undefined;
  } catch {
    return undefined;
  }
}

function writeCachedBundle(dir: string, root: string, bundle: WorkflowBundleWithSourceMap, startedAt: number): void {
  const map = /sourceMappingURL=data:application\/json;charset=utf-8;base64,(\S+)\s*$/.exec(bundle.code);
  if (!map) return;
  const sources = (JSON.parse(Buffer.from(map[1], 'base64').toString('utf8')) as { sources: string[] }).sources;
  // Webpack's own modules and the generated entry point have no file; every other source must.
  const stamps = [...configFiles(root), ...sources.filter((s) => s.startsWith('/'))].map(stamp).filter((s): s is Stamp => s !== undefined);
  // A file changed while bundling: the bundle may hold the old text; the next start bundles again.
  if (stamps.some(([, mtimeMs]) => mtimeMs >= startedAt)) return;
  mkdirSync(dir, { recursive: true });
  const tmp = `${process.pid}.tmp`;
  writeFileSync(join(dir, `bundle.js.${tmp}`), bundle.code);
  writeFileSync(join(dir, `bundle.json.${tmp}`), JSON.stringify(stamps));
  // The code first, then what says it is current: a worker reading meanwhile finds either a
  // current pair or a stale list, never a list that vouches for other code.
  renameSync(join(dir, `bundle.js.${tmp}`), join(dir, 'bundle.js'));
  renameSync(join(dir, `bundle.json.${tmp}`), join(dir, 'bundle.json'));
}

/** For bundling: warnings and errors only. */
export const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (m: string) => console.warn(m),
  error: (m: string) => console.error(m),
};

export async function createEngineWorker(args: {
  root: string;
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: EngineActivities;
  identity?: string;
  /**
   * Workflows kept in memory. Each costs about 0.5 MiB here (every workflow loads its own copy of
   * the bundle's modules, zod kept out of it, and builds its machine), so the SDK's default, sized
   * from the heap, is too many: see apps/bench.
   */
  maxCachedWorkflows?: number;
}): Promise<Worker> {
  return workerSdk().Worker.create({
    connection: args.connection,
    namespace: args.namespace,
    taskQueue: args.taskQueue,
    workflowBundle: await workflowBundle(args.root),
    activities: args.activities,
    identity: args.identity,
    ...(args.maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows: args.maxCachedWorkflows }),
  });
}
