import { truncateIp } from '../tracking/ip.js';
import type { RequestHook } from './lane.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * One line per answered request in the combined log format (`%h %l %u %t "%r" %>s %b "%{Referer}i"
 * "%{User-agent}i"`): what nginx and Apache write by default, so GoAccess, AWStats, fail2ban and the usual
 * parsers (grok's COMBINEDAPACHELOG) read it, and a proxy's log and ours go through the same tools.
 *
 * It never holds a secret or a visitor: a `token` query parameter (a postback's or pixel's offer token) is
 * written as `REDACTED` in the request line and the referrer, the user field is always `-` (API keys travel in
 * `Authorization`, which is not logged), and the address is cut to its network as in clicks (203.0.113.0 for
 * 203.0.113.7; an IPv6 address to its /48), still an address that the parsers accept.
 */
export function accessLog(write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): RequestHook {
  return (req, res, next) => {
    const at = new Date();
    res.once('finish', () => {
      const host = truncateIp(req.ip)?.replace(/\/\d+$/, '') ?? '-';
      const length = res.getHeader('content-length');
      const requestLine = `${req.method} ${redactToken(req.originalUrl)} HTTP/${req.httpVersion}`;
      write(
        `${host} - - [${clfDate(at)}] "${escape(requestLine)}" ${res.statusCode} ${length === undefined || Number(length) === 0 ? '-' : String(length)}` +
          ` "${escape(redactToken(req.get('referer') ?? '-'))}" "${escape(req.get('user-agent') ?? '-')}"`,
      );
    });
    next();
  };
}

/** `[10/Oct/2000:13:55:36 +0000]`'s inside, in UTC. */
function clfDate(at: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return (
    `${pad(at.getUTCDate())}/${MONTHS[at.getUTCMonth()]}/${at.getUTCFullYear()}:` +
    `${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())} +0000`
  );
}

/**
 * The URL with every `token` parameter's value replaced, and the token of a console invite or password-reset link
 * (`/app/invite/TOKEN`, `/app/reset/TOKEN`, also the referrer of the calls that page makes). The name is compared
 * decoded, as the query parser reads it, so `tok%65n=` is caught too.
 */
export function redactToken(url: string): string {
  url = url.replace(/(\/app\/(?:invite|reset)\/)[^/?#]+/g, '$1REDACTED');
  const start = url.indexOf('?');
  if (start < 0) return url;
  const hash = url.indexOf('#', start);
  const end = hash < 0 ? url.length : hash;
  const query = url
    .slice(start + 1, end)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = equals < 0 ? pair : pair.slice(0, equals);
      return decodeName(name) === 'token' ? `${name}=REDACTED` : pair;
    })
    .join('&');
  return `${url.slice(0, start + 1)}${query}${url.slice(end)}`;
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

/** Quotes and backslashes escaped and control bytes as `\xhh`, as Apache does, so a field cannot break its line. */
function escape(text: string): string {
  return text.replace(/["\\]/g, (char) => `\\${char}`).replace(/[\x00-\x1f\x7f]/g, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
