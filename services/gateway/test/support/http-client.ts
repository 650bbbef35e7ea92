/* eslint-disable @typescript-eslint/no-explicit-any -- test helpers read JSON answers loosely; the assertions check the shapes */
/** A tiny cookie-keeping HTTP client, the way a browser calls the API (cookie + CSRF header). */
export class ApiClient {
  cookie = '';
  csrf = '';

  constructor(readonly base: string) {}

  static async login(base: string, name: string, password: string): Promise<ApiClient> {
    const client = new ApiClient(base);
    const res = await client.request('POST', '/api/auth/login', { name, password });
    if (res.status !== 200)
      throw new Error(`login as ${name} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return client;
  }

  async request(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: any; headers: Headers }> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(this.csrf && method !== 'GET' ? { 'x-csrf-token': this.csrf } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('pf_session='));
    if (setCookie) this.cookie = setCookie.split(';')[0]!;
    const text = await res.text();
    const parsed = text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
    if (parsed && typeof parsed === 'object' && typeof parsed.csrfToken === 'string')
      this.csrf = parsed.csrfToken;
    return { status: res.status, body: parsed, headers: res.headers };
  }

  get(path: string) {
    return this.request('GET', path);
  }

  post(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request('POST', path, body ?? {}, headers);
  }

  /** Any body (FormData, a stream, bytes) with the session cookie and CSRF token. */
  async send(
    method: string,
    path: string,
    init: RequestInit & { duplex?: 'half' } = {},
  ): Promise<{ status: number; body: any; headers: Headers; bytes: Buffer }> {
    const res = await fetch(`${this.base}${path}`, {
      ...init,
      method,
      headers: {
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(this.csrf && method !== 'GET' ? { 'x-csrf-token': this.csrf } : {}),
        ...(init.headers as Record<string, string> | undefined),
      },
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    const json = res.headers.get('content-type')?.includes('json');
    return { status: res.status, body: json ? JSON.parse(bytes.toString('utf8')) : bytes.toString('utf8'), headers: res.headers, bytes };
  }

  /** A multipart upload, the way a browser's FormData sends it (field `file`). */
  upload(name: string, content: Buffer | string) {
    const form = new FormData();
    form.append('file', new Blob([content]), name);
    return this.send('POST', '/api/files', { body: form });
  }
}
