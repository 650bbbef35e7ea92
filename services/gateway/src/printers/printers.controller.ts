import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { notFound } from '../errors/gateway-error';
import { CommandService } from './command.service';
import { PrinterRegistry } from './printer-registry';

@ApiTags('printers')
@Controller('api/printers')
export class PrintersController {
  constructor(
    private readonly registry: PrinterRegistry,
    private readonly commands: CommandService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Every printer: its agent’s last retained state, agent availability, latest telemetry',
  })
  list() {
    return this.registry.list();
  }

  @Get(':id')
  @ApiOperation({ summary: 'One printer' })
  get(@Param('id') id: string) {
    const printer = this.registry.get(id);
    if (!printer) throw notFound('printer', id);
    return printer;
  }

  @Post(':id/commands/:verb')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Send a command (pause, resume, cancel, clear, estop, gcode, connect, disconnect, start); returns the agent’s reply {commandId, accepted, reason?}',
  })
  command(
    @Caller() caller: Principal,
    @Param('id') id: string,
    @Param('verb') verb: string,
    @Body() body: unknown,
  ) {
    return this.commands.send(caller, id, verb, body);
  }
}
