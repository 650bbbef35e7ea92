import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ID_PATTERN, LIMITS, printerScriptSchema } from '@printfleet/contracts';
import { z } from 'zod';
import { Caller, Roles } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { forbidden, invalidInput } from '../errors/gateway-error';
import { parseBody } from '../http/parse-body';
import { enc } from './files.service';
import { JobServiceClient } from './job-service-client';

const text = (max: number, what: string) =>
  z.string().trim().min(1, `${what} cannot be empty (send null to clear it)`).max(max, `${what} has at most ${max} characters`);
/**
 * A pause or cancel script: `printerScriptSchema` (what the job-service and agents accept), with a
 * first pass whose messages name what is wrong with a line in words a person can act on.
 */
const script = z
  .array(
    z
      .string('a script line is text')
      .max(LIMITS.gcodeLine, `a script line has at most ${LIMITS.gcodeLine} characters`)
      .refine((line) => line.trim() !== '', 'a script line cannot be blank'),
    'a script is a list of G-code lines, one per entry (send null for the default)',
  )
  .pipe(printerScriptSchema);
/** Raw G-code the agent runs at a pause or cancel: only admins may set or clear these. */
const SCRIPT_FIELDS = ['pauseScript', 'cancelScript'] as const;
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
    pauseScript: script.nullable().optional(),
    cancelScript: script.nullable().optional(),
  })
  .strict();

/**
 * Printer names and profiles, as the job-service's printer registry keeps them (it uses bed,
 * nozzle, filament and tags to match queued jobs to printers). Admins and operators; the pause and
 * cancel scripts (raw G-code the agent runs) only admins, as with the console.
 */
@ApiTags('printers')
@Roles('admin', 'operator')
@Controller('api')
export class PrinterProfilesController {
  constructor(private readonly client: JobServiceClient) {}

  @Get('printer-profiles')
  @ApiOperation({
    summary:
      'Every printer the job-service knows, with display name, location, profile (bed, nozzle, filament, tags) and pauseScript/cancelScript (null: the agent’s default) {items} (admin, operator)',
  })
  async list(@Caller() caller: Principal) {
    return (await this.client.json('GET', '/printers', caller.name)).body;
  }

  @Put('printers/:id/profile')
  @ApiOperation({
    summary:
      'Change a printer’s {displayName?, location?, tags?, bed? {x,y,z} mm, nozzleDiameter? mm, filamentType?, pauseScript?, cancelScript?} (null clears; scripts are 1-50 G-code lines, null = the agent’s default); answers the printer (admin, operator; pauseScript/cancelScript admin only)',
  })
  async update(@Caller() caller: Principal, @Param('id') id: string, @Body() body: unknown) {
    if (!ID_PATTERN.test(id)) throw invalidInput('a printer id is 1-64 characters: letters, digits, ".", "_" or "-"');
    // Asked before the body is checked: an operator learns that scripts are not theirs to set,
    // whatever the script says (a null that would reset one counts too).
    const scripts = body && typeof body === 'object' ? SCRIPT_FIELDS.filter((f) => f in body) : [];
    if (scripts.length > 0 && caller.role !== 'admin')
      throw forbidden(`only admins may set ${scripts.join(' or ')}: a script is raw G-code the printer runs; you are ${caller.role}`);
    const update = parseBody(profileSchema, body);
    return (await this.client.json('PUT', `/printers/${enc(id)}/profile`, caller.name, update)).body;
  }
}
