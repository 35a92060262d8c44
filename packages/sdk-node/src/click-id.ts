import { ClickIdSchema } from '@waypost/schema';

/** The first-party cookie that the tracking link and the browser script set. */
const COOKIE = 'waypost_cid';
/** The query parameter a landing or checkout URL may carry. */
const QUERY_PARAM = 'click_id';

/**
 * A request as the common Node servers hand it over:
 * - Express (`req.cookies` from cookie-parser when present, else the `Cookie` header; `req.query`),
 * - `node:http` `IncomingMessage` (`headers.cookie`, `url`),
 * - Fetch `Request` (Next.js route handlers, Hono, Remix…: `headers.get('cookie')`, `url`).
 */
export type ClickIdRequest =
  | { headers: { get(name: string): string | null }; url: string }
  | {
      headers: Record<string, string | string[] | undefined>;
      url?: string | undefined;
      cookies?: Record<string, unknown> | undefined;
      query?: unknown;
    };

/** The click id of a request: the `waypost_cid` cookie, else the `click_id` query parameter; only valid ids. */
export function clickIdFrom(req: ClickIdRequest): string | undefined {
  return valid(cookieValue(req)) ?? valid(queryValue(req));
}

function valid(value: unknown): string | undefined {
  const result = ClickIdSchema.safeParse(value);
  return result.success ? result.data : undefined;
}

function cookieValue(req: ClickIdRequest): unknown {
  const parsed = 'cookies' in req ? req.cookies?.[COOKIE] : undefined;
  if (typeof parsed === 'string') return parsed;
  const header = typeof req.headers.get === 'function' ? req.headers.get('cookie') : (req.headers as Record<string, unknown>)['cookie'];
  return typeof header === 'string' ? readCookie(header, COOKIE) : undefined;
}

function readCookie(header: string, name: string): string | undefined {
  for (const pair of header.split(';')) {
    const index = pair.indexOf('=');
    if (index === -1 || pair.slice(0, index).trim() !== name) continue;
    let value = pair.slice(index + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      // The browser script writes the value URI-encoded (js-cookie).
      return decodeURIComponent(value);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function queryValue(req: ClickIdRequest): unknown {
  const query = 'query' in req ? req.query : undefined;
  if (query && typeof query === 'object') {
    const value: unknown = (query as Record<string, unknown>)[QUERY_PARAM];
    return Array.isArray(value) ? value[0] : value;
  }
  if (!req.url) return undefined;
  try {
    // IncomingMessage.url is a path; Request.url is absolute. The base only serves the former.
    return new URL(req.url, 'http://localhost').searchParams.get(QUERY_PARAM) ?? undefined;
  } catch {
    return undefined;
  }
}
