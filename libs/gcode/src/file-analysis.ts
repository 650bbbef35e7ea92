import { open } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { GcodeError } from './errors';
import { checkMagic } from './line-splitter';
import { GcodeAnalyzer, DEFAULT_HEAD_BYTES, DEFAULT_TAIL_BYTES, type AnalyzeOptions } from './analyzer';
import { MetadataScanner, type FileMetadata } from './metadata/metadata-scanner';
import { plannerWorkerAvailable } from './planner/remote-planner';
import type { AnalysisResult } from './result';

const MAX_HEAD_BYTES = 32 * 1024 * 1024;
/** From this size on, `analyzeFile` plans on a worker thread: starting one costs ~20–40 ms. */
export const PLANNER_THREAD_MIN_BYTES = 16 * 1024 * 1024;
const READ_BYTES = 256 * 1024;

/**
 * The fast path: metadata and thumbnails from the head and the tail of a file, whatever its size
 * (as Moonraker's metadata.py does). Reads on past the head only to finish a thumbnail block.
 */
export async function readMetadata(path: string, opts: { headBytes?: number; tailBytes?: number } = {}): Promise<FileMetadata> {
  const headBytes = opts.headBytes ?? DEFAULT_HEAD_BYTES;
  const tailBytes = opts.tailBytes ?? DEFAULT_TAIL_BYTES;
  const fh = await open(path, 'r').catch((e: Error) => {
    throw new GcodeError('IO', `cannot open ${path}: ${e.message}`);
  });
  try {
    const { size } = await fh.stat();
    if (size === 0) throw new GcodeError('EMPTY', 'the file is empty');
    const scanner = new MetadataScanner();
    let pos = 0;
    let carry = Buffer.alloc(0);
    let first = true;
    while (pos < size && (pos < headBytes || scanner.needsMore) && pos < MAX_HEAD_BYTES) {
      const len = Math.min(headBytes, size - pos);
      const buf = Buffer.allocUnsafe(len);
      const { bytesRead } = await fh.read(buf, 0, len, pos);
      if (bytesRead === 0) break;
      const chunk = buf.subarray(0, bytesRead);
      if (first) {
        checkMagic(chunk);
        if (chunk.indexOf(0) !== -1) throw new GcodeError('BINARY', 'binary data (NUL bytes) found: not a G-code text file');
        first = false;
      }
      pos += bytesRead;
      const data = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      const final = pos >= size;
      const used = scanner.addBytes(data, 0, data.length, false, final);
      carry = Buffer.from(data.subarray(used));
    }
    const headEnd = pos - carry.length;
    if (headEnd < size) {
      const from = Math.max(headEnd, size - tailBytes);
      const buf = Buffer.allocUnsafe(size - from);
      const { bytesRead } = await fh.read(buf, 0, buf.length, from);
      scanner.addBytes(buf, 0, bytesRead, from > headEnd);
    }
    return scanner.result();
  } finally {
    await fh.close();
  }
}

/**
 * A second thread only pays where a second core is free for it: on a machine already busy, two
 * threads that wait on each other get no more CPU than one and add the hand-over cost (measured:
 * 10–30 % slower at a load of 3–6 on 2 cores). The 1-minute load average is the cheap hint; the
 * calling process itself adds about 1 while it works, hence the half-core margin.
 */
export function idleCoreLikely(): boolean {
  const cores = availableParallelism();
  return cores >= 2 && loadavg()[0]! < cores - 0.5;
}

/**
 * Full analysis of a file: the metadata fast path first (so the slicer's machine limits are known
 * before the moves are planned), then one streaming pass over the moves.
 */
export async function analyzeFile(path: string, opts: AnalyzeOptions = {}): Promise<AnalysisResult> {
  const metadata = opts.metadata ?? (await readMetadata(path, opts));
  const fh = await open(path, 'r').catch((e: Error) => {
    throw new GcodeError('IO', `cannot open ${path}: ${e.message}`);
  });
  try {
    const { size } = await fh.stat();
    const plannerThread = opts.plannerThread ?? (size >= PLANNER_THREAD_MIN_BYTES && idleCoreLikely() && plannerWorkerAvailable());
    // With the metadata given, the analyzer keeps no reference to a pushed chunk (only the one
    // partial line, copied), so two buffers are reused, and the next read runs on libuv's thread
    // pool while this chunk is parsed. A stream would allocate a buffer per chunk, freed only
    // by the next GC: with the parser allocating next to nothing, GCs are rare and those
    // buffers made up much of the peak RSS.
    const a = new GcodeAnalyzer({ ...opts, metadata, plannerThread, totalBytes: opts.totalBytes ?? size });
    let buf = Buffer.allocUnsafe(READ_BYTES);
    let next = Buffer.allocUnsafe(READ_BYTES);
    let pending = fh.read(buf, 0, READ_BYTES, null);
    try {
      for (;;) {
        const { bytesRead } = await pending.catch((e: Error) => {
          throw new GcodeError('IO', `cannot read ${path}: ${e.message}`);
        });
        if (bytesRead === 0) break;
        pending = fh.read(next, 0, READ_BYTES, null);
        a.push(buf.subarray(0, bytesRead));
        [buf, next] = [next, buf];
      }
      return a.end();
    } finally {
      a.close();
      // when parsing failed, a read may still be in flight: settle it before closing the file
      await pending.catch(() => undefined);
    }
  } finally {
    await fh.close();
  }
}
