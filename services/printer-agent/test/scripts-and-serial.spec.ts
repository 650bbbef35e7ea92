import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTempDir } from '@printfleet/testing';
import { ModalTracker, resumePrelude, scriptFor, scriptRetraction, DEFAULT_PAUSE_SCRIPT } from '../src/session/pause-scripts';
import { SeqStore } from '../src/session/seq-store';
import { BedStore, UNREADABLE_BED } from '../src/session/bed-store';
import { JobStore } from '../src/jobs/job-store';
import { setLowLatency } from '../src/serial/latency-timer';

describe('pause and resume scripts', () => {
  it('follows modes and feed rate up to the confirmed line only', () => {
    const m = new ModalTracker();
    ['G90', 'M82', 'G1 X1 F1200 ; travel', 'G91', 'M83', 'G1 X1 E1 F900'].forEach((l, i) => m.see(i + 1, l));
    m.confirm(3);
    expect(m.state).toEqual({ relativeXYZ: false, relativeE: false, feedrate: 1200 });
    m.confirm(4); // G91: Marlin makes E relative too
    expect(m.state).toEqual({ relativeXYZ: true, relativeE: true, feedrate: 1200 });
    m.see(7, 'G90');
    m.see(8, 'M83');
    m.confirm(8);
    expect(m.state).toEqual({ relativeXYZ: false, relativeE: true, feedrate: 900 });
  });

  it('undoes the pause script: position, retraction, logical E, modes, feed rate', () => {
    expect(scriptRetraction(DEFAULT_PAUSE_SCRIPT)).toBe(-2);
    expect(scriptRetraction(['G1 E-5', 'M83', 'G1 E-1.5 F1800', 'G1 E0.5'])).toBe(-1); // absolute E is not a retraction
    expect(resumePrelude({ x: 57.5, y: 12, z: 0.3, e: 123.45678 }, { relativeXYZ: false, relativeE: false, feedrate: 1800 }, -2)).toEqual([
      'G90',
      'M83',
      'G1 X57.5 Y12 F6000',
      'G1 Z0.3 F600',
      'G1 E2 F2400',
      'G92 E123.457',
      'G90',
      'M82',
      'G1 F1800',
    ]);
  });

  it('reads a script setting inline (\\n-separated) or from a profile file with per-printer sections', () => {
    const read = () => 'M83\nG1 E-1 ; retract\n\n[dagoma-1]\nG91\nG1 Z5\nG90\n[mk3]\n';
    expect(scriptFor(undefined, 'x', read)).toBeNull();
    expect(scriptFor('M83\\nG1 E-3 F1800\\nG1 X0 Y200', 'x', read)).toEqual(['M83', 'G1 E-3 F1800', 'G1 X0 Y200']);
    expect(scriptFor('/etc/printfleet/pause.gcode', 'dagoma-1', read)).toEqual(['G91', 'G1 Z5', 'G90']);
    expect(scriptFor('/etc/printfleet/pause.gcode', 'other', read)).toEqual(['M83', 'G1 E-1']);
    expect(scriptFor('/etc/printfleet/pause.gcode', 'mk3', read)).toEqual([]); // an empty section: no script
  });
});

describe('state seq across restarts', () => {
  it('keeps the last published seq per printer beside the job store', () => {
    const dir = createTempDir();
    const store = new SeqStore(dir.path);
    expect(store.load('mk3')).toBe(0);
    store.save('mk3', 17);
    expect(new SeqStore(dir.path).load('mk3')).toBe(17);
    expect(readFileSync(join(dir.path, 'agent-state', 'mk3.seq'), 'utf8')).toBe('17');
    expect(() => store.save('../x', 1)).toThrow();
    dir.remove();
  });
});

