import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Touches `<dataDir>/run/<name>.alive` while the service is connected to the broker, so a
 * container healthcheck can tell a live service from a hung one without an HTTP port.
 */
export class Heartbeat {
  private timer: NodeJS.Timeout | null = null;
  readonly file: string;

  constructor(dataDir: string, name: string, private readonly isHealthy: () => boolean, private readonly periodMs = 10_000) {
    this.file = join(dataDir, 'run', `${name}.alive`);
  }

  start(): void {
    mkdirSync(join(this.file, '..'), { recursive: true });
    const beat = () => {
      if (this.isHealthy()) writeFileSync(this.file, new Date().toISOString());
    };
    beat();
    this.timer = setInterval(beat, this.periodMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
