// Streaming bench: lines/s from the agent's serial path (PrinterConnection + JobStreamer, real
// serialport bindings) to the simulator on a real PTY, against what the link can carry
// (baud / 10 bytes per second ÷ framed bytes per line), per firmware and flow-control scheme;
// the agent's own CPU per 1,000 lines (the simulator runs in another process); RSS with 1, 10
// and 50 printers streaming at once (in-process SimBinding, each count in a fresh process); RSS
// while streaming a large file. Run: npm run bench (builds first). Timing lives here, never in tests.
const { spawn } = require('node:child_process');
const { mkdtempSync, writeFileSync, rmSync, createWriteStream } = require('node:fs');
const { once } = require('node:events');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const pino = require('pino');
const { RealTimeScheduler, SimBinding, SimulatedPrinter } = require('@printfleet/printer-sim');
const { frameLine } = require('@printfleet/serial-protocol');
const { PrinterConnection } = require('../dist/serial/printer-connection');
const { JobStreamer } = require('../dist/jobs/job-streamer');

const log = pino({ level: 'silent' });
const dir = mkdtempSync(join(tmpdir(), 'printfleet-bench-'));
const FAST_PLANNER = { maxFeedrate: 1e7, acceleration: 1e7, blocks: 1e6 };

function moves(n) {
  const lines = [];
  for (let i = 1; i <= n; i++) lines.push(`G1 X${(i % 90) + 5}.5 Y${(i % 70) + 5}.25 E0.0123 F9000000`);
  return lines;
}

