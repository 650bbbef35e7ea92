import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ID_PATTERN } from '@printfleet/contracts';
import { z } from 'zod';
import { Caller, Roles } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { invalidInput } from '../errors/gateway-error';
import { parseBody } from '../http/parse-body';
import { enc } from './files.service';
import { JobServiceClient } from './job-service-client';

const text = (max: number, what: string) =>
  z.string().trim().min(1, `${what} cannot be empty (send null to clear it)`).max(max, `${what} has at most ${max} characters`);
const size = z.number().positive('a bed size is a positive number of mm').max(5000, 'a bed size is at most 5000 mm');

/** What the job-service accepts (docs/job-service.md), checked here so a bad body never reaches it. */
const profileSchema = z
  .object({
    displayName: text(200, 'a display name').nullable().optional(),
    location: text(200, 'a location').nullable().optional(),
    tags: z.array(text(50, 'a tag')).max(20, 'at most 20 tags').optional(),
    bed: z.object({ x: size, y: size, z: size }).strict().nullable().optional(),
    nozzleDiameter: z.number().positive('a nozzle diameter is a positive number of mm').max(5, 'a nozzle diameter is at most 5 mm').nullable().optional(),
    filamentType: text(50, 'a filament type').nullable().optional(),
  })
  .strict();

/**
 * Printer names and profiles, as the job-service's printer registry keeps them (it uses bed,
 * nozzle, filament and tags to match queued jobs to printers). Admins and operators.
 */
@ApiTags('printers')
@Roles('admin', 'operator')
@Controller('api')
export class PrinterProfilesController {
  constructor(private readonly client: JobServiceClient) {}

  @Get('printer-profiles')
  @ApiOperation({
    summary: 'Every printer the job-service knows, with display name, location and profile (bed, nozzle, filament, tags) {items} (admin, operator)',
  })
  async list(@Caller() caller: Principal) {
    return (await this.client.json('GET', '/printers', caller.name)).body;
  }

  @Put('printers/:id/profile')
  @ApiOperation({
    summary:
      'Change a printer’s {displayName?, location?, tags?, bed? {x,y,z} mm, nozzleDiameter? mm, filamentType?} (null clears); answers the printer (admin, operator)',
  })
  async update(@Caller() caller: Principal, @Param('id') id: string, @Body() body: unknown) {
    if (!ID_PATTERN.test(id)) throw invalidInput('a printer id is 1-64 characters: letters, digits, ".", "_" or "-"');
    const update = parseBody(profileSchema, body);
    return (await this.client.json('PUT', `/printers/${enc(id)}/profile`, caller.name, update)).body;
  }
}
