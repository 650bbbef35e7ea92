// @ts-check
/** @typedef {{ name: string, role: 'admin' | 'operator' | 'maker' | 'viewer' }} User */

export class ApiError extends Error {
  /** @param {number} status @param {string} code @param {string} message */
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** The session's CSRF token, from login or /api/auth/me; sent with every change. */
let csrfToken = '';

/**
 * JSON over fetch with the session cookie. Errors become ApiError with the server's message,
 * which is written for people.
 * @param {string} method @param {string} path @param {unknown} [body]
 * @returns {Promise<any>}
 */
export async function api(method, path, body) {
  /** @type {Record<string, string>} */
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'The gateway cannot be reached. Check the network and try again.');
  }
  const text = await res.text();
  const data = text ? JSON.parse(text) : null;
  if (!res.ok)
    throw new ApiError(
      res.status,
      data?.error?.code ?? `HTTP_${res.status}`,
      data?.error?.message ?? res.statusText,
    );
  if (data && typeof data.csrfToken === 'string') csrfToken = data.csrfToken;
  return data;
}

/** @returns {Promise<User | null>} who is logged in, or null */
export async function whoAmI() {
  try {
    return (await api('GET', '/api/auth/me')).user;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

/** @param {string} name @param {string} password @returns {Promise<User>} */
export async function login(name, password) {
  return (await api('POST', '/api/auth/login', { name, password })).user;
}

export async function logout() {
  await api('POST', '/api/auth/logout');
  csrfToken = '';
}

/**
 * @param {string} printerId @param {string} verb @param {object} [body]
 * @returns {Promise<{ commandId: string, accepted: boolean, reason?: string }>}
 */
export function sendCommand(printerId, verb, body = {}) {
  return api('POST', `/api/printers/${encodeURIComponent(printerId)}/commands/${verb}`, body);
}
