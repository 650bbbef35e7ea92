import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeBuffer, analyzeFile } from '../src';

/** analyzeFile reads with two reused buffers and a read ahead: errors midway must still settle cleanly. */
describe('analyzeFile', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gcode-file-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const moves = (n: number) => Array.from({ length: n }, (_, i) => `G1 X${i % 100}.5 Y${(i * 7) % 100} E${i}.25 F1800`).join('\n') + '\n';

  test('a file over several read buffers gives what analyzeBuffer gives', async () => {
    const text = '; generated\nM83\n' + moves(40_000); // ~1.3 MB: several 256 KiB reads
    const file = path.join(dir, 'moves.gcode');
    fs.writeFileSync(file, text);
    const fromFile = await analyzeFile(file, { plannerThread: false });
    const fromBuffer = analyzeBuffer(text);
    expect(fromFile.estimateS).toBe(fromBuffer.estimateS);
    expect(fromFile.computed).toEqual(fromBuffer.computed);
    expect(fromFile.layerList).toEqual(fromBuffer.layerList);
  });

  test('binary data after the first read buffer rejects with BINARY', async () => {
    const file = path.join(dir, 'binary.gcode');
    fs.writeFileSync(file, Buffer.concat([Buffer.from(moves(20_000)), Buffer.from([0x47, 0x00, 0x0a]), Buffer.from(moves(20_000))]));
    await expect(analyzeFile(file, { plannerThread: false })).rejects.toMatchObject({ code: 'BINARY' });
  });

  test('an aborted analysis rejects with ABORTED', async () => {
    const file = path.join(dir, 'abort.gcode');
    fs.writeFileSync(file, moves(40_000));
    const ac = new AbortController();
    const p = analyzeFile(file, { plannerThread: false, signal: ac.signal, onProgress: () => ac.abort() });
    await expect(p).rejects.toMatchObject({ code: 'ABORTED' });
  });
});
