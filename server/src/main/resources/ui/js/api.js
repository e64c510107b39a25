// The one way the page talks to the server: fetch with the bearer token from sessionStorage.
// A 401 forgets the token and returns to the login page.

const TOKEN_KEY = 'vigil.token';

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export class SignedOut extends Error {
  constructor() { super('signed out'); }
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  sessionStorage.setItem(TOKEN_KEY, value);
}

export function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** Calls /api/v1{path}; resolves to the JSON body, rejects with ApiError (or SignedOut on a 401). */
export async function api(path, {method = 'GET', body} = {}) {
  const headers = {'Accept': 'application/json', 'Authorization': 'Bearer ' + (token() || '')};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch('/api/v1' + path, {
    method, headers, cache: 'no-store', credentials: 'omit',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401) {
    forgetToken();
    window.dispatchEvent(new CustomEvent('vigil:signed-out'));
    throw new SignedOut();
  }
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
  if (!response.ok) {
    throw new ApiError(response.status, (data && (data.detail || data.error)) || ('HTTP ' + response.status));
  }
  return data;
}

/** A query string from an object, leaving out empty values; arrays repeat the key. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) v.forEach(x => q.append(k, x)); else q.append(k, v);
  }
  const text = q.toString();
  return text ? '?' + text : '';
}
