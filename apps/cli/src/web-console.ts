import { spawn } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The web console's sources and build, under the repository root. */
export const webConsolePaths = (root: string) => ({
  app: join(root, 'apps/web'),
  dist: join(root, 'apps/web/dist'),
  page: join(root, 'apps/web/dist/index.html'),
  config: join(root, 'apps/web/vite.config.mts'),
});

function newestIn(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(path).map((name) => newestIn(join(path, name))));
}

/**
 * Why the console needs building (Chinese), or null when its build is newer than every source:
 * apps/web/src, its page and Vite config, and the installed packages (package-lock.json).
 */
export function webConsoleStale(root: string): string | null {
  const p = webConsolePaths(root);
  if (!existsSync(p.page)) return '尚未构建';
  const built = statSync(p.page).mtimeMs;
  const sources = [join(p.app, 'src'), join(p.app, 'index.html'), p.config, join(root, 'package-lock.json')].filter(existsSync);
  return sources.some((s) => newestIn(s) > built) ? '源文件比构建新' : null;
}

/** Build folders older than this are left from a build that was stopped (Ctrl-C during start) and are removed. */
const LEFT_OVER_MS = 10 * 60_000;

/**
 * Builds the console with Vite into a folder of its own, then puts it in place of apps/web/dist
 * (so two builds at once, or the API reading meanwhile, never see half a build). Vite's own
 * output is shown only when it fails. `signal` stops the build.
 */
export function buildWebConsole(root: string, signal?: AbortSignal): Promise<void> {
  const p = webConsolePaths(root);
  for (const name of readdirSync(p.app).filter((n) => n.startsWith('.build-'))) {
    const dir = join(p.app, name);
    if (Date.now() - statSync(dir).mtimeMs > LEFT_OVER_MS) rmSync(dir, { recursive: true, force: true });
  }
  const out = join(p.app, `.build-${process.pid}-${Date.now()}`);
  const vite = join(root, 'node_modules/vite/bin/vite.js');
  return new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [vite, 'build', '--config', p.config, '--outDir', out], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      // A production build whatever the caller runs under (jest sets NODE_ENV=test).
      env: { ...process.env, NODE_ENV: 'production', VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
      signal,
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`网页控制台构建失败(退出码 ${code}):\n${output.trim().split('\n').slice(-20).join('\n')}`))));
  })
    .then(() => {
      const old = `${p.dist}.old-${process.pid}-${Date.now()}`;
      try {
        renameSync(p.dist, old);
      } catch {
        // No earlier build (or another build moved it just now).
      }
      try {
        renameSync(out, p.dist);
      } catch {
        // Another build put its own in place first: as good as this one.
      }
      rmSync(old, { recursive: true, force: true });
    })
    .finally(() => rmSync(out, { recursive: true, force: true }));
}

/** Builds the console when it is missing or older than its sources; says what it did. Fast when up to date. */
export async function ensureWebConsole(root: string, log: (line: string) => void = () => undefined, signal?: AbortSignal): Promise<'built' | 'current'> {
  const why = webConsoleStale(root);
  if (!why) return 'current';
  log(`构建网页控制台(${why})……`);
  await buildWebConsole(root, signal);
  return 'built';
}
