import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { ApiError } from './errors.js';

/** The header that carries a session's CSRF token (README, Team accounts). */
export const CSRF_HEADER = 'X-CSRF-Token';

/** Methods that change nothing; every other method needs the token when the session cookie authenticates it. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A session's CSRF token, derived from its cookie token rather than stored: the database holds neither, and the
 * token, readable by the console's script, tells nothing of the cookie it comes from.
 */
export function csrfTokenFor(sessionToken: string): string {
  return createHash('sha256').update(`waypost-csrf\0${sessionToken}`).digest('base64url');
}

/**
 * Refuses (403 `csrf_failed`) a state-changing request made with the session cookie that does not carry the session's
 * CSRF token. Another site can make a browser send the cookie, but cannot read the token to send it back.
 */
export function checkCsrf(req: Request, sessionToken: string): void {
  if (SAFE_METHODS.has(req.method)) return;
  const sent = Buffer.from(req.get(CSRF_HEADER) ?? '');
  const expected = Buffer.from(csrfTokenFor(sessionToken));
  if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) {
    throw new ApiError(403, 'csrf_failed', `send the session's CSRF token (GET /v1/session, csrfToken) in the ${CSRF_HEADER} header`);
  }
}
