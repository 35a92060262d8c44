import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type express from 'express';
import proxyaddr from 'proxy-addr';

/**
 * The tracking lane: the busiest public links (README, Performance) answered ahead of Express's router.
 *
 * Express prepares every request for its router (new prototypes for the request and the response, the router's
 * layer walk, its parameter handling): on a 2-CPU machine that is about 80 µs a request, more than a campaign visit's
 * own work without its database writes. The lane takes `GET` and `HEAD` requests for a few fixed paths, reads them as
 * Express would (the same `trust proxy` setting for the address and the protocol, the same query parser, the same
 * header lookup) and runs the same per-request hooks (the request id, the access log, the metrics). Everything else,
 * and any lane path it cannot read (a malformed escape, a URL that is not a path), goes to Express unchanged.
 */

/** What the public tracking handlers read of a request. Express's Request has all of it, and so has a lane request. */
export interface TrackingRequest {
  readonly method: string;
  /** The visitor's address under the `trust proxy` setting. */
  readonly ip: string | undefined;
  /** Whether the visitor used https (a trusted proxy's X-Forwarded-Proto counts). */
  readonly secure: boolean;
  get(name: string): string | undefined;
}

/** What the per-request hooks (request id, access log, metrics) read; Express's Request has it too. */
export interface HookRequest extends TrackingRequest {
  readonly originalUrl: string;
  readonly httpVersion: string;
  /** The matched route, as Express names it (`/t/:campaign`). */
  readonly route?: { path?: unknown } | undefined;
}

export interface LaneRequest extends HookRequest {
  readonly params: Readonly<Record<string, string>>;
  /** The query as Express's `simple` parser reads it. */
  readonly query: Record<string, unknown>;
}

/** A middleware that works on both paths: it reads a {@link HookRequest} and calls `next` before it returns. */
export type RequestHook = (req: HookRequest, res: ServerResponse, next: () => void) => void;

export interface LaneRoute {
  /** The route as Express would write it, one parameter after a fixed prefix: `/t/:campaign`. */
  path: `/${string}/:${string}`;
  handle(req: LaneRequest, res: ServerResponse): Promise<void>;
}

/** Writes a whole answer at once; a string body without a type is HTML, as Express's `send` makes it. */
export function writeAnswer(res: ServerResponse, status: number, headers: Readonly<Record<string, string | string[]>>, body: string): void {
  const all: Record<string, string | string[] | number> = { ...headers, 'Content-Length': Buffer.byteLength(body) };
  if (!('Content-Type' in headers)) all['Content-Type'] = 'text/html; charset=utf-8';
  res.writeHead(status, all);
  res.end(body);
}

type Trust = (address: string, hop: number) => boolean;

class LaneRequestImpl implements LaneRequest {
  #ip: string | undefined | null = null;
  #query: Record<string, unknown> | undefined;

  constructor(
    private readonly raw: IncomingMessage,
    private readonly trust: Trust,
    private readonly search: string,
    readonly params: Readonly<Record<string, string>>,
    readonly route: { path: string },
  ) {}

  get method(): string {
    return this.raw.method!;
  }

  get originalUrl(): string {
    return this.raw.url!;
  }

  get httpVersion(): string {
    return this.raw.httpVersion;
  }

  get ip(): string | undefined {
    if (this.#ip === null) this.#ip = proxyaddr(this.raw, this.trust);
    return this.#ip;
  }

  get secure(): boolean {
    const encrypted = (this.raw.socket as { encrypted?: boolean }).encrypted === true;
    if (!this.trust(this.raw.socket.remoteAddress ?? '', 0)) return encrypted;
    const header = this.get('x-forwarded-proto');
    if (!header) return encrypted;
    const comma = header.indexOf(',');
    return (comma === -1 ? header : header.slice(0, comma)).trim() === 'https';
  }

  get query(): Record<string, unknown> {
    this.#query ??= parseQuery(this.search);
    return this.#query;
  }

  get(name: string): string | undefined {
    const lower = name.toLowerCase();
    const headers = this.raw.headers;
    const value = lower === 'referer' || lower === 'referrer' ? (headers.referrer ?? headers.referer) : headers[lower];
    return Array.isArray(value) ? value.join(', ') : value;
  }
}

interface Compiled {
  /** The prefix in lower case: Express matches paths case-insensitively. */
  prefix: string;
  param: string;
  route: LaneRoute;
}

/**
 * Puts the lane in front of the app's router: `app.handle`, which the app function (and so `app.listen`) calls for
 * every request, first offers the request to the lane. Call it once the app's settings are made.
 */
export function installLane(app: express.Express, routes: readonly LaneRoute[], hooks: readonly RequestHook[], onError: (error: unknown, res: ServerResponse) => void): void {
  const trust = app.get('trust proxy fn') as Trust;
  const compiled: Compiled[] = routes.map((route) => {
    const colon = route.path.lastIndexOf(':');
    return { prefix: route.path.slice(0, colon).toLowerCase(), param: route.path.slice(colon + 1), route };
  });
  const target = app as unknown as { handle(req: IncomingMessage, res: ServerResponse, next?: unknown): void };
  const handle = target.handle.bind(app);
  target.handle = (req, res, next) => {
    const request = laneRequest(req, compiled, trust);
    if (!request) return handle(req, res, next);
    let index = 0;
    const run = (): void => {
      const hook = hooks[index++];
      if (hook) return hook(request.req, res, run);
      request.route.handle(request.req, res).catch((error: unknown) => onError(error, res));
    };
    run();
  };
}

/** The lane's reading of a request, or undefined for Express. */
function laneRequest(req: IncomingMessage, routes: readonly Compiled[], trust: Trust): { req: LaneRequestImpl; route: LaneRoute } | undefined {
  if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
  const url = req.url ?? '';
  if (url.charCodeAt(0) !== 47 /* / */) return undefined;
  const question = url.indexOf('?');
  const path = question === -1 ? url : url.slice(0, question);
  for (const { prefix, param, route } of routes) {
    if (path.length <= prefix.length || path.slice(0, prefix.length).toLowerCase() !== prefix) continue;
    // One segment, with the trailing slash Express also accepts.
    let segment = path.slice(prefix.length);
    if (segment.endsWith('/')) segment = segment.slice(0, -1);
    if (segment === '' || segment.includes('/')) return undefined;
    let value: string;
    try {
      value = segment.includes('%') ? decodeURIComponent(segment) : segment;
    } catch {
      // Express answers a malformed escape with its own 400.
      return undefined;
    }
    const search = question === -1 ? '' : url.slice(question + 1);
    return { req: new LaneRequestImpl(req, trust, search, { [param]: value }, { path: route.path }), route };
  }
  return undefined;
}
