import { lookup as dnsLookup } from 'node:dns/promises';
import { type IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { classifyAddress, type RefusedAddress, refusedHost } from './addresses.js';

/** The most of a reply's body that is ever read (README, Security); the connection is closed once more arrives. */
export const MAX_REPLY_BYTES = 64 * 1024;

/** An address a host name resolves to. */
export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Turns a host name into its addresses; `family` 0 asks for both IPv4 and IPv6. */
export type Resolver = (hostname: string, family: 0 | 4 | 6) => Promise<ResolvedAddress[]>;

const systemResolver: Resolver = (hostname, family) => dnsLookup(hostname, { all: true, family });

export interface OutboundOptions {
  /** Let the request reach loopback, private, link-local, CGNAT and metadata addresses (`WAYPOST_ALLOW_PRIVATE_DESTINATIONS`). @default false */
  allowPrivate?: boolean;
  headers?: Record<string, string>;
  /** Ends the request when it aborts: a timeout (`AbortSignal.timeout`) or a shutdown. */
  signal?: AbortSignal;
  /** How host names become addresses; tests inject one. @default the system resolver (`dns.lookup`) */
  resolve?: Resolver;
}

export interface OutboundReply {
  status: number;
  headers: IncomingHttpHeaders;
  /** The first {@link MAX_REPLY_BYTES} of the body at most. */
  body: Buffer;
  /** The body was longer than {@link MAX_REPLY_BYTES}: the rest was never read and the connection was closed. */
  truncated: boolean;
}

/**
 * A request that got no reply. `reason` is short and holds nothing the destination sent or any address, so that it
 * may be shown to a publisher; `detail` is for the operator.
 */
export class OutboundError extends Error {
  override readonly name = 'OutboundError';
  constructor(
    readonly reason: string,
    readonly detail?: string,
    options?: ErrorOptions,
  ) {
    super(detail ? `${reason}: ${detail}` : reason, options);
  }
}

export function isOutboundError(error: unknown): error is OutboundError {
  return error instanceof OutboundError;
}

function refused(kind: RefusedAddress, address: string): OutboundError {
  return new OutboundError(
    `destination refused: ${kind} address`,
    `${address} is a ${kind} address; WAYPOST_ALLOW_PRIVATE_DESTINATIONS=true lets outbound requests reach it`,
  );
}

/**
 * net.connect's `lookup` hook: the addresses it returns are the ones the socket connects to, so checking them here
 * checks the address actually connected to, and a name that resolves differently a second time (DNS rebinding) gains
 * nothing. Refused addresses are dropped; a name with none left fails.
 */
function checkedLookup(resolve: Resolver, allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    const family = options.family === 4 || options.family === 'IPv4' ? 4 : options.family === 6 || options.family === 'IPv6' ? 6 : 0;
    resolve(hostname, family).then(
      (addresses) => {
        const allowed = allowPrivate ? addresses : addresses.filter(({ address }) => classifyAddress(address) === null);
        const first = allowed[0];
        if (!first) {
          const sample = addresses[0];
          const error = sample ? refused(classifyAddress(sample.address)!, `${hostname} (${sample.address})`) : new OutboundError('host not found (ENOTFOUND)');
          return callback(error, '', 0);
        }
        if (options.all) callback(null, allowed);
        else callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  ETIMEDOUT: 'timeout',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
};

/** A short reason made of fixed words and the error code only: socket messages can carry addresses. */
function networkError(error: NodeJS.ErrnoException): OutboundError {
  const code = typeof error.code === 'string' && /^[A-Z0-9_]{1,40}$/.test(error.code) ? error.code : undefined;
  const words =
    (code && NETWORK_REASONS[code]) ??
    (code?.startsWith('HPE_') ? 'invalid HTTP reply' : code && /CERT|TLS|SSL/.test(code) ? 'TLS error' : 'network error');
  return new OutboundError(code ? `${words} (${code})` : words, undefined, { cause: error });
}

/**
 * A GET request for every call the server makes to a URL it was given (publisher postbacks, later traffic-source
 * postbacks and FX feeds). It refuses destinations that are not public (README, Security) unless `allowPrivate`,
 * follows no redirect (a 3xx is the reply), and reads at most {@link MAX_REPLY_BYTES} of the body. Rejects with an
 * {@link OutboundError} when there is no reply.
 */
export function outboundGet(url: string, options: OutboundOptions = {}): Promise<OutboundReply> {
  const { allowPrivate = false, headers = {}, signal, resolve = systemResolver } = options;
  let target: URL;
  try {
    target = new URL(url);
  } catch (error) {
    return Promise.reject(new OutboundError('not a valid URL', undefined, { cause: error }));
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return Promise.reject(new OutboundError('not an http(s) URL'));
  // A literal address never goes through the lookup hook, so it is checked here: it is the address connected to.
  const literal = refusedHost(target.hostname);
  if (literal && !allowPrivate) return Promise.reject(refused(literal, target.hostname));
  if (signal?.aborted) return Promise.reject(abortError(signal));

  return new Promise<OutboundReply>((settle, reject) => {
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      outcome();
    };
    const fail = (error: unknown) => finish(() => reject(signal?.aborted ? abortError(signal) : isOutboundError(error) ? error : networkError(error as NodeJS.ErrnoException)));
    // node:http rather than fetch: its documented `lookup` hook sees the very address the socket connects to, and
    // Node's built-in fetch offers no such hook without adding undici as a dependency.
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(target, {
      method: 'GET',
      headers,
      lookup: checkedLookup(resolve, allowPrivate),
      // A connection of its own for each request: a pooled socket could have been opened under another policy.
      agent: false,
    });
    const onAbort = () => {
      fail(signal!.reason);
      request.destroy();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    request.on('error', fail);
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = (truncated: boolean) =>
        finish(() => {
          if (truncated) request.destroy();
          settle({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks), truncated });
        });
      response.on('data', (chunk: Buffer) => {
        if (settled) return;
        const room = MAX_REPLY_BYTES - size;
        chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
        size += Math.min(chunk.length, room);
        if (chunk.length > room) done(true);
      });
      response.on('end', () => done(false));
      response.on('error', fail);
      // The destination closed the connection before the end of its reply.
      response.on('close', () => {
        if (!response.complete) fail(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
      });
    });
    request.end();
  });
}

function abortError(signal: AbortSignal): OutboundError {
  const reason = signal.reason as Error | undefined;
  return reason?.name === 'TimeoutError' ? new OutboundError('timeout', undefined, { cause: reason }) : new OutboundError('aborted', undefined, { cause: reason });
}
