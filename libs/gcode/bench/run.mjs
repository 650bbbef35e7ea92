// Benchmarks of @printfleet/gcode (run `npm run bench` in libs/gcode: builds, then runs this).
// Flags: --size=MB (default 100), --big=MB (memory test file, default 500, 0 to skip).
import { createRequire } from 'node:module';
import { createReadStream, createWriteStream, readFileSync, readdirSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const { analyzeFile, readMetadata, idleCoreLikely } = require(path.join(here, '../dist/index.js'));
const corpus = path.resolve(here, '../../../../shared/gcode');
const arg = (name, def) => {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.split('=')[1]) : def;
};
const MB = 1024 * 1024;

async function generate(file, sizeMb) {
  // The PrusaSlicer benchy (head with thumbnails, moves, footer with config) with its move
  // section repeated: realistic command mix, metadata at both ends.
  const text = readFileSync(path.join(corpus, 'prusaslicer-2.6.1-benchy-png.gcode'), 'latin1');
  const start = text.indexOf(';LAYER_CHANGE');
  const end = text.lastIndexOf('; filament used [mm]');
  const head = text.slice(0, start);
  const body = text.slice(start, end);
  const tail = text.slice(end);
  const out = createWriteStream(file);
  let written = 0;
  const write = async (s) => {
    written += s.length;
    if (!out.write(s)) await once(out, 'drain');
  };
  await write(head);
  while (written < sizeMb * MB - tail.length) await write(body);
  await write(tail);
  out.end();
  await once(out, 'finish');
}

async function newlineCount(file) {
  let n = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 })) {
    let i = -1;
    while ((i = chunk.indexOf(10, i + 1)) !== -1) n++;
  }
  return n;
}

async function time(fn) {
  const t0 = process.hrtime.bigint();
  const value = await fn();
  return { value, s: Number(process.hrtime.bigint() - t0) / 1e9 };
}

const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);

async function throughput() {
  const sizeMb = arg('size', 100);
  const file = path.join(os.tmpdir(), `printfleet-bench-${process.pid}.gcode`);
  await generate(file, sizeMb);
  try {
    await newlineCount(file); // warm the page cache
    const nl = await time(() => newlineCount(file));
    // `analyzeFile` plans on a worker thread for large files when a core looks free (parsing and
    // planning overlap); both modes are measured, as the choice depends on the machine's load.
    const runs = { full: [], single: [] };
    for (let i = 0; i < 2; i++) {
      runs.full.push(await time(() => analyzeFile(file, { plannerThread: true })));
      runs.single.push(await time(() => analyzeFile(file, { plannerThread: false })));
    }
    const bestOf = (r) => r.reduce((a, b) => (b.s < a.s ? b : a));
    const full = bestOf(runs.full);
    const single = bestOf(runs.single);
    const metaRuns = [];
    for (let i = 0; i < 5; i++) metaRuns.push((await time(() => readMetadata(file))).s);
    const meta = Math.min(...metaRuns);
    const mbs = (s) => (sizeMb / s).toFixed(0);
    console.log(`\nThroughput on a ${sizeMb} MB file (${nl.value} lines)`);
    console.log(`  plain newline count (ceiling)   ${lpad(mbs(nl.s), 6)} MB/s  ${nl.s.toFixed(2)} s`);
    const row = (label, s) => `  ${pad(label, 32)}${lpad(mbs(s), 6)} MB/s  ${s.toFixed(2)} s  (${((nl.s / s) * 100).toFixed(0)} % of the ceiling)`;
    console.log(row('full analysis, planner thread', full.s) + '  (best of 2)');
    console.log(row('full analysis, one thread', single.s) + '  (best of 2)');
    const load = os.loadavg()[0].toFixed(1);
    console.log(`  (load average ${load} on ${os.availableParallelism()} cores: analyzeFile would use ${idleCoreLikely() ? 'the planner thread' : 'one thread'})`);
    console.log(`  metadata only (head + tail)     ${lpad((meta * 1000).toFixed(1), 6)} ms   (best of 5; ${full.value.images.length} thumbnails)`);
  } finally {
    rmSync(file, { force: true });
  }
}

async function memory() {
  const bigMb = arg('big', 500);
  if (bigMb <= 0) return;
  const file = path.join(os.tmpdir(), `printfleet-bench-big-${process.pid}.gcode`);
  await generate(file, bigMb);
  try {
    // a fresh process, so that generating the file does not inflate the baseline; with the
    // planner thread (its isolate and ring are the larger footprint)
    const dist = path.join(here, '../dist/index.js');
    const code = `const { analyzeFile } = require(${JSON.stringify(dist)});
      const base = process.memoryUsage().rss; const t0 = Date.now();
      analyzeFile(${JSON.stringify(file)}, { plannerThread: true }).then(() => console.log(JSON.stringify({
        growth: process.resourceUsage().maxRSS * 1024 - base, s: (Date.now() - t0) / 1000 })));`;
    const { execFileSync } = await import('node:child_process');
    const out = JSON.parse(execFileSync(process.execPath, ['-e', code], { encoding: 'utf8' }));
    console.log(`\nMemory on a ${bigMb} MB file: peak RSS growth ${(out.growth / MB).toFixed(1)} MB (${(bigMb / out.s).toFixed(0)} MB/s)`);
  } finally {
    rmSync(file, { force: true });
  }
}

async function accuracy() {
  console.log('\nAccuracy against the slicers\' own estimates (corpus)');
  console.log(`  ${pad('file', 48)} ${lpad('slicer s', 9)} ${lpad('ours s', 8)} ${lpad('ours', 7)} ${lpad('naive s', 8)} ${lpad('naive', 7)}  limits`);
  const rows = [];
  for (const f of readdirSync(corpus).filter((x) => x.endsWith('.gcode')).sort()) {
    const r = await analyzeFile(path.join(corpus, f));
    const ref = r.slicerEstimateS;
    const pct = (v) => (ref ? `${v >= ref ? '+' : ''}${(((v - ref) / ref) * 100).toFixed(1)}%` : '—');
    if (ref) rows.push({ f, err: Math.abs(r.estimateS - ref) / ref, naive: Math.abs(r.computed.naiveEstimateS - ref) / ref });
    console.log(
      `  ${pad(f, 48)} ${lpad(ref ?? '—', 9)} ${lpad(r.estimateS, 8)} ${lpad(pct(r.estimateS), 7)} ${lpad(r.computed.naiveEstimateS, 8)} ${lpad(pct(r.computed.naiveEstimateS), 7)}  ${r.computed.limitsSource}/${r.computed.junction}`,
    );
  }
  const planner = rows.filter((r) => /^(prusa|super|orca)slicer/.test(r.f)).map((r) => r.err).sort((a, b) => a - b);
  if (planner.length > 0)
    console.log(
      `  PrusaSlicer/SuperSlicer/Orca files: median error ${(planner[Math.floor(planner.length / 2)] * 100).toFixed(1)} %, max ${(planner[planner.length - 1] * 100).toFixed(1)} % (goal ≤ 3 % / ≤ 10 %)`,
    );
}

await accuracy();
await throughput();
await memory();
