import type { ErrorIssue } from '@waypost/schema';

/**
 * A failed call to the `/v1` API, carrying the server's `{ error: { code, message, issues } }`. A request that never
 * got an answer has status 0 and code `network_error`.
 */
export class ApiRequestError extends Error {
  override readonly name = 'ApiRequestError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: ErrorIssue[] = [],
    /** Seconds to wait, from `Retry-After` (429, 503). */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }
}

export function isApiRequestError(error: unknown): error is ApiRequestError {
  return error instanceof ApiRequestError;
}

/** Query values; `undefined` and `''` are left out. */
export type Query = Record<string, string | number | undefined>;

let csrfToken: string | null = null;
let onUnauthorized: () => void = () => {};

/** The session's CSRF token, sent on every request that changes state (the cookie alone is not enough). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** The CSRF header for a request made without `request` (an upload through XMLHttpRequest, for its progress events). */
export function csrfHeaders(): Record<string, string> {
  return csrfToken ? { 'X-CSRF-Token': csrfToken } : {};
}

/** Called when a request answers 401 although a session was thought open: it expired or was revoked. */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

export async function request<T>(method: string, path: string, options: { query?: Query; body?: unknown } = {}): Promise<T> {
  const url = new URL(path, window.location.origin);
  for (const [name, value] of Object.entries(options.query ?? {})) {
    if (value !== undefined && value !== '') url.searchParams.set(name, String(value));
  }
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
  } catch {
    throw new ApiRequestError(0, 'network_error', 'The server could not be reached. Check your connection and try again.');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: a proxy's error page, for instance. Reported below by status.
  }
  if (response.ok) return body as T;
  const error = (body as { error?: { code?: string; message?: string; issues?: ErrorIssue[] } } | undefined)?.error;
  const retryAfter = Number(response.headers.get('Retry-After'));
  const failure = new ApiRequestError(
    response.status,
    error?.code ?? `http_${response.status}`,
    error?.message ?? `The server answered ${response.status} ${response.statusText}.`.replace(' .', '.'),
    error?.issues ?? [],
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
  );
  if (response.status === 401 && path !== '/v1/session') onUnauthorized();
  throw failure;
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, query ? { query } : {}),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  delete: <T>(path: string) => request<T>('DELETE', path),
};

/** A list page of the API: `{ data, nextCursor }`. */
export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** What to show a person for a failed request. */
export function errorMessage(error: unknown): string {
  if (isApiRequestError(error)) return error.message;
  return error instanceof Error ? error.message : 'Something went wrong.';
}
