import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { notFound } from '../errors/gateway-error';
import { enc, pick } from '../jobs/files.service';
import { JobServiceClient } from '../jobs/job-service-client';
import { CommandService } from './command.service';
import { PrinterRegistry } from './printer-registry';

const TEMPERATURE_PARAMS = ['from', 'to', 'jobId', 'limit'] as const;

@ApiTags('printers')
@Controller('api/printers')
export class PrintersController {
  constructor(
    private readonly registry: PrinterRegistry,
    private readonly commands: CommandService,
    private readonly jobService: JobServiceClient,
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

  @Get(':id/temperatures')
  @ApiOperation({
    summary:
      'Temperature history from the job-service (one sample per 10 s), oldest first: {printerId, from, to, sampleIntervalS, items: [{ts, jobId, heaters}], truncated}; ?from=&to=&jobId=&limit= (default: the last 24 h)',
  })
  async temperatures(@Caller() caller: Principal, @Param('id') id: string, @Query() query: Record<string, unknown>) {
    const path = `/printers/${enc(id)}/temperatures${pick(query, TEMPERATURE_PARAMS)}`;
    return (await this.jobService.json('GET', path, caller.name)).body;
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
