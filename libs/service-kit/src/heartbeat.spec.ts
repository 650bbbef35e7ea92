import { readFileSync, statSync } from 'node:fs';
import { createTempDir } from '@printfleet/testing';
import { Heartbeat } from './heartbeat';

describe('Heartbeat', () => {
  it('writes the alive file only while the service is healthy', () => {
    const dir = createTempDir();
    let healthy = false;
    const beat = new Heartbeat(dir.path, 'job-service', () => healthy, 60_000);
    beat.start();
    expect(() => statSync(beat.file)).toThrow();
    beat.stop();
    healthy = true;
    beat.start();
    expect(new Date(readFileSync(beat.file, 'utf8')).getTime()).toBeGreaterThan(Date.now() - 5000);
    beat.stop();
    dir.remove();
  });
});
