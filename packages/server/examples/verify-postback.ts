// Check that a publisher postback really comes from your Waypost server, in the tracker that receives it.
import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * `header` is the request's X-Waypost-Signature (`t=UNIX,v1=HEX`); `url` is the URL Waypost called: your scheme and
 * host plus the request's path and query exactly as received, for example `https://${req.headers.host}${req.url}`.
 * A signature older than `toleranceSeconds` is refused, so a captured request cannot be replayed later.
 */
export function verifyWaypostSignature(header: string | undefined, url: string, secret: string, now = Date.now(), toleranceSeconds = 300): boolean {
  const fields = new Map((header ?? '').split(',').map((field) => field.trim().split('=', 2) as [string, string]));
  const t = Number(fields.get('t'));
  if (!Number.isInteger(t) || Math.abs(now / 1000 - t) > toleranceSeconds) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${url}`).digest('hex'));
  const given = Buffer.from(fields.get('v1') ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
// Then drop repeats: every try of one delivery carries the same X-Waypost-Delivery id.
