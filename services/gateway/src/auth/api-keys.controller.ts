import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { idSchema } from '@printfleet/contracts';
import { forbidden } from '../errors/gateway-error';
import { parseBody } from '../http/parse-body';
import { ApiKeysService } from './api-keys.service';
import { Caller } from './auth.decorators';
import type { Principal } from './principal';

const createSchema = z.object({
  label: z.string().min(1).max(100).optional(),
  user: z.string().optional(),
  /** Slicer uploads with "print" go to this printer instead of the fleet queue. */
  printerId: idSchema.nullable().optional(),
});

@ApiTags('api keys')
@Controller('api/apikeys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Get()
  @ApiOperation({ summary: 'Your API keys (admins: everyone’s); never the keys themselves' })
  list(@Caller() caller: Principal) {
    return this.keys.list(caller);
  }

  @Post()
  @ApiOperation({ summary: 'Create an API key {label?, user?, printerId?}: the key is in this answer only' })
  create(@Caller() caller: Principal, @Body() body: unknown) {
    const { label, user, printerId } = parseBody(createSchema, body);
    if (user !== undefined && user.toLowerCase() !== caller.name.toLowerCase() && caller.role !== 'admin')
      throw forbidden('only admins may create API keys for others');
    return this.keys.create(user ?? caller.name, label, printerId ?? null);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key' })
  revoke(@Caller() caller: Principal, @Param('id') id: string): Promise<void> {
    return this.keys.revoke(caller, id);
  }
}
