import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Caller } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { JobServiceClient } from './job-service-client';
import { JobsService } from './jobs.service';
import { relayStream } from './stream-relay';

@ApiTags('jobs')
@Controller('api')
export class JobsController {
  constructor(
    private readonly jobs: JobsService,
    private readonly client: JobServiceClient,
  ) {}

  @Post('jobs')
  @HttpCode(201)
  @ApiOperation({
    summary:
      'Print a file {fileId, printerId?, printerIds?, held?, constraints?}: on one printer, several, or (no printer) the fleet queue; 201 {jobs}',
  })
  create(@Caller() caller: Principal, @Body() body: unknown) {
    return this.jobs.create(caller, body);
  }

  @Get('jobs')
  @ApiOperation({
    summary: 'Jobs and history, newest first {items, total}; ?printerId=&user=&fileId=&fileName=&state=a,b&from=&to=&limit=&offset=',
  })
  search(@Caller() caller: Principal, @Query() query: Record<string, unknown>) {
    return this.jobs.search(caller, query);
  }

  @Get('jobs.csv')
  @ApiOperation({ summary: 'The same history as CSV (same filters), streamed' })
  async csv(@Caller() caller: Principal, @Query() query: Record<string, unknown>, @Res() res: Response): Promise<void> {
    await relayStream(this.client, this.jobs.csvPath(query), caller.name, res, ['content-type', 'content-disposition'], {
      'Cache-Control': 'no-store',
    });
  }

  @Get('jobs/:id')
  @ApiOperation({ summary: 'One job' })
  get(@Caller() caller: Principal, @Param('id') id: string) {
    return this.jobs.get(caller, id);
  }

  @Post('jobs/:id/:action')
  @ApiOperation({
    summary:
      'cancel {reason?} (makers: their own jobs), hold, release, move {position} (operators), reprint {printerId?} (a new job); 409 INVALID_STATE when it does not apply',
  })
  async act(
    @Caller() caller: Principal,
    @Param('id') id: string,
    @Param('action') action: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    const answer = await this.jobs.act(caller, id, action, body);
    res.status(answer.status);
    return answer.body;
  }

  @Get('queue')
  @ApiOperation({ summary: 'Jobs waiting (queued, held, dispatching), in queue order {items}' })
  queue(@Caller() caller: Principal) {
    return this.jobs.queue(caller);
  }

  @Get('stats')
  @ApiOperation({
    summary:
      'Jobs ended, by the time they ended: per printer and per user (jobs, outcomes, success rate, print hours, filament), failures by reason, and `series` over time; ?from=&to=&printerId=&user=&bucket=day|week|month&tz=<IANA zone>',
  })
  stats(@Caller() caller: Principal, @Query() query: Record<string, unknown>) {
    return this.jobs.stats(caller, query);
  }
}
