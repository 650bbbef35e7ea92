import type { IncomingMessage } from 'node:http';
import { PassThrough, type Readable } from 'node:stream';
import busboy from 'busboy';
import { JobServiceError, invalid } from '../errors';

export interface UploadBody {
  content: Readable;
  name: string | undefined;
  fields: Record<string, string>;
}

/**
 * The file part of an upload, as a stream: `multipart/form-data` with the file in field `file`
 * (fields before it, such as `folder`, are read too), or a raw body named by `X-File-Name`
 * (URI-encoded). Nothing is buffered whole; the size limit is enforced while storing.
 */
export function readUploadBody(req: IncomingMessage, maxBytes: number): Promise<UploadBody> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes + 64 * 1024)
    return Promise.reject(new JobServiceError('FILE_TOO_LARGE', `the file is larger than the limit of ${maxBytes} bytes`));
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('multipart/form-data')) {
    const raw = req.headers['x-file-name'];
    let name: string | undefined;
    try {
      name = typeof raw === 'string' ? decodeURIComponent(raw) : undefined;
    } catch {
      return Promise.reject(invalid('X-File-Name: not valid URI encoding'));
    }
    return Promise.resolve({ content: req, name, fields: {} });
  }
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      // One byte over the limit lets the store see (and refuse) an oversized file.
      bb = busboy({ headers: req.headers, limits: { files: 1, fileSize: maxBytes + 1, fields: 20, fieldSize: 4096 } });
    } catch (err) {
      return reject(invalid(`multipart body: ${(err as Error).message}`));
    }
    const fields: Record<string, string> = {};
    let found = false;
    bb.on('field', (key, value) => (fields[key] = value));
    bb.on('file', (field, stream, info) => {
      if (field !== 'file' || found) return stream.resume();
      found = true;
      // Errors of the form (a cut-off upload) must reach whoever is reading the file stream.
      const out = new PassThrough();
      stream.on('error', (e) => out.destroy(e));
      bb.on('error', (e) => out.destroy(e as Error));
      req.on('aborted', () => out.destroy(new Error('client aborted the upload')));
      stream.pipe(out);
      resolve({ content: out, name: info.filename, fields });
    });
    bb.on('error', (e) => !found && reject(invalid(`multipart body: ${(e as Error).message}`)));
    bb.on('close', () => !found && reject(invalid('multipart body has no field "file"')));
    req.pipe(bb);
  });
}
