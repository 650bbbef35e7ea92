import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { forbidden, GatewayError } from '../errors/gateway-error';
import type { Role } from '../users/roles';
import { ApiKeysService } from './api-keys.service';
import { PUBLIC_KEY, ROLES_KEY } from './auth.decorators';
import { AuthService } from './auth.service';
import { readCookie, SESSION_COOKIE } from './cookies';
import type { Principal, RequestWithPrincipal } from './principal';
import { safeEqual } from './tokens';

export const CSRF_HEADER = 'x-csrf-token';
export const API_KEY_HEADER = 'x-api-key';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The global guard: every route is authenticated unless marked `@Public()`, then role-checked.
 * An `X-Api-Key` header wins over a cookie. Cookie-authenticated requests that change state must
 * carry the session's CSRF token in `X-CSRF-Token` (a synchronizer token kept with the session
 * and handed to the page by login and `/api/auth/me`); API-key calls need none, since a browser
 * never adds that header on its own.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = ctx.switchToHttp().getRequest<Request & RequestWithPrincipal>();
    const principal = await this.identify(req);
    if (!principal)
      throw new GatewayError('UNAUTHENTICATED', 'log in first (session cookie) or send an X-Api-Key header');
    if (principal.session && !SAFE_METHODS.has(req.method)) {
      const sent = req.header(CSRF_HEADER);
      if (!sent || !safeEqual(sent, principal.session.csrfToken))
        throw new GatewayError(
          'CSRF_REJECTED',
          'missing or wrong X-CSRF-Token header: reload the page and try again',
        );
    }
    req.principal = principal;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(principal.role))
      throw forbidden(`this needs the role ${roles.join(' or ')}; you are ${principal.role}`);
    return true;
  }

  private async identify(req: Request): Promise<Principal | null> {
    const key = req.header(API_KEY_HEADER);
    if (key) return this.apiKeys.authenticate(key);
    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    return token ? this.auth.authenticate(token) : null;
  }
}
