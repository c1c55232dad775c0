import createClient from 'openapi-fetch';
import type { components, paths } from './schema';
import { endSession, refreshTokens, session } from '../session';

/** The API's schemas, as its OpenAPI document names them (generated: schema.d.ts). */
export type Schemas = components['schemas'];
/** The one error shape of the API. */
export type ApiErrorBody = Schemas['Error']['error'];

const AUTH_PATHS = /\/api\/auth\/(login|refresh|logout)$/;

/**
 * Every request with the access token; a 401 refreshes the tokens once and repeats the request,
 * and a session that cannot be refreshed ends (the console shows the login page, forms keep
 * their drafts).
 */
async function authorizedFetch(request: Request): Promise<Response> {
  if (AUTH_PATHS.test(new URL(request.url).pathname)) return fetch(request);
  const copy = request.clone();
  const send = (req: Request) => {
    const token = session.get().tokens?.accessToken;
    if (token) req.headers.set('Authorization', `Bearer ${token}`);
    return fetch(req);
  };
  const first = await send(request);
  if (first.status !== 401) return first;
  if (await refreshTokens()) return send(copy);
  endSession('登录已过期,请重新登录;未提交的内容已保留。');
  return first;
}

export const api = createClient<paths>({ baseUrl: window.location.origin, fetch: authorizedFetch });

/** Thrown by `must` for an error answer: the API's Chinese message and details. */
export class ApiFailure extends Error {
  constructor(readonly body: ApiErrorBody) {
    super(body.message);
  }
}

/** The data of an answer, or an ApiFailure with the API's error (for TanStack Query). */
export function must<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || result.data === undefined) {
    const body = (result.error as { error?: ApiErrorBody } | undefined)?.error;
    throw new ApiFailure(body ?? { status: result.response.status, code: 'unknown', message: `请求未完成(${result.response.status})`, requestId: '' });
  }
  return result.data;
}
