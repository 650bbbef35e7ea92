import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { parseBody } from '../http/parse-body';
import { LiveServer } from '../live/live.server';
import { GATEWAY_SETTINGS, type GatewaySettings } from '../settings';
import { Caller, Public } from './auth.decorators';
import { AuthService } from './auth.service';
import { clearSessionCookie, setSessionCookie } from './cookies';
import type { Principal } from './principal';

const loginSchema = z.object({ name: z.string().min(1).max(64), password: z.string().min(1).max(1024) });

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly live: LiveServer,
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Log in with {name, password}: sets the session cookie, returns the CSRF token' })
  async login(@Body() body: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const { name, password } = parseBody(loginSchema, body);
    const result = await this.auth.login(name, password, req.ip ?? req.socket.remoteAddress ?? 'unknown');
    setSessionCookie(res, result.sessionToken, this.settings.sessionTtlMs, this.settings.cookieSecure);
    return { user: result.user, csrfToken: result.csrfToken };
  }

  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'End this session' })
  async logout(@Caller() caller: Principal, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logout(caller);
    if (caller.session) this.live.closeSession(caller.session.tokenHash);
    clearSessionCookie(res, this.settings.cookieSecure);
  }

  @Get('me')
  @ApiOperation({ summary: 'Who is logged in, and the CSRF token the page must send with changes' })
  me(@Caller() caller: Principal) {
    return {
      user: { name: caller.name, role: caller.role },
      via: caller.via,
      csrfToken: caller.session?.csrfToken ?? null,
    };
  }
}
