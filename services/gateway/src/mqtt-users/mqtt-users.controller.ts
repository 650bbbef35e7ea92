import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { PUBLIC_ROLES } from '@printfleet/mqtt-accounts';
import { z } from 'zod';
import { Roles } from '../auth/auth.decorators';
import { parseBody } from '../http/parse-body';
import { MqttUsersService } from './mqtt-users.service';

const addSchema = z.object({ name: z.string(), role: z.enum(PUBLIC_ROLES, { error: `role must be one of: ${PUBLIC_ROLES.join(', ')}` }), password: z.string().optional() });

@ApiTags('mqtt-users')
@Roles('admin')
@Controller('api/mqtt-users')
export class MqttUsersController {
  constructor(private readonly accounts: MqttUsersService) {}

  @Get()
  @ApiOperation({ summary: 'Every MQTT account with its role; service accounts are marked (admin)' })
  list() {
    return this.accounts.list();
  }

  @Post()
  @ApiOperation({
    summary: 'Add an MQTT account {name, role: observer|controller, password?}; a generated password is returned once (admin)',
  })
  add(@Body() body: unknown) {
    const { name, role, password } = parseBody(addSchema, body);
    return this.accounts.add(name, role, password);
  }

  @Delete(':name')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove an MQTT account; service accounts cannot be removed (admin)' })
  remove(@Param('name') name: string): void {
    this.accounts.remove(name);
  }
}
