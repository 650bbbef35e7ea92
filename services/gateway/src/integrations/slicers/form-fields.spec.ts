import { createHash, randomBytes } from 'node:crypto';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatewayError } from '../../errors/gateway-error';
import { fieldsBeforeFile, sniffFormFields } from './form-fields';

const BOUNDARY = '------------------------d74496d66958873e';
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const form = (parts: { name: string; value: Buffer | string; filename?: string }[]) =>
  Buffer.concat([
    ...parts.flatMap((p) => [
      Buffer.from(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${p.name}"${p.filename ? `; filename="${p.filename}"` : ''}\r\n\r\n`,
      ),
      Buffer.from(p.value),
      Buffer.from('\r\n'),
    ]),
    Buffer.from(`--${BOUNDARY}--\r\n`),
  ]);

interface Seen {
  head?: Record<string, string>;
  /** The fields the sniffer read after the head was put back. */
  all?: Record<string, string>;
  sha?: string;
  length?: number;
  error?: unknown;
}

/**
 * `fieldsBeforeFile` on a real HTTP server: the request body arrives in slices as small as one
 * byte; the fields before the file come out, and whoever reads the request next (here the field
 * sniffer and a plain reader, as the slicer upload does) gets every byte, in order.
 */
describe('fieldsBeforeFile', () => {
  let server: Server;
  let port: number;
  let limit: number | undefined;
  let seen: Promise<Seen>;
  let report: (s: Seen) => void;

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      void (async () => {
        const s: Seen = {};
        try {
          s.head = await fieldsBeforeFile(req, limit);
          const sniffer = sniffFormFields(req);
          const chunks: Buffer[] = [];
          for await (const c of req) chunks.push(c as Buffer);
          const body = Buffer.concat(chunks);
          s.all = await sniffer.done;
          s.sha = sha(body);
          s.length = body.length;
        } catch (err) {
          s.error = err;
        }
        report(s);
        res.end();
      })();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });

  beforeEach(() => {
    limit = undefined;
    seen = new Promise((r) => (report = r));
  });

  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  /** Sends `body` in slices of `slice` bytes, each in its own write. */
  const send = async (body: Buffer, slice: number, headers: Record<string, string | number> = {}, cutAt?: number) => {
    const req = request({
      port,
      host: '127.0.0.1',
      method: 'POST',
      path: '/',
      headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'content-length': body.length, ...headers },
    });
    req.on('error', () => undefined);
    req.on('response', (res) => res.resume());
    const end = cutAt ?? body.length;
    for (let at = 0; at < end; at += slice) {
      req.write(body.subarray(at, Math.min(at + slice, end)));
      await new Promise((r) => setImmediate(r));
    }
    if (cutAt === undefined) req.end();
    else {
      await new Promise((r) => setTimeout(r, 50));
      req.destroy();
    }
    return seen;
  };

  const file = randomBytes(200_000);
  const prusa = form([
    { name: 'print', value: 'true' },
    { name: 'path', value: 'prints/pla' },
    { name: 'file', value: file, filename: 'cube.gcode' },
  ]);

  it.each([1, 7, 64, 100_000])('reads the fields before the file and puts back every byte (slices of %i)', async (slice) => {
    const s = await send(prusa, slice);
    expect(s.error).toBeUndefined();
    expect(s.head).toEqual({ print: 'true', path: 'prints/pla' });
    expect(s.all).toEqual({ print: 'true', path: 'prints/pla' });
    expect([s.length, s.sha]).toEqual([prusa.length, sha(prusa)]);
  });

  it('gives only the fields before the file (Cura sends select and print after it)', async () => {
    const cura = form([
      { name: 'path', value: '' },
      { name: 'file', value: file, filename: 'cube.gcode' },
      { name: 'select', value: 'true' },
      { name: 'print', value: 'true' },
    ]);
    const s = await send(cura, 1000);
    expect(s.head).toEqual({ path: '' });
    expect(s.all).toEqual({ path: '', select: 'true', print: 'true' });
    expect(s.sha).toBe(sha(cura));
  });

  it('stops at its limit with the fields seen so far, the body intact', async () => {
    limit = 200;
    const many = form([
      ...Array.from({ length: 10 }, (_, i) => ({ name: `f${i}`, value: 'x'.repeat(30) })),
      { name: 'file', value: file, filename: 'cube.gcode' },
    ]);
    const s = await send(many, 50);
    expect(Object.keys(s.head!).length).toBeLessThan(10);
    expect(s.sha).toBe(sha(many));
  });

  it('reads a small body that arrives whole, and an empty one', async () => {
    const small = form([
      { name: 'path', value: 'a' },
      { name: 'file', value: 'G1 X1\n', filename: 'a.gcode' },
    ]);
    const s = await send(small, small.length);
    expect(s.head).toEqual({ path: 'a' });
    expect(s.sha).toBe(sha(small));

    seen = new Promise((r) => (report = r));
    const empty = await send(Buffer.alloc(0), 1);
    expect(empty.head).toEqual({});
    expect(empty.length).toBe(0);
  });

  it('refuses a body without a file part', async () => {
    const s = await send(form([{ name: 'path', value: 'a' }]), 5);
    expect(s.error).toBeInstanceOf(GatewayError);
    expect((s.error as GatewayError).code).toBe('INVALID_INPUT');
  });

  it('reads nothing of a body that is not multipart', async () => {
    const raw = Buffer.from('G1 X1\n');
    const s = await send(raw, 2, { 'content-type': 'application/octet-stream' });
    expect(s.head).toEqual({});
    expect(s.sha).toBe(sha(raw));
  });

  it('rejects with UPLOAD_ABORTED when the client goes away before the file starts', async () => {
    const s = await send(prusa, 10, {}, 60);
    expect(s.error).toBeInstanceOf(GatewayError);
    expect((s.error as GatewayError).code).toBe('UPLOAD_ABORTED');
  });
});
