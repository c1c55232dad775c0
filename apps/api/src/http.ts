import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Principal } from './auth';
import type { UserProfile } from '@reform/platform';
import { ApiDeps, DEFAULT_OPTIONS } from './deps';
import { ApiError, DEFAULT_MESSAGES, ErrorBody, ErrorStatus } from './errors';

/** The parts of an Express request the API reads (Express ships no types here). */
export type Req = IncomingMessage & {
  id?: string;
  body?: unknown;
  originalUrl?: string;
  route?: { path?: string };
  principal?: Principal;
  /** The signed-in user's profile as the guard read it (unit, roles). */
  profile?: UserProfile;
};
export type Res = ServerResponse;
type Next = (err?: unknown) => void;

// At most 100 characters: the audit trail's request_id column.
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** The request id: the client's X-Request-Id when it is a plain token, else a new one. */
export function requestIdOf(req: Req): string {
  if (req.id) return req.id;
  const given = req.headers['x-request-id'];
  req.id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  return req.id;
}

export function sendError(req: Req, res: Res, err: ApiError): void {
  const body: ErrorBody = { error: { status: err.status, code: err.code, message: err.message, requestId: requestIdOf(req), ...err.details } };
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.statusCode = err.status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}

/** Query keys whose values never reach the log. */
const SECRET = /pass|token|secret|key|auth|cookie|session|code/i;

/** A query string with a key that may be secret (the common case has none, and is logged as it is without parsing it). */
const SECRET_KEY_IN_QUERY = /(?:^|&)[^=&]*(?:pass|token|secret|key|auth|cookie|session|code)/i;

/** The path and query as logged: values of secret-looking query keys masked. */
export function loggablePath(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  // Percent-encoded key names are decoded by the parse below; without a % the raw test is exact.
  if (!url.includes('%', q) && !SECRET_KEY_IN_QUERY.test(url.slice(q + 1))) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  for (const key of [...params.keys()]) if (SECRET.test(key)) params.set(key, '***');
  return `${url.slice(0, q)}?${params.toString()}`;
}

/** The route template a request matched (/api/procedures/:id/versions), never the raw path: metric labels stay few. */
export const routeOf = (req: Req): string => {
  const path = req.route?.path;
  // Nest answers unknown paths from a catch-all route of its own.
  return path && !path.startsWith('*') ? path : '(unmatched)';
};

/**
 * First on every request: its id (echoed in X-Request-Id), and when it ends one JSON log line
 * and the request metrics. Headers are not logged (Authorization, cookies); secret query values
 * are masked.
 */
export function requestContext(deps: ApiDeps) {
  return (req: Req, res: Res, next: Next) => {
    const started = process.hrtime.bigint();
    res.setHeader('X-Request-Id', requestIdOf(req));
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeOf(req);
      deps.metrics.observe(req.method ?? 'GET', route, res.statusCode, seconds);
      deps.log({
        // 503 is health saying a dependency is down: worth a look, not a bug.
        level: res.statusCode === 503 ? 'warn' : res.statusCode >= 500 ? 'error' : 'info',
        msg: 'request',
        requestId: req.id,
        method: req.method,
        route,
        path: loggablePath(req.originalUrl ?? req.url ?? ''),
        status: res.statusCode,
        durationMs: Math.round(seconds * 1e6) / 1e3,
        ...(req.principal ? { userId: req.principal.userId } : {}),
      });
    });
    next();
  };
}

function byteLimit(limit: number | string): number {
  if (typeof limit === 'number') return limit;
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|mb)?$/i.exec(limit.trim());
  if (!m) throw new Error(`bodyLimit: not a size: ${limit}`);
  const unit = { b: 1, kb: 1024, mb: 1024 * 1024 }[(m[2] ?? 'b').toLowerCase() as 'b' | 'kb' | 'mb'];
  return Math.floor(Number(m[1]) * unit);
}

