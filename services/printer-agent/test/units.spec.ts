import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTempDir } from '@printfleet/testing';
import { RecentCommands } from '../src/commands/recent-commands';
import { FileCache, FileCacheError } from '../src/jobs/file-cache';
import { jobProgress, slicerRemainingMinutes } from '../src/jobs/job-progress';
import { JobStreamer } from '../src/jobs/job-streamer';
import { baudRatesToTry, firmwareVersion } from '../src/serial/firmware-profile';
import { ConsoleLimiter } from '../src/session/console-limiter';
import { LinkStats } from '../src/session/link-stats';
import { Backoff } from '../src/session/reconnect-timer';
import { TelemetryState } from '../src/session/telemetry-state';
import { FileServer } from './harness';

describe('pure parts', () => {
  it('samples the console at a steady rate and says how many lines it skipped', () => {
    const l = new ConsoleLimiter(10, 2, 0);
    expect([l.admit(0), l.admit(0), l.admit(0), l.admit(0)]).toEqual([0, 0, null, null]);
    expect(l.admit(100)).toBe(2);
  });

  it('counts resends and timeouts, and job lines acknowledged per second over a sliding window', () => {
    let now = 10_000;
    const stats = new LinkStats(5000, () => now);
    expect(stats.snapshot()).toEqual({ linesPerS: 0, resends: 0, timeouts: 0 });
    stats.onResend();
    stats.onResend();
    stats.onTimeout();
    // 100 lines over 2 s, then 3 s more: all 100 in the 5 s window.
    for (let i = 0; i < 100; i++) {
      stats.onAcknowledged();
      now += 20;
    }
    now += 3000 - 20;
    expect(stats.snapshot()).toEqual({ linesPerS: 20, resends: 2, timeouts: 1 });
    // 1 s later the first 50 lines (the first second) have left the window.
    now += 1000;
    expect(stats.linesPerS()).toBe(10);
    now += 5000;
    expect(stats.snapshot()).toEqual({ linesPerS: 0, resends: 2, timeouts: 1 });
    // A long, fast stream: the rate of the last 5 s only.
    for (let i = 0; i < 50_000; i++) {
      now += 1;
      stats.onAcknowledged();
    }
    expect(stats.linesPerS()).toBe(1000);
  });

  it('remembers command replies, forgetting the oldest first', async () => {
    const r = new RecentCommands(2);
    r.remember('a', Promise.resolve({ commandId: 'a', accepted: true }));
    r.remember('b', Promise.resolve({ commandId: 'b', accepted: false, reason: 'no' }));
    r.remember('c', Promise.resolve({ commandId: 'c', accepted: true }));
    expect(r.get('a')).toBeUndefined();
    expect(await r.get('b')).toEqual({ commandId: 'b', accepted: false, reason: 'no' });
  });

  it('turns Marlin and Prusa temperature reports into telemetry heaters', () => {
    const t = new TelemetryState();
    t.onTemperature({ heaters: { T: { actual: 180.3, target: 210 }, B: { actual: 59.8, target: 60 } }, power: { '@': 127, 'B@': 0 } });
    t.onTemperature({ heaters: { T: { actual: 209.5, target: null } }, power: {}, wait: null });
    expect(t.snapshot('p', 'ts').heaters).toEqual({ tool0: { actual: 209.5, target: 210 }, bed: { actual: 59.8, target: 60, power: 0 } });
  });

  it('computes progress from confirmed lines, remaining time from M73 or by extrapolation', () => {
    expect(jobProgress({ confirmedLine: 50, totalLines: 200, elapsedS: 30 })).toEqual({ progress: 25, remainingS: 90 });
    expect(jobProgress({ confirmedLine: 50, totalLines: 200, elapsedS: 30, slicerRemainingMin: 2 })).toEqual({ progress: 25, remainingS: 120 });
    expect(slicerRemainingMinutes('M73 P40 R12 ; comment')).toBe(12);
    expect(slicerRemainingMinutes('M73 P40')).toBeNull();
    expect(baudRatesToTry(undefined)).toEqual([115200, 250000]);
    expect(firmwareVersion('Marlin 2.1.2.1 (Jul  9 2023)')).toBe('2.1.2.1');
  });
});

describe('job streamer', () => {
  it('feeds chunks on demand, resumes at a line with file numbering kept', async () => {
    const dir = createTempDir();
    const path = join(dir.path, 'f.gcode');
    writeFileSync(path, Array.from({ length: 1000 }, (_, i) => `G1 X${i + 1}`).join('\n'));
    const got: string[][] = [];
    let queued = 0;
    const s = new JobStreamer(path, 'j', { enqueueJob: (l) => (got.push(l), (queued += l.length)), queuedLines: () => queued }, 401, { chunkLines: 50, lowWater: 100 });
    await s.start();
    expect(got.map((c) => c.length)).toEqual([50, 50]); // stops at the low-water mark
    expect(got[0]![0]).toBe('G1 X401');
    expect(s.fileLine(1)).toBe(401);
    queued = 0;
    await s.fill();
    expect(got.flat()).toHaveLength(200);
    dir.remove();
  });
});

describe('file cache', () => {
  it('downloads once, checks size and hash, and reuses the cached copy', async () => {
    const dir = createTempDir();
    const server = await FileServer.start();
    const file = server.add('a', 'G28\nG1 X1\n');
    const cache = new FileCache(dir.path);
    expect(await cache.ensure(file)).toMatchObject({ size: file.size, lines: 2 });
    await server.close();
    expect(await cache.ensure(file)).toMatchObject({ lines: 2 }); // server gone: the cache serves
    await expect(cache.ensure({ ...file, sha256: createHash('sha256').update('x').digest('hex') })).rejects.toThrow(FileCacheError);
    dir.remove();
  });

  it('refuses a file longer than announced', async () => {
    const dir = createTempDir();
    const server = await FileServer.start();
    const file = server.add('b', 'G28\nG1 X1\n');
    await expect(new FileCache(dir.path).ensure({ ...file, size: 3 })).rejects.toThrow(/larger than the announced 3 bytes/);
    await server.close();
    dir.remove();
  });
});

describe('reconnection backoff', () => {
  it('doubles from the base to the cap, and starts again from the base after a success', () => {
    const b = new Backoff({ baseMs: 3000, maxMs: 60_000 });
    expect(Array.from({ length: 8 }, () => b.next())).toEqual([3000, 6000, 12_000, 24_000, 48_000, 60_000, 60_000, 60_000]);
    b.reset();
    expect(b.next()).toBe(3000);
    const long = new Backoff({ baseMs: 1, maxMs: 5 });
    for (let i = 0; i < 100; i++) long.next();
    expect(long.next()).toBe(5); // no overflow after a long silence
  });
});
