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

/**
 * Uploads one file as multipart (field `file`) with XMLHttpRequest, the one browser API that
 * reports upload progress. Resolves with the job-service's answer `{file, duplicate}`.
 * @param {File} file @param {(sent: number, total: number) => void} onProgress
 * @returns {Promise<{ file: FileRecord, duplicate: boolean }>}
 */
export function uploadFile(file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/files');
    xhr.setRequestHeader('accept', 'application/json');
    if (csrfToken) xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) onProgress(e.loaded, e.total);
    });
    xhr.addEventListener('load', () => {
      let data = null;
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        // not JSON: use the status line
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(data);
      reject(
        new ApiError(
          xhr.status,
          data?.error?.code ?? `HTTP_${xhr.status}`,
          data?.error?.message ?? (xhr.statusText || 'upload refused'),
        ),
      );
    });
    xhr.addEventListener('error', () =>
      reject(new ApiError(0, 'NETWORK', 'The upload was cut off. Check the network and try again.')),
    );
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

/**
 * @typedef {{ minX: number, minY: number, minZ: number, maxX: number, maxY: number, maxZ: number }} BBox
 * @typedef {{ index: number, width: number, height: number, mimeType: string }} Thumb
 * @typedef {{ id: string, name: string, size: number, sha256: string, uploadedBy: string, uploadedAt: string,
 *   analysisState: 'pending' | 'done' | 'failed', analysisError: string | null, estimateS: number | null,
 *   filamentMm: number | null, bbox: BBox | null, thumbnails: Thumb[], lastPrintedAt: string | null,
 *   analysis?: any }} FileRecord
 * @typedef {{ id: string, fileId: string | null, fileName: string, printerId: string | null, requestedBy: string,
 *   state: string, queuedAt: string, startedAt: string | null, endedAt: string | null, durationS: number | null,
 *   reason: string | null, progress: number | null, filamentUsedMm: number | null, reprintOf: string | null,
 *   queue: { position: number, targetPrinterId: string | null } | null }} Job
 */
