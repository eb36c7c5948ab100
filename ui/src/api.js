// api.js - the one way the UI talks to the server: JSON over fetch to the
// same origin, the session cookie, and the session's CSRF token on every
// change. Errors come back as ApiError with the server's code, message and
// the field at fault.

let csrf = null;
let onUnauthorized = () => {};

export function setCsrf(token) {
  csrf = token || null;
}

// Called when a request answers 401 (the session ended): the app shows the
// sign-in page.
export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn;
}

export class ApiError extends Error {
  constructor(status, code, message, field, body) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field || '';
    this.body = body || null; // the whole answer (some errors carry more than the message)
  }
}

// method, path (below /api/v1), body: an object (sent as JSON), a string or
// Blob (sent as is, with opts.type), or undefined. opts.raw: return the
// Response of a non-JSON success (files). opts.exercise: an exercise's id, to
// act inside that exercise's world (header X-Ceptoar-Exercise) instead of the
// real one.
export async function api(method, path, body, opts = {}) {
  const headers = { Accept: 'application/json' };
  if (opts.exercise) headers['X-Ceptoar-Exercise'] = opts.exercise;
  let payload = body;
  if (body !== undefined && body !== null && typeof body === 'object' && !(body instanceof Blob)) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  } else if (opts.type) {
    headers['Content-Type'] = opts.type;
  }
  if (method !== 'GET' && method !== 'HEAD' && csrf) headers['X-CSRF-Token'] = csrf;
  let res;
  try {
    res = await fetch('/api/v1' + path, {
      method,
      headers,
      body: payload,
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, 'network', e.message || 'network error');
  }
  if (res.status === 401 && path !== '/sessions') onUnauthorized();
  if (res.status === 204) return null;
  const type = res.headers.get('Content-Type') || '';
  if (res.ok && opts.raw && !type.startsWith('application/json')) return res;
  let data = null;
  if (type.startsWith('application/json')) data = await res.json();
  else data = await res.text();
  if (!res.ok) {
    const e = (data && data.error) || {};
    throw new ApiError(res.status, e.code || 'error', e.message || res.statusText, e.field, data);
  }
  return data;
}

export const get = (path, opts) => api('GET', path, undefined, opts);
export const post = (path, body, opts) => api('POST', path, body, opts);
export const patch = (path, body, opts) => api('PATCH', path, body, opts);
export const del = (path, opts) => api('DELETE', path, undefined, opts);

// The calls of one exercise's world: inExercise(id).get('/inbox') is the
// exercise's inbox, never the real one.
export function inExercise(id) {
  const o = (opts) => ({ ...(opts || {}), exercise: id });
  return {
    get: (path, opts) => api('GET', path, undefined, o(opts)),
    post: (path, body, opts) => api('POST', path, body, o(opts)),
    patch: (path, body, opts) => api('PATCH', path, body, o(opts)),
    del: (path, opts) => api('DELETE', path, undefined, o(opts)),
    api: (method, path, body, opts) => api(method, path, body, o(opts)),
  };
}

// '?a=1&b=x' from an object, leaving out empty values.
export function qs(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {}))
    if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? '?' + s : '';
}

// Download a file the API answers (a CSV, a result file) under name.
export async function download(path, name, opts) {
  const res = await api('GET', path, undefined, { ...(opts || {}), raw: true });
  const blob = res instanceof Response ? await res.blob() : new Blob([JSON.stringify(res, null, 1)]);
  saveBlob(blob, name);
}

export function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
