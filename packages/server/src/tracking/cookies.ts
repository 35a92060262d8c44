/**
 * One cookie's value from a `Cookie` header, unquoted and percent-decoded, or undefined. The first match wins: the
 * browser sends the most specific path first. Malformed input never throws; a value that does not decode is returned
 * as sent.
 */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const equals = pair.indexOf('=');
    if (equals < 0 || pair.slice(0, equals).trim() !== name) continue;
    let value = pair.slice(equals + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  }
  return undefined;
}

export interface SerializeCookieOptions {
  /** Lifetime in seconds, sent as both Max-Age and Expires (for clients that know only Expires). */
  maxAgeSeconds: number;
  /** @default '/' */
  path?: string;
  /** Leave out for a host-only cookie. */
  domain?: string;
  secure: boolean;
  httpOnly: boolean;
  sameSite: 'Lax' | 'Strict' | 'None';
  /** The time Expires counts from. @default new Date() */
  now?: Date;
}

// RFC 6265 cookie-name token, and attribute values without the characters that would end or split the header.
const NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const ATTRIBUTE = /^[^;\s\x00-\x1f\x7f]*$/;

/** A `Set-Cookie` header value; the value is percent-encoded. Throws on options no browser would accept. */
export function serializeCookie(name: string, value: string, options: SerializeCookieOptions): string {
  if (!NAME.test(name)) throw new TypeError(`Invalid cookie name: ${JSON.stringify(name)}`);
  const path = options.path ?? '/';
  if (!ATTRIBUTE.test(path)) throw new TypeError(`Invalid cookie path: ${JSON.stringify(path)}`);
  if (options.domain !== undefined && (!options.domain || !ATTRIBUTE.test(options.domain))) {
    throw new TypeError(`Invalid cookie domain: ${JSON.stringify(options.domain)}`);
  }
  // Browsers drop a SameSite=None cookie that is not Secure; failing here is louder than a cookie that never arrives.
  if (options.sameSite === 'None' && !options.secure) throw new TypeError('A SameSite=None cookie must be Secure');
  const maxAge = Math.max(0, Math.floor(options.maxAgeSeconds));
  const expires = new Date((options.now ?? new Date()).getTime() + maxAge * 1000);
  const parts = [`${name}=${encodeURIComponent(value)}`, `Max-Age=${maxAge}`, `Expires=${expires.toUTCString()}`, `Path=${path}`];
  if (options.domain) parts.push(`Domain=${options.domain}`);
  if (options.secure) parts.push('Secure');
  if (options.httpOnly) parts.push('HttpOnly');
  parts.push(`SameSite=${options.sameSite}`);
  return parts.join('; ');
}
