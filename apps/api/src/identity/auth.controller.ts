import { Body, Controller, Get, HttpCode, Inject, Post, Req as Request } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Caller } from '@reform/desk';
import { LoginBodySchema as LoginBody, RefreshBodySchema as RefreshBody, TokenPairSchema as TokenPair, UserProfileSchema as UserProfile } from '@reform/platform';
import { Throttle } from '@nestjs/throttler';
import { z } from 'zod';
import { CurrentCaller, enabled, RequireUser } from '../auth';
import { ApiDeps, DEPS } from '../deps';
import { ApiError, ErrorBodySchema } from '../errors';
import { Req } from '../http';

// Named in the OpenAPI document.
const LoginBodySchema = LoginBody.meta({ id: 'LoginBody' });
const RefreshBodySchema = RefreshBody.meta({ id: 'RefreshBody' });
const TokenPairSchema = TokenPair.meta({ id: 'TokenPair' });
const UserProfileSchema = UserProfile.meta({ id: 'UserProfile' });

/** Login attempts a client may make per minute (on top of the account lockout). */
export const LOGIN_THROTTLE = { limit: 10, ttl: 60_000 };

@ApiTags('登录')
@Controller('auth')
export class AuthController {
  constructor(@Inject(DEPS) private readonly deps: ApiDeps) {}

  private identity(): NonNullable<ApiDeps['identity']> {
    return enabled(this.deps.identity, '登录服务');
  }

  @Post('login')
  @HttpCode(200)
  @Throttle({ default: LOGIN_THROTTLE })
  @ApiOperation({ summary: '用户名和密码登录', description: '成功时返回短期访问令牌和一次性刷新令牌;连续失败多次后账号锁定一段时间。' })
  @ApiResponse({ status: 200, standardSchema: TokenPairSchema })
  @ApiResponse({ status: 401, description: '用户名或密码错误,或账号已锁定', standardSchema: ErrorBodySchema })
  login(@Body({ schema: LoginBodySchema }) body: z.infer<typeof LoginBodySchema>, @Request() req: Req) {
    return this.identity().auth.login(body.username, body.password, { ip: req.socket?.remoteAddress, requestId: req.id });
  }

  @Post('refresh')
  @HttpCode(200)
  @Throttle({ default: LOGIN_THROTTLE })
  @ApiOperation({ summary: '用刷新令牌换取新令牌', description: '每个刷新令牌只能用一次;再次使用已用过的刷新令牌会使该次登录的全部令牌失效。' })
  @ApiResponse({ status: 200, standardSchema: TokenPairSchema })
  @ApiResponse({ status: 401, description: '刷新令牌无效、过期或被重复使用', standardSchema: ErrorBodySchema })
  refresh(@Body({ schema: RefreshBodySchema }) body: z.infer<typeof RefreshBodySchema>) {
    return this.identity().auth.refresh(body.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: '退出登录', description: '该次登录的全部刷新令牌失效。' })
  @ApiResponse({ status: 204, description: '已退出' })
  async logout(@Body({ schema: RefreshBodySchema }) body: z.infer<typeof RefreshBodySchema>): Promise<void> {
    await this.identity().auth.logout(body.refreshToken);
  }

  @Get('me')
  @RequireUser()
  @ApiOperation({ summary: '当前用户、所在单位及其在单位中的角色' })
  @ApiResponse({ status: 200, standardSchema: UserProfileSchema })
  @ApiResponse({ status: 401, description: '未登录', standardSchema: ErrorBodySchema })
  async me(@CurrentCaller() caller: Caller) {
    // The profile the token check has just read (a few seconds fresh at most).
    const profile = caller.profile ?? (await this.identity().accounts.profile(caller.principal.userId));
    if (!profile) throw new ApiError(401, '该账号已不存在,请重新登录');
    return profile;
  }
}
