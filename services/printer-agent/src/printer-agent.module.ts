import { Module } from '@nestjs/common';

/** Discovery, the serial link and the printer state machine arrive with issue #4. */
@Module({})
export class PrinterAgentModule {}
