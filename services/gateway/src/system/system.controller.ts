import { statfs } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { describeConfig, type ConfigEntry } from '@printfleet/config';
import { Roles } from '../auth/auth.decorators';
import { GATEWAY_SETTINGS, type GatewaySettings } from '../settings';

export interface SystemReport {
  version: string;
  node: string;
  uptimeS: number;
  dataDir: string;
  /** Free space where files, the database and caches live: the first thing to run out on a Pi's SD card. */
  disk: { freeBytes: number; totalBytes: number } | null;
  /** Every `PRINTFLEET_*` setting as this gateway runs with it, secrets hidden. */
  settings: ConfigEntry[];
}

/** `src/` and `dist/` are both one level below the package. */
const VERSION = (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;

/**
 * What an admin needs to see before asking "why does it do that": version, disk, and the
 * settings in force with where each came from. Read only: site settings live in the deployment
 * (environment, config file, compose), printer settings on the printer profiles.
 */
@ApiTags('system')
@Roles('admin')
@Controller('api/system')
export class SystemController {
  constructor(@Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings) {}

  @Get()
  @ApiOperation({
    summary:
      'Version, uptime, free disk of the data dir, and every PRINTFLEET_* setting {key, value (secrets hidden, URLs as scheme and host), source, defaultValue, help} (admin)',
  })
  async report(): Promise<SystemReport> {
    const disk = await statfs(this.settings.dataDir).then(
      (s) => ({ freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize }),
      () => null,
    );
    return {
      version: VERSION,
      node: process.version,
      uptimeS: Math.round(process.uptime()),
      dataDir: this.settings.dataDir,
      disk,
      settings: describeConfig(),
    };
  }
}
