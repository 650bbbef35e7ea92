import { EventEmitter } from 'node:events';
import { Injectable } from '@nestjs/common';

/**
 * In-process notice that a job's record changed (after the commit). Tests await it instead of
 * sleeping; a later publisher of job events on MQTT for the gateway hangs off the same hook.
 */
@Injectable()
export class JobChanges {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  changed(jobId: string): void {
    this.emitter.emit('changed', jobId);
  }

  onChange(listener: (jobId: string) => void): () => void {
    this.emitter.on('changed', listener);
    return () => this.emitter.off('changed', listener);
  }
}
