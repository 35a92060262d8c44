import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The answers of a campaign's redirect modes (README, Campaigns: redirect modes). Pure: the route sends what these
 * return. Every target is checked to be http(s) and escaped for where it lands (a header, an HTML attribute, a
 * JSON string inside a script), so that a hostile offer or lander URL can neither run script nor break the page.
 */

export const REDIRECT_MODES = ['302', '307', 'meta', 'double_meta', 'js'] as const;
export type RedirectMode = (typeof REDIRECT_MODES)[number];

export interface RedirectAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The target serialized by the URL parser (no raw spaces, quotes or line breaks survive it), or null unless http(s). */
export function safeTarget(target: string): string | null {
  let url: URL;
  try {
    url = new URL(target.trim());
  } catch {
    return null;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
}

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for an HTML attribute value or element content. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!);
}

/**
 * A JSON string literal safe inside `<script>`: `<`, `>` and `&` cannot end the element or open a comment, and the
 * line separators that older engines refuse in string literals are escaped.
 */
export function scriptString(text: string): string {
  return JSON.stringify(text).replace(/[<>&\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// Nothing but the refresh or the one inline script runs; no framing, no forms, no base URL tricks.
const PAGE_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function page(head: string, csp: string): RedirectAnswer {
  return {
    status: 200,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Robots-Tag': 'noindex, nofollow',
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': csp,
    },
    body: `<!doctype html>\n<html><head><meta charset="utf-8"><meta name="robots" content="noindex, nofollow"><meta name="referrer" content="no-referrer">${head}<title>Redirecting…</title></head><body></body></html>\n`,
  };
}

/** A page whose zero-second meta refresh goes to `url` (already safe), sending no referrer. */
export function metaRefreshPage(url: string): RedirectAnswer {
  return page(`<meta http-equiv="refresh" content="0;url=${escapeHtml(url)}">`, PAGE_CSP);
}

/** A page that calls `location.replace`, with the meta refresh inside `<noscript>`; its CSP allows that one script. */
export function scriptRedirectPage(url: string): RedirectAnswer {
  const script = `location.replace(${scriptString(url)});`;
  const hash = createHash('sha256').update(script).digest('base64');
  return page(
    `<script>${script}</script><noscript><meta http-equiv="refresh" content="0;url=${escapeHtml(url)}"></noscript>`,
    `${PAGE_CSP}; script-src 'sha256-${hash}'`,
  );
}

// What may not stand in a URL (outside the printable ASCII that URLs use), or a `%` that starts no escape.
const NOT_IN_URL = /(?:[^\x21\x23-\x3B\x3D\x3F-\x5F\x61-\x7A\x7C\x7E]+|%+(?![0-9A-Fa-f]{2})){1,1024}/g;
const LONE_SURROGATE = /([\uD800-\uDBFF][\uDC00-\uDFFF])|[\uD800-\uDFFF]/g;

/**
 * A URL made fit for a Location header the way Express's `res.redirect` makes it: what may not stand in a URL is
 * percent-encoded, escapes already there are kept, a lone surrogate becomes U+FFFD.
 */
export function encodeLocation(url: string): string {
  return url.replace(LONE_SURROGATE, (_match, pair: string | undefined) => pair ?? '\uFFFD').replace(NOT_IN_URL, encodeURI);
}

/**
 * The answer for `target` in `mode`, or null when the target is not an http(s) URL (the route shows its 404 page
 * rather than send a visitor to `javascript:` or a broken address). `hop` gives the double-meta page its
 * intermediate address on this server.
 */
export function redirectAnswer(mode: RedirectMode, target: string, hop: (url: string) => string): RedirectAnswer | null {
  const url = safeTarget(target);
  if (url === null) return null;
  switch (mode) {
    case '302':
    case '307':
      return { status: Number(mode), headers: { Location: url, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer-when-downgrade' }, body: '' };
    case 'meta':
      return metaRefreshPage(url);
    case 'double_meta':
      return metaRefreshPage(hop(url));
    case 'js':
      return scriptRedirectPage(url);
  }
}

/**
 * Signed, expiring tokens for `/r/TOKEN`, the double-meta hop. The target travels inside the token, signed with a key
 * of this installation, so `/r/` sends visitors only where the server itself chose, and only for a short while: it
 * is no open redirect.
 */
export class HopTokens {
  constructor(
    private readonly key: Buffer,
    /** @default 300 (five minutes: the hop is followed at once; a page restored from the history may come later) */
    private readonly lifetimeSeconds = 300,
  ) {}

  sign(target: string, now: Date): string {
    const expires = Math.floor(now.getTime() / 1000) + this.lifetimeSeconds;
    const payload = Buffer.from(`${expires.toString(36)}.${target}`).toString('base64url');
    return `${payload}.${this.#mac(payload)}`;
  }

  /** The target of a token this key signed and that has not expired, else null. */
  verify(token: string, now: Date): string | null {
    const dot = token.lastIndexOf('.');
    if (dot <= 0) return null;
    const payload = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1), 'base64url');
    const wanted = Buffer.from(this.#mac(payload), 'base64url');
    if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return null;
    const text = Buffer.from(payload, 'base64url').toString();
    const separator = text.indexOf('.');
    const expires = parseInt(text.slice(0, separator), 36);
    if (!(expires * 1000 > now.getTime())) return null;
    return safeTarget(text.slice(separator + 1));
  }

  #mac(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url').slice(0, 32);
  }
}
