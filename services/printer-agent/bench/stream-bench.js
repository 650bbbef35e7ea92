// Streaming bench: lines/s from the agent's serial path (PrinterConnection + JobStreamer, real
// serialport bindings) to the simulator on a real PTY, against what the link can carry
// (baud / 10 bytes per second ÷ framed bytes per line); and RSS while streaming a large file.
// Run: npm run bench (builds first). Timing lives here, never in tests.
const { mkdtempSync, writeFileSync, rmSync, createWriteStream } = require('node:fs');
const { once } = require('node:events');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const pino = require('pino');
const { startSimulator } = require('@printfleet/printer-sim');
const { frameLine } = require('@printfleet/serial-protocol');
const { PrinterConnection } = require('../dist/serial/printer-connection');
const { JobStreamer } = require('../dist/jobs/job-streamer');

const log = pino({ level: 'silent' });
const dir = mkdtempSync(join(tmpdir(), 'printfleet-bench-'));

function moves(n) {
  const lines = [];
  for (let i = 1; i <= n; i++) lines.push(`G1 X${(i % 90) + 5}.5 Y${(i % 70) + 5}.25 E0.0123 F9000000`);
  return lines;
}

async function stream(sim, path, baud, opts = {}) {
  const conn = new PrinterConnection(sim.path, log, { timings: { bootWaitMs: 1500 } });
  await conn.connect([baud]);
  let done;
  const finished = new Promise((resolve) => (done = resolve));
  const streamer = new JobStreamer(path, 'bench', {
    enqueueJob: (l, o) => conn.enqueueJob(l, o),
    queuedLines: () => conn.status().job?.queuedLines ?? 0,
  });
  let rssMax = 0;
  const rssTimer = setInterval(() => (rssMax = Math.max(rssMax, process.memoryUsage().rss)), 100);
  conn.on('action', (a) => {
    if (a.type === 'job-progress') void streamer.fill();
    if (a.type === 'job-finished' || a.type === 'job-failed') done(a);
    if (opts.stopAfterLines && a.type === 'job-progress' && a.confirmedLines >= opts.stopAfterLines) done(a);
  });
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await streamer.start();
  const end = await finished;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(rssTimer);
  streamer.stop();
  await conn.close();
  return { end, seconds, cpuMs: (cpu.user + cpu.system) / 1000, rssMax };
}

async function linkBench(baud, latencyMs, n) {
  const lines = moves(n);
  const path = join(dir, `moves-${baud}.gcode`);
  writeFileSync(path, lines.join('\n') + '\n');
  const sim = await startSimulator({ path: join(dir, `sim-${baud}-${latencyMs}`), baudRate: baud, latencyMs, bootMs: 50, planner: { maxFeedrate: 1e7, acceleration: 1e7, blocks: 1e6 }, thermal: { noise: 0 } });
  const r = await stream(sim, path, baud);
  await sim.close();
  // What the wire must carry per line: the framed line + LF to the printer; "ok\n" back is on the other wire.
  const bytesPerLine = lines.reduce((s, l, i) => s + frameLine(i + 1, l).length + 1, 0) / n;
  const linkLinesPerS = baud / 10 / bytesPerLine;
  const lps = r.end.confirmedLines / r.seconds;
  return { baud, latencyMs, lines: r.end.confirmedLines, seconds: r.seconds.toFixed(2), linesPerS: Math.round(lps), linkLinesPerS: Math.round(linkLinesPerS), shareOfLink: `${((lps / linkLinesPerS) * 100).toFixed(1)} %`, cpuMsPer1000Lines: ((r.cpuMs / r.end.confirmedLines) * 1000).toFixed(1) };
}

async function rssBench(megabytes, stopAfterLines) {
  const path = join(dir, 'large.gcode');
  const out = createWriteStream(path);
  const chunk = moves(10_000).join('\n') + '\n';
  for (let written = 0; written < megabytes * 1024 * 1024; written += chunk.length) if (!out.write(chunk)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
  const sim = await startSimulator({ path: join(dir, 'sim-large'), baudRate: 0, latencyMs: 0, bootMs: 50, planner: { maxFeedrate: 1e7, acceleration: 1e7, blocks: 1e6 }, thermal: { noise: 0 } });
  const before = process.memoryUsage().rss;
  const r = await stream(sim, path, 115200, { stopAfterLines });
  await sim.close();
  return { fileMB: megabytes, linesStreamed: r.end.confirmedLines, rssBeforeMB: (before / 2 ** 20).toFixed(1), rssMaxWhileStreamingMB: (r.rssMax / 2 ** 20).toFixed(1) };
}

async function main() {
  const rows = [];
  for (const baud of [115200, 250000]) for (const latency of [2, 8]) rows.push(await linkBench(baud, latency, 1500));
  console.log('ping-pong streaming (Marlin 2.1 simulator, one line in flight), real PTY + serialport:');
  console.table(rows);
  console.log('memory while streaming a large file from disk (unlimited link, first 20,000 lines):');
  console.table([await rssBench(Number(process.env.BENCH_LARGE_MB ?? 200), 20_000)]);
  rmSync(dir, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
