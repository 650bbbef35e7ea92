import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Roles } from '../auth/auth.decorators';
import { parseBody } from '../http/parse-body';
import { ROLES } from './roles';
import { UsersService } from './users.service';

const addSchema = z.object({ name: z.string(), role: z.enum(ROLES), password: z.string().optional() });
const changeSchema = z.object({ role: z.enum(ROLES).optional(), password: z.string().optional() });

@ApiTags('users')
@Roles('admin')
@Controller('api/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: 'Every user with their role (admin)' })
  list() {
    return this.users.list();
  }

  @Post()
  @ApiOperation({
    summary: 'Add a user {name, role, password?}; a generated password is returned once (admin)',
  })
  add(@Body() body: unknown) {
    const { name, role, password } = parseBody(addSchema, body);
    return this.users.add(name, role, password);
  }

  @Patch(':name')
  @ApiOperation({ summary: 'Change a role and/or password {role?, password?} (admin)' })
  async change(@Param('name') name: string, @Body() body: unknown) {
    const { role, password } = parseBody(changeSchema, body);
    if (password !== undefined) await this.users.setPassword(name, password);
    return role !== undefined ? this.users.setRole(name, role) : this.users.byName(name);
  }

  @Delete(':name')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a user, their sessions and API keys (admin)' })
  remove(@Param('name') name: string): Promise<void> {
    return this.users.remove(name);
  }
}
