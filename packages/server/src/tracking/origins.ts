/** `scheme://host[:port]`, the host lower-cased and a default port dropped; null for anything that is not an origin. */
function normalizeOrigin(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  // A path, query or credentials make it a URL rather than an origin: it must not match by accident.
  const bare = url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
  return bare ? url.origin : null;
}

/**
 * Whether a browser endpoint accepts a request from `origin`. An empty list or `*` allows any origin, even none;
 * otherwise the origin must be one of the list (scheme, host and port; the host in any case; a trailing slash ignored).
 */
export function originAllowed(origin: string | undefined, allowedOrigins: readonly string[]): boolean {
  if (allowedOrigins.length === 0 || allowedOrigins.some((entry) => entry.trim() === '*')) return true;
  const wanted = origin === undefined ? null : normalizeOrigin(origin);
  if (wanted === null) return false;
  return allowedOrigins.some((entry) => normalizeOrigin(entry) === wanted);
}

/**
 * CORS headers for the browser endpoints. No Allow-Credentials: they take no cookies across origins. Vary tells
 * caches that the reply depends on the Origin.
 */
export function corsHeaders(origin: string | undefined): Record<string, string> {
  return {
    'Access-Control-Allow-Origin': origin || '*',
    Vary: 'Origin',
    'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
    'Access-Control-Allow-Headers': 'Content-Type',
    'Access-Control-Max-Age': '86400',
  };
}
