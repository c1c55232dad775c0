import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/*
 * The workflow bundle kept on disk between worker starts, with the size and modification time of
 * every file it was built from, and used while none of them has changed.
 */

type Stamp = [file: string, mtimeMs: number, size: number];

function stamp(file: string): Stamp | undefined {
  try {
    const s = statSync(file);
    return [file, s.mtimeMs, s.size];
  } catch {
    return undefined;
  }
}

/** The bundle kept in `dir`, if no file it was built from has changed since. */
export function readCachedBundle(dir: string): WorkflowBundleWithSourceMap | undefined {
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

/**
 * Keeps `bundle` in `dir` with the stamps of the files its inline source map names and of
 * `configFiles` (what it depends on besides: the bundle options, the path aliases, the SDK's
 * bundler); not when one of them changed after `startedAt`, the moment bundling began.
 */
export function writeCachedBundle(dir: string, bundle: WorkflowBundleWithSourceMap, startedAt: number, configFiles: string[]): void {
  const map = /sourceMappingURL=data:application\/json;charset=utf-8;base64,(\S+)\s*$/.exec(bundle.code);
  if (!map) return;
  const sources = (JSON.parse(Buffer.from(map[1], 'base64').toString('utf8')) as { sources: string[] }).sources;
  // Webpack's own modules and the generated entry point have no file; every other source must.
  const stamps = [...configFiles, ...sources.filter((s) => s.startsWith('/'))].map(stamp).filter((s): s is Stamp => s !== undefined);
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