describe('a print on the bed across restarts', () => {
  const job = { id: 'j1', progress: 100, fileName: 'cube.gcode', line: 2147, startedAt: '2026-11-27T09:00:00.000Z' };

  it('keeps each printer’s bed beside the job store until it is cleared', () => {
    const dir = createTempDir();
    const store = new BedStore(dir.path);
    expect(store.load('mk3')).toBeNull(); // never used: clear
    store.save('mk3', { state: 'cancelled', job, reason: 'wrong filament' });
    expect(new BedStore(dir.path).load('mk3')).toEqual({ state: 'cancelled', job, reason: 'wrong filament' });
    expect(new BedStore(dir.path).load('ender')).toBeNull();
    // Not mistaken for a job by the job store's boot scan.
    expect(new JobStore(dir.path).printersWithJobs()).toEqual([]);
    store.save('mk3', null);
    expect(store.load('mk3')).toBeNull();
    store.save('mk3', null); // already clear: nothing to do
    expect(() => store.save('../x', null)).toThrow();
    dir.remove();
  });

  it('counts a record it cannot read as a print on the bed', () => {
    const dir = createTempDir();
    const store = new BedStore(dir.path);
    writeFileSync(join(dir.path, 'agent-state', 'mk3.bed'), '{"state":"finis');
    expect(store.load('mk3')).toEqual(UNREADABLE_BED);
    writeFileSync(join(dir.path, 'agent-state', 'mk3.bed'), JSON.stringify({ state: 'ready' }));
    expect(store.load('mk3')).toEqual(UNREADABLE_BED);
    mkdirSync(join(dir.path, 'agent-state', 'ender.bed')); // EISDIR, not ENOENT
    expect(store.load('ender')).toEqual(UNREADABLE_BED);
    dir.remove();
  });
});

describe('USB latency timer through sysfs', () => {
  /** /sys/bus/usb-serial/devices/ttyUSB0/latency_timer and a /dev with a by-id link, in a temp dir. */
  function tree(ms: string) {
    const dir = createTempDir();
    const sysfs = join(dir.path, 'sys');
    const attr = join(sysfs, 'bus/usb-serial/devices/ttyUSB0');
    mkdirSync(attr, { recursive: true });
    writeFileSync(join(attr, 'latency_timer'), `${ms}\n`);
    const dev = join(dir.path, 'dev');
    mkdirSync(join(dev, 'serial/by-id'), { recursive: true });
    writeFileSync(join(dev, 'ttyUSB0'), '');
    writeFileSync(join(dev, 'ttyACM0'), '');
    symlinkSync(join(dev, 'ttyUSB0'), join(dev, 'serial/by-id/usb-FTDI_FT232R_A50285BI-if00-port0'));
    return { dir, sysfs, dev, file: join(attr, 'latency_timer') };
  }

  it('sets an FTDI adapter to 1 ms, following a by-id link, and leaves it when already low', () => {
    const t = tree('16');
    expect(setLowLatency(join(t.dev, 'serial/by-id/usb-FTDI_FT232R_A50285BI-if00-port0'), { sysfsRoot: t.sysfs })).toEqual({
      status: 'set',
      file: t.file,
      fromMs: 16,
      toMs: 1,
    });
    expect(readFileSync(t.file, 'utf8').trim()).toBe('1');
    expect(setLowLatency(join(t.dev, 'ttyUSB0'), { sysfsRoot: t.sysfs })).toEqual({ status: 'already', file: t.file, ms: 1 });
    t.dir.remove();
  });

  it('leaves ports without the attribute alone (CDC-ACM boards, PTYs, missing paths)', () => {
    const t = tree('16');
    expect(setLowLatency(join(t.dev, 'ttyACM0'), { sysfsRoot: t.sysfs })).toEqual({ status: 'absent' });
    expect(setLowLatency(join(t.dev, 'gone'), { sysfsRoot: t.sysfs })).toEqual({ status: 'absent' });
    t.dir.remove();
  });

  it('reports an attribute it may not write, and leaves it as it was', () => {
    const t = tree('16');
    const denied = () => {
      throw Object.assign(new Error("EACCES: permission denied, open 'latency_timer'"), { code: 'EACCES' });
    };
    expect(setLowLatency(join(t.dev, 'ttyUSB0'), { sysfsRoot: t.sysfs, write: denied })).toEqual({
      status: 'not-writable',
      file: t.file,
      ms: 16,
      error: expect.stringMatching(/EACCES/),
    });
    expect(readFileSync(t.file, 'utf8').trim()).toBe('16');
    t.dir.remove();
  });
});
