import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ADMIN_PASSWORD, startGateway, type Harness } from './support/gateway-harness';
import { ApiClient } from './support/http-client';

/** A GET on a plain node:http client (fetch would decode the body and hide what came on the wire). */
function get(base: string, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    const req = request(`${base}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('gzip for the web UI and the JSON API', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startGateway();
  });
  afterAll(() => h.close());

  it('gzips the UI entry and its stylesheet for a client that accepts it', async () => {
    for (const path of ['/js/main.js', '/app.css']) {
      const res = await get(h.base, path, { 'Accept-Encoding': 'gzip' });
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(res.headers['vary']).toMatch(/Accept-Encoding/i);
      expect(gunzipSync(res.body).equals(readFileSync(join(h.settings.webRoot, path)))).toBe(true);
    }
  });

  it('sends the files as they are to a client that does not ask for gzip', async () => {
    const res = await get(h.base, '/js/main.js');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body.equals(readFileSync(join(h.settings.webRoot, 'js/main.js')))).toBe(true);
  });

  it('gzips a large JSON answer (the OpenAPI document)', async () => {
    const admin = await ApiClient.login(h.base, 'admin', ADMIN_PASSWORD);
    const res = await get(h.base, '/api/docs/openapi.json', { 'Accept-Encoding': 'gzip', cookie: admin.cookie });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(res.body).toString('utf8'))).toHaveProperty('paths');
  });
});