/** The simulator in a child process on a real PTY. */
async function simProcess(options) {
  const child = spawn(process.execPath, [join(__dirname, 'sim-process.js'), JSON.stringify(options)], { stdio: ['pipe', 'pipe', 'inherit'] });
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (b) => String(b).includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`simulator exited (${code})`)));
  });
  return {
    path: options.path,
    close: async () => {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}

async function stream(portPath, path, baud, opts = {}) {
  const conn = new PrinterConnection(portPath, log, { timings: { bootWaitMs: 1500 }, binding: opts.binding, sysfsRoot: null });
  await conn.connect([baud]);
  let done;
  const finished = new Promise((resolve) => (done = resolve));
  const streamer = new JobStreamer(path, 'bench', {
    enqueueJob: (l, o) => conn.enqueueJob(l, o),
    queuedLines: () => conn.status().job?.queuedLines ?? 0,
  });
  conn.on('action', (a) => {
    if (a.type === 'job-progress') void streamer.fill();
    if (a.type === 'job-finished' || a.type === 'job-failed') done(a);
    if (opts.stopAfterLines && a.type === 'job-progress' && a.confirmedLines >= opts.stopAfterLines) done(a);
  });
  if (opts.started) await opts.started();
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await streamer.start();
  const end = await finished;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  streamer.stop();
  await conn.close();
  return { end, seconds, cpuMs: (cpu.user + cpu.system) / 1000 };
}

const SCHEMES = {
  marlin: { dialect: 'marlin', advancedOk: false, label: 'Marlin 2.1, ping-pong' },
  'marlin-aok': { dialect: 'marlin', advancedOk: true, label: 'Marlin 2.1 + ADVANCED_OK, ping-pong' },
  repetier: { dialect: 'repetier', advancedOk: false, label: 'Repetier 1.0, send-ahead (127 B)' },
};

async function linkBench(scheme, baud, latencyMs, n) {
  const { dialect, advancedOk, label } = SCHEMES[scheme];
  const lines = moves(n);
  const path = join(dir, `moves-${n}.gcode`);
  writeFileSync(path, lines.join('\n') + '\n');
  const sim = await simProcess({ path: join(dir, `sim-${scheme}-${baud}-${latencyMs}`), dialect, advancedOk, baudRate: baud, latencyMs, bootMs: 50, planner: FAST_PLANNER, thermal: { noise: 0 } });
  const r = await stream(sim.path, path, baud);
  await sim.close();
  // What the wire must carry per line: the framed line + LF to the printer (the replies use the other wire).
  const bytesPerLine = lines.reduce((s, l, i) => s + frameLine(i + 1, l).length + 1, 0) / n;
  const linkLinesPerS = baud / 10 / bytesPerLine;
  const lps = r.end.confirmedLines / r.seconds;
  return {
    firmware: label,
    baud,
    latencyMs,
    lines: r.end.confirmedLines,
    linesPerS: Math.round(lps),
    linkLinesPerS: Math.round(linkLinesPerS),
    shareOfLink: `${((lps / linkLinesPerS) * 100).toFixed(1)} %`,
    agentCpuMsPer1000Lines: ((r.cpuMs / r.end.confirmedLines) * 1000).toFixed(0),
  };
}

async function largeFileRss(megabytes, stopAfterLines) {
  const path = join(dir, 'large.gcode');
  const out = createWriteStream(path);
  const chunk = moves(10_000).join('\n') + '\n';
  for (let written = 0; written < megabytes * 1024 * 1024; written += chunk.length) if (!out.write(chunk)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
  const sim = await simProcess({ path: join(dir, 'sim-large'), baudRate: 0, latencyMs: 0, bootMs: 50, planner: FAST_PLANNER, thermal: { noise: 0 } });
  const before = process.memoryUsage().rss;
  let rssMax = 0;
  const timer = setInterval(() => (rssMax = Math.max(rssMax, process.memoryUsage().rss)), 100);
  const r = await stream(sim.path, path, 115200, { stopAfterLines });
  clearInterval(timer);
  await sim.close();
  return { fileMB: megabytes, linesStreamed: r.end.confirmedLines, rssBeforeMB: (before / 2 ** 20).toFixed(1), rssMaxWhileStreamingMB: (rssMax / 2 ** 20).toFixed(1) };
}

/** Child mode: N printers (SimBinding, 115200 baud, 2 ms) streaming at once until each confirmed `lines`. */
async function fleetRss(n, lines) {
  const path = join(dir, 'fleet.gcode');
  writeFileSync(path, moves(lines + 200).join('\n') + '\n');
  const scheduler = new RealTimeScheduler();
  const binding = new SimBinding();
  for (let i = 0; i < n; i++) binding.add(`/dev/ttySIM${i}`, new SimulatedPrinter(scheduler, { bootMs: 50, baudRate: 115200, latencyMs: 2, planner: FAST_PLANNER, thermal: { noise: 0 } }));
  global.gc?.();
  const before = process.memoryUsage().rss;
  let rssMax = 0;
  const timer = setInterval(() => (rssMax = Math.max(rssMax, process.memoryUsage().rss)), 50);
  const t0 = Date.now();
  const results = await Promise.all(Array.from({ length: n }, (_, i) => stream(`/dev/ttySIM${i}`, path, 115200, { binding, stopAfterLines: lines })));
  clearInterval(timer);
  scheduler.clearAll?.();
  const total = results.reduce((s, r) => s + r.end.confirmedLines, 0);
  return { printers: n, linesEach: lines, rssBeforeMB: (before / 2 ** 20).toFixed(1), rssMaxStreamingMB: (rssMax / 2 ** 20).toFixed(1), perPrinterMB: ((rssMax - before) / 2 ** 20 / n).toFixed(2), aggregateLinesPerS: Math.round(total / ((Date.now() - t0) / 1000)) };
}

async function main() {
  if (process.argv[2] === 'fleet') {
    process.stdout.write(JSON.stringify(await fleetRss(Number(process.argv[3]), Number(process.argv[4]))) + '\n');
    return;
  }
  const n = Number(process.env.BENCH_LINES ?? 1000);
  const rows = [];
  for (const latency of [2, 8]) for (const scheme of ['marlin', 'marlin-aok', 'repetier']) rows.push(await linkBench(scheme, 115200, latency, n));
  for (const latency of [2, 8]) rows.push(await linkBench('marlin', 250000, latency, n));
  console.log('streaming over a real PTY + serialport; simulator in its own process (CPU is the agent\'s):');
  console.table(rows);
  console.log('RSS with 1, 10 and 50 printers streaming at once (in-process SimBinding, 115200 baud, 2 ms; fresh process each):');
  const fleet = [];
  for (const count of [1, 10, 50]) {
    const child = spawn(process.execPath, ['--expose-gc', __filename, 'fleet', String(count), '600'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (b) => (out += b));
    await once(child, 'exit');
    fleet.push(JSON.parse(out));
  }
  console.table(fleet);
  console.log('memory while streaming a large file from disk (unlimited link, first 20,000 lines):');
  console.table([await largeFileRss(Number(process.env.BENCH_LARGE_MB ?? 200), 20_000)]);
}

main()
  .then(
    () => 0,
    (err) => (console.error(err), 1),
  )
  .then((code) => {
    rmSync(dir, { recursive: true, force: true });
    process.exit(code);
  });
