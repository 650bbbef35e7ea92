import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiKeysService } from '../../auth/api-keys.service';
import { PUBLIC_KEY } from '../../auth/auth.decorators';
import { AuthGuard } from '../../auth/auth.guard';
import { AuthService } from '../../auth/auth.service';
import { INTEGRATION_SETTINGS, type IntegrationSettings } from '../integration-settings';

/**
 * `/metrics` is `@Public()` to the global guard, and decided here: open when
 * `PRINTFLEET_METRICS_PUBLIC=true`, else the very same AuthGuard runs (session or API key),
 * blind to the `@Public()` mark, so metrics can never drift from how the rest of the API
 * authenticates.
 */
@Injectable()
export class MetricsAccessGuard implements CanActivate {
  private readonly auth: AuthGuard;

  constructor(
    @Inject(INTEGRATION_SETTINGS) private readonly settings: IntegrationSettings,
    reflector: Reflector,
    auth: AuthService,
    apiKeys: ApiKeysService,
  ) {
    const ignorePublic = {
      getAllAndOverride: (key: unknown, targets: Parameters<Reflector['getAllAndOverride']>[1]) =>
        key === PUBLIC_KEY ? undefined : reflector.getAllAndOverride(key as string, targets),
    } as Reflector;
    this.auth = new AuthGuard(ignorePublic, auth, apiKeys);
  }

  canActivate(ctx: ExecutionContext): Promise<boolean> | boolean {
    return this.settings.metrics.public || this.auth.canActivate(ctx);
  }
}