const sizeText = (bytes: number) => (bytes >= 1024 * 1024 ? `${+(bytes / 1024 / 1024).toFixed(1)} MB` : bytes >= 1024 ? `${+(bytes / 1024).toFixed(1)} KB` : `${bytes} 字节`);

/** An evidence upload: its body is the file itself, read by the route as it streams in (not JSON). */
export const isRawUpload = (req: Req): boolean =>
  req.method === 'POST' && /^\/api\/(?:(?:plans\/[^/?]+\/items\/[^/?]+|problems\/[^/?]+|experiences\/[^/?]+)\/evidence|imports\/task-list)\/?(?:\?|$)/.test(req.originalUrl ?? req.url ?? '');

/**
 * Reads JSON bodies: only application/json (or +json) in UTF-8, uncompressed (else 415), up to
 * the limit (else 413), well-formed (else 400). Requests without a body pass with none.
 */
export function jsonBody(limitOption: number | string = DEFAULT_OPTIONS.bodyLimit, raw: (req: Req) => boolean = () => false) {
  const limit = byteLimit(limitOption);
  const tooLarge = () => new ApiError(413, `请求体过大:不得超过 ${sizeText(limit)}`);
  return (req: Req, res: Res, next: Next) => {
    const length = req.headers['content-length'];
    const hasBody = req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
    if (!hasBody || raw(req)) return next();
    const type = (req.headers['content-type'] ?? '').toLowerCase();
    const [media, ...params] = type.split(';').map((s) => s.trim());
    const charset = params.find((p) => p.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
    const fail = (err: ApiError) => {
      // Stop reading: the answer is known. The connection closes after the response.
      res.setHeader('Connection', 'close');
      sendError(req, res, err);
      req.resume();
    };
    if (!(media === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(media ?? ''))) {
      return fail(new ApiError(415, media ? `不支持的请求体类型 ${media.slice(0, 100)}:请使用 application/json` : '请求体缺少类型:请设置 Content-Type: application/json'));
    }
    if (charset && charset !== 'utf-8' && charset !== 'utf8') return fail(new ApiError(415, `不支持的字符集 ${charset.slice(0, 40)}:请使用 UTF-8`));
    const encoding = req.headers['content-encoding'];
    if (encoding && encoding !== 'identity') return fail(new ApiError(415, '不支持压缩的请求体:请去掉 Content-Encoding'));
    if (length !== undefined && Number(length) > limit) return fail(tooLarge());

    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (err?: ApiError) => {
      if (done) return;
      done = true;
      req.removeListener('data', onData);
      if (err) return fail(err);
      const text = Buffer.concat(chunks).toString('utf8');
      if (!text.trim()) return fail(new ApiError(400, '请求体为空:应为 JSON'));
      try {
        req.body = JSON.parse(text);
      } catch {
        return fail(new ApiError(400, '请求体不是合法的 JSON'));
      }
      next();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) finish(tooLarge());
      else chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => finish());
    req.on('error', () => finish(new ApiError(400, '请求体未能完整接收')));
  };
}

/** Any path no route takes, outside /api too. */
export function notFound(req: Req, res: Res): void {
  sendError(req, res, new ApiError(404, `没有这个接口:${req.method} ${(req.originalUrl ?? req.url ?? '').split('?')[0].slice(0, 200)}`));
}

/** Errors Express itself raises (a malformed URL): their 4xx in the error shape, anything else a logged 500. */
export function expressErrors(deps: ApiDeps) {
  // Express knows an error handler by its four parameters.
  return (err: unknown, req: Req, res: Res, _next: Next): void => {
    const status = (err as { status?: number })?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      sendError(req, res, new ApiError(status in DEFAULT_MESSAGES ? (status as ErrorStatus) : 400));
      return;
    }
    const e = err instanceof Error ? err : new Error(String(err));
    deps.log({ level: 'error', msg: 'unhandled error', requestId: req.id, method: req.method, error: e.name, message: e.message, stack: e.stack });
    sendError(req, res, new ApiError(500));
  };
}
