import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Logger } from '@printfleet/logging';
import { LOGGER } from '@printfleet/service-kit';
import { GATEWAY_SETTINGS, type GatewaySettings } from '../settings';
import { UsersService } from './users.service';

/** On the very first start, creates `admin`; a generated password is printed to the log once. */
@Injectable()
export class FirstAdmin implements OnModuleInit {
  constructor(
    private readonly users: UsersService,
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    const created = await this.users.ensureFirstAdmin(this.settings.adminPassword);
    if (!created) return;
    if (created.generatedPassword)
      this.logger.warn(
        { user: created.name, password: created.generatedPassword },
        `first admin created: log in as "${created.name}" with password ${created.generatedPassword} (shown once; change it, or set PRINTFLEET_ADMIN_PASSWORD before the first start)`,
      );
    else this.logger.info({ user: created.name }, 'first admin created with PRINTFLEET_ADMIN_PASSWORD');
  }
}
