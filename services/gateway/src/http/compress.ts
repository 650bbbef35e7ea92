import compression from 'compression';
import type { Request, Response } from 'express';

/**
 * What gzip is for: the UI's own files (HTML, CSS, JavaScript, SVG) and the API's JSON. Never a
 * relayed G-code download or thumbnail: those stream with their Content-Length (the browser shows
 * download progress) and their ETag as the job-service sent them. Below 1 KB gzip does not pay.
 */
const COMPRESSED_TYPES = /^(?:text\/(?:html|css|javascript)|application\/(?:json|javascript)|image\/svg\+xml)\b/i;

export function shouldCompress(req: Request, res: Response): boolean {
  if (!COMPRESSED_TYPES.test(String(res.getHeader('Content-Type') ?? ''))) return false;
  return compression.filter(req, res);
}

/** gzip (or deflate) when the client accepts it; WebSocket upgrades never reach Express middleware. */
export const compressResponses = () => compression({ filter: shouldCompress, threshold: 1024 });
