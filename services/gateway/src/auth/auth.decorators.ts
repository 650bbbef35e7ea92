import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Role } from '../users/roles';
import type { Principal, RequestWithPrincipal } from './principal';

export const PUBLIC_KEY = 'printfleet:public';
export const ROLES_KEY = 'printfleet:roles';

/** No authentication: only login and health (DESIGN.md). Static files never reach Nest's guards. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Only these roles may call the route; without it, any authenticated user may. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** The authenticated caller; the guard guarantees it is there on every non-public route. */
export const Caller = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<RequestWithPrincipal>().principal;
  if (!principal) throw new Error('Caller used on a route without authentication');
  return principal;
});
