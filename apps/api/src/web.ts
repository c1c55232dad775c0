import { createReadStream, readFile, Stats, statSync } from 'node:fs';
import { extname, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { constants, gzip } from 'node:zlib';
import type { Req, Res } from './http';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

const NOT_BUILT = `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>改革落实闭环</title>
<body style="font-family:sans-serif;padding:2em"><h1>网页控制台尚未构建</h1>
<p>运行 <code>npm start</code>(启动时自动构建)或 <code>npm run web:build</code>,然后刷新本页。接口照常在 <a href="/api/docs">/api/docs</a>。</p></body></html>`;

/** Text the browser may take gzipped: the console's scripts, styles and page (about a third of their size). */
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.json', '.svg', '.txt']);

/** Whether the request's Accept-Encoding takes gzip (and does not refuse it with q=0). */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  return value.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding.trim() !== 'gzip' && coding.trim() !== '*') return false;
    const q = params.map((p) => /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(p)).find(Boolean);
    return !q || Number(q[1]) > 0;
  });
}

const readFileAsync = promisify(readFile);
const gzipAsync = promisify(gzip);

/** The file's stats, or undefined when there is no file there (a folder, nothing). */
function fileStats(path: string): Stats | undefined {
  try {
    const st = statSync(path);
    return st.isFile() ? st : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Serves the built web console (apps/web/dist) at `/`: its files as they are (hashed assets
 * cached for good, the page itself revalidated), and the page for any other path without a file
 * extension (the console's own routes). /api is never touched; other misses fall through to the
 * API's 404. Before the console is built, a Chinese page says how to build it (503).
 */
export function webConsole(dir: string) {
  const root = resolve(dir);
  const index = resolve(root, 'index.html');
  // Each file gzipped once (level 9) while it stays the same file (a new build replaces the folder).
  const gzipped = new Map<string, { mark: string; body: Promise<Buffer> }>();
  const gzippedBody = (path: string, st: Stats): Promise<Buffer> => {
    const mark = `${st.mtimeMs}/${st.size}`;
    let entry = gzipped.get(path);
    if (entry?.mark !== mark) {
      const body = readFileAsync(path).then((raw) => gzipAsync(raw, { level: constants.Z_BEST_COMPRESSION }));
      entry = { mark, body };
      gzipped.set(path, entry);
      body.catch(() => gzipped.delete(path));
    }
    return entry.body;
  };
  return (req: Req, res: Res, next: (err?: unknown) => void) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const path = (req.originalUrl ?? req.url ?? '/').split('?')[0];
    if (path === '/api' || path.startsWith('/api/')) return next();
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return next();
    }
    const file = resolve(root, `.${decoded}`);
    // Nothing outside the console's folder, whatever the path says.
    if (file !== root && !file.startsWith(root + sep)) return next();
    // One stat per request: it finds the file and marks the gzipped copy kept of it.
    let target: string;
    let st = file !== root ? fileStats(file) : undefined;
    if (st) target = file;
    else if (extname(decoded) === '' || decoded.endsWith('/')) {
      target = index;
      st = fileStats(index);
    } else return next();
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (!st) {
      res.statusCode = 503;
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.setHeader('Cache-Control', 'no-store');
      res.end(req.method === 'HEAD' ? undefined : NOT_BUILT);
      return;
    }
    res.statusCode = 200;
    res.setHeader('Content-Type', TYPES[extname(target)] ?? 'application/octet-stream');
    res.setHeader('Cache-Control', target.startsWith(resolve(root, 'assets') + sep) ? 'public, max-age=31536000, immutable' : 'no-cache');
    const compressible = COMPRESSIBLE.has(extname(target));
    if (compressible) res.setHeader('Vary', 'Accept-Encoding');
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    if (compressible && acceptsGzip(req.headers['accept-encoding'])) {
      gzippedBody(target, st).then(
        (body) => {
          res.setHeader('Content-Encoding', 'gzip');
          res.setHeader('Content-Length', body.length);
          res.end(body);
        },
        (err: unknown) => next(err),
      );
      return;
    }
    createReadStream(target)
      .on('error', (err) => next(err))
      .pipe(res);
  };
}
