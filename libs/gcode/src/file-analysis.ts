import { open } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { GcodeError } from './errors';
import { checkMagic } from './line-splitter';
import { analyzeChunks, DEFAULT_HEAD_BYTES, DEFAULT_TAIL_BYTES, type AnalyzeOptions } from './analyzer';
import { MetadataScanner, type FileMetadata } from './metadata/metadata-scanner';
import { plannerWorkerAvailable } from './planner/remote-planner';
import type { AnalysisResult } from './result';

const MAX_HEAD_BYTES = 32 * 1024 * 1024;
/** From this size on, `analyzeFile` plans on a worker thread: starting one costs ~20–40 ms. */
export const PLANNER_THREAD_MIN_BYTES = 16 * 1024 * 1024;

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
 * Full analysis of a file: the metadata fast path first (so the slicer's machine limits are known
 * before the moves are planned), then one streaming pass over the moves.
 */
export async function analyzeFile(path: string, opts: AnalyzeOptions = {}): Promise<AnalysisResult> {
  const metadata = opts.metadata ?? (await readMetadata(path, opts));
  const fh = await open(path, 'r').catch((e: Error) => {
    throw new GcodeError('IO', `cannot open ${path}: ${e.message}`);
  });
  const { size } = await fh.stat();
  const stream = createReadStream('', { fd: fh, highWaterMark: 256 * 1024, autoClose: true });
  try {
    const plannerThread = opts.plannerThread ?? (size >= PLANNER_THREAD_MIN_BYTES && plannerWorkerAvailable());
    return await analyzeChunks(stream as AsyncIterable<Buffer>, { ...opts, metadata, plannerThread, totalBytes: opts.totalBytes ?? size });
  } finally {
    stream.destroy();
  }
}
