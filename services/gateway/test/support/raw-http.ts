/* eslint-disable @typescript-eslint/no-explicit-any -- answers are read loosely; the assertions check the shapes */
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: any;
  text: string;
}

/**
 * Sends a request byte for byte as given (header order and casing, boundary, multipart layout),
 * the way a slicer's HTTP library writes it, on a plain socket. With `Expect: 100-continue` the
 * body waits for the server's `100 Continue`, as libcurl does.
 */
export function rawRequest(base: string, head: string, body: Buffer = Buffer.alloc(0)): Promise<RawAnswer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    let buffer = Buffer.alloc(0);
    let waitingForContinue = /\r\nExpect: 100-continue\r\n/i.test(head);
    socket.on('error', reject);
    socket.on('connect', () => {
      socket.write(head);
      if (!waitingForContinue) socket.write(body);
    });
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const lines = buffer.subarray(0, end).toString('latin1').split('\r\n');
        const status = Number(lines[0]!.split(' ')[1]);
        if (status === 100) {
          buffer = buffer.subarray(end + 4);
          if (waitingForContinue) socket.write(body);
          waitingForContinue = false;
          continue;
        }
        const headers: Record<string, string> = {};
        for (const line of lines.slice(1)) {
          const i = line.indexOf(':');
          headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
        }
        const length = Number(headers['content-length'] ?? 0);
        if (buffer.length < end + 4 + length) return;
        const text = buffer.subarray(end + 4, end + 4 + length).toString('utf8');
        socket.destroy();
        return resolve({ status, headers, text, body: headers['content-type']?.includes('json') ? JSON.parse(text) : text });
      }
    });
  });
}

export interface Part {
  name: string;
  value: Buffer | string;
  filename?: string;
  /** Header lines after Content-Disposition, as the client writes them. */
  extraHeaders?: string[];
}

/** A multipart body in the standard layout (libcurl and Qt both write it this way). */
export function multipart(boundary: string, parts: Part[], headerLines: (p: Part) => string[]): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\n${headerLines(p).join('\r\n')}\r\n\r\n`, 'utf8'));
    chunks.push(Buffer.isBuffer(p.value) ? p.value : Buffer.from(p.value, 'utf8'));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

/** libcurl 7.x's boundary: 24 dashes and 16 hex digits (curl_mime_init). */
export const curlBoundary = () => `------------------------${randomBytes(8).toString('hex')}`;

/** Qt's QHttpMultiPart boundary: "boundary_.oOo._" and 24 random bytes in base64 (may hold + / =). */
export const qtBoundary = () => `boundary_.oOo._${randomBytes(24).toString('base64')}`;

/** How libcurl writes a part (`curl_formadd`/`curl_mime`): file parts get a Content-Type. */
export const curlPart = (p: Part) => [
  `Content-Disposition: form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}`,
  ...(p.extraHeaders ?? []),
];
