import { applyDecorators, CanActivate, createParamDecorator, ExecutionContext, Inject, Injectable, UseGuards } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { ApiDeps, DEPS } from './deps';
import { ApiError } from './errors';
import type { Req } from './http';
import type { Caller } from '@reform/desk';

/**
 * The seam for identity (built elsewhere; the lead wires it in): who is asking, resolved from
 * the request (its bearer token). The API never takes a role from the request body.
 */
export type { Principal } from '@reform/platform';
import type { Principal, UserProfile } from '@reform/platform';

export interface PrincipalResolver {
  /**
   * The user of the request (and their profile, when the resolver has read it), or undefined when
   * it carries no valid credentials (401). Throw an ApiError for anything more specific.
   */
  resolve(req: Req): Promise<{ principal: Principal; profile?: UserProfile } | undefined>;
}

@Injectable()
export class UserGuard implements CanActivate {
  constructor(@Inject(DEPS) private readonly deps: ApiDeps) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Req>();
    const signedIn = await this.deps.auth?.resolve(req);
    if (!signedIn) throw new ApiError(401, '请先登录:请求须带有效的访问令牌(Authorization: Bearer …)');
    req.principal = signedIn.principal;
    req.profile = signedIn.profile;
    return true;
  }
}

/** Marks a route (or a controller) as one only a signed-in user may call. */
export const RequireUser = () => applyDecorators(UseGuards(UserGuard), ApiBearerAuth());

/** The signed-in user of a @RequireUser() route. */
export const CurrentUser = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<Req>().principal;
  if (!principal) throw new ApiError(401);
  return principal;
});

/**
 * The signed-in user of a @RequireUser() route as the desks take it: who, and the request id
 * the audit trail carries.
 */
export const CurrentCaller = createParamDecorator((_: unknown, context: ExecutionContext): Caller => {
  const req = context.switchToHttp().getRequest<Req>();
  if (!req.principal) throw new ApiError(401);
  return { principal: req.principal, requestId: req.id, ...(req.profile ? { profile: req.profile } : {}) };
});

/** A service the API was composed with, or 503 naming it (a deployment without it). */
export function enabled<T>(service: T | undefined, name: string): T {
  if (!service) throw new ApiError(503, `${name}未启用`);
  return service;
}
