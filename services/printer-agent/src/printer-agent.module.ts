import { Module } from '@nestjs/common';
import { PrinterAgentService } from './printer-agent.service';

/** Discovery, serial links, printer state machines, jobs and commands (docs/printer-agent.md). */
@Module({ providers: [PrinterAgentService] })
export class PrinterAgentModule {}
