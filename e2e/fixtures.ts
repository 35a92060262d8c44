// The e2e harness, in one file: a real Waypost server, a page server for the shop's hosts, and the fixtures that
// give both to the specs. Specs import `test` and `expect` from here, never from @playwright/test.
import { readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect, type Page } from '@playwright/test';
import type { Tracker, TrackerOptions, TrackingParams } from '@waypost/browser';
import {
  type Click,
  type Conversion,
  type CreateOfferParams,
  type CreatePublisherParams,
  type Offer,
  type Publisher,
  Waypost,
} from '@waypost/node';
import express from 'express';
import type Stripe from 'stripe';
import { createShop, type ShopOptions } from '../examples/express-checkout/shop.js';
import { createLanderServer, type LanderOptions } from '../examples/static-lander/serve.js';
import { stripeWebhook } from '../examples/stripe-checkout/webhook.js';
import { runExample } from '../scripts/test-support/readme.js';
import { type ExampleServer, startWaypost } from '../scripts/test-support/waypost-server.js';

export { expect };

declare global {
  interface Window {
    waypost?: Tracker;
  }
}

/**
 * The host names of the e2e world. Chromium maps every `*.waypost.test` name to 127.0.0.1
 * (`--host-resolver-rules` in playwright.config.ts); the shop's lander and checkout share `.shop.waypost.test`.
 * `ads` is another site, such as a publisher's; `network` is an affiliate network's offer page.
 */
export const HOSTS = {
  track: 'track.waypost.test',
  lander: 'lander.shop.waypost.test',
  checkout: 'checkout.shop.waypost.test',
  ads: 'ads.waypost.test',
  network: 'network.waypost.test',
} as const;

/** Which build of the browser SDK the pages load: `waypost.js` in a script tag, or the ES module's `createTracker`. */
export type Build = 'script' | 'module';

/**
 * The tracker's settings by dataset name, as the script tag carries them in `data-*` attributes
 * (`cookieDomain` is `data-cookie-domain`; `''` is a bare attribute such as `data-convert`) and as the ES module
 * receives them in `createTracker()`. `endpoint` defaults to the tracking server.
 */
export type TrackerAttributes = Partial<
  Record<keyof TrackerOptions | 'amount' | 'currency' | 'transactionId' | 'event' | 'coupon', string>
>;

// ---------------------------------------------------------------------------------------------------------------
// The Waypost server

export interface WaypostServer extends ExampleServer {
  /** What pages load the script from and post to: `http://track.waypost.test:PORT`, also `WAYPOST_PUBLIC_URL`. */
  publicUrl: string;
  /** The same server for Node, which does not resolve `*.waypost.test`: `http://127.0.0.1:PORT`. */
  url: string;
  /** The Node SDK with the admin key: the admin API over HTTP (offers, publishers, clicks, conversions, reports…). */
  api: Waypost;
  /** An offer with a unique name, a 10.00 CPA payout and direct tracking on, unless `params` says otherwise. */
  createOffer(params?: Partial<CreateOfferParams>): Promise<Offer>;
  /** A publisher with a unique name. */
  createPublisher(params?: Partial<CreatePublisherParams>): Promise<Publisher>;
  /** Every click of an offer, newest first (`GET /v1/clicks`). */
  clicks(offerId: string): Promise<Click[]>;
  /** Every conversion of an offer, newest first (`GET /v1/conversions`). */
  conversions(offerId: string): Promise<Conversion[]>;
}

/** The Waypost server of the examples' tests, named `track.waypost.test` in its links, with the admin API helpers. */
async function startTrackingServer(): Promise<WaypostServer> {
  const server = await startWaypost({ publicHost: HOSTS.track });
  const api = new Waypost({ apiKey: server.apiKey, baseUrl: server.url, maxRetries: 0 });
  let created = 0;
  const unique = (kind: string) => `E2E ${kind} ${++created}`;
  return {
    ...server,
    api,
    createOffer: (params = {}) =>
      api.offers.create({
        name: unique('offer'),
        url: 'https://merchant.example/?click_id={click_id}',
        payout: { model: 'cpa', amount: '10.00' },
        directTracking: true,
        ...params,
      }),
    createPublisher: (params = {}) => api.publishers.create({ name: unique('publisher'), ...params }),
    clicks: async (offerId) => collect(api.clicks.list({ offerId, limit: 500 })),
    conversions: async (offerId) => collect(api.conversions.list({ offerId, limit: 500 })),
  };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

// ---------------------------------------------------------------------------------------------------------------
// The page server: the shop's pages on lander.shop.waypost.test, checkout.shop.waypost.test, ads.waypost.test…

/** A fixed reply: HTML unless `type` says otherwise. */
export interface StaticResponse {
  body: string | Buffer;
  /** @default 'text/html; charset=utf-8' */
  type?: string;
  /** @default 200 */
  status?: number;
  /** Extra response headers, such as `Content-Security-Policy`. */
  headers?: Record<string, string>;
}

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface PageOptions {
  /** HTML placed in `<head>` before the tracker, such as the page's own scripts (`site.script()`). */
  head?: string;
  /** The tracker's settings, loaded as this project's build; `false` for a page without the tracker. */
  tracker?: TrackerAttributes | false;
  /** HTML placed in `<head>` after the tracker. */
  afterTracker?: string;
  /** @default a heading naming the page */
  body?: string;
  /** Extra response headers, such as `Content-Security-Policy`. */
  headers?: Record<string, string>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.txt': 'text/plain; charset=utf-8',
};

const require = createRequire(import.meta.url);
/** The ES module build (tsup), and js-cookie, its one import, as the browser package resolves it. */
const MODULE_BUILD = require.resolve('@waypost/browser');
const JS_COOKIE_MODULE = (() => {
  const manifest = createRequire(MODULE_BUILD).resolve('js-cookie/package.json');
  const exports = JSON.parse(readFileSync(manifest, 'utf8')).exports as { '.': { import: string } };
  return join(dirname(manifest), exports['.'].import);
})();

/**
 * Paths every host serves. The ES module build is served as a bundler's dev server would serve it: its bare
 * import of `js-cookie` is rewritten to a URL on the same origin. An import map would do that too, but it is
 * inline script, which the strict-CSP pages refuse.
 */
const SDK_PATHS = {
  module: '/__waypost/browser.js',
  jsCookie: '/__waypost/js-cookie.js',
  loader: '/__waypost/tracker.js',
} as const;

/**
 * What a page built with the ES module runs: `createTracker()` with the options the script tag would carry as
 * attributes, installed as `window.waypost` (with the stub queue drained) so that specs read both builds alike,
 * and the thank-you conversion that the script tag fires for `data-convert`.
 */
const MODULE_LOADER = `import { createTracker, drainQueue } from '${SDK_PATHS.module}';
const options = JSON.parse(new URL(import.meta.url).searchParams.get('options'));
const tracker = createTracker(options);
const queue = window.waypost && window.waypost.q;
window.waypost = tracker;
drainQueue(tracker, queue);
if (options.convert != null) tracker.convert(options);
`;

function readModuleBuild(): string {
  const source = readFileSync(MODULE_BUILD, 'utf8');
  const rewritten = source.replace(/\bfrom\s*(["'])js-cookie\1/g, `from '${SDK_PATHS.jsCookie}'`);
  if (rewritten === source) throw new Error(`${MODULE_BUILD} no longer imports js-cookie by name: update readModuleBuild()`);
  if (/\bfrom\s*["'][^./]/.test(rewritten)) throw new Error(`${MODULE_BUILD} has a bare import the page server cannot serve`);
  return rewritten;
}

const escapeAttribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
const kebabCase = (name: string) => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

/** One node:http server for every shop host, routing by Host header and path; routes are set per test. */
class PageServer {
  readonly port: number;
  private routes = new Map<string, RouteHandler>();
  private directories: { host: string; prefix: string; dir: string }[] = [];

  private constructor(
    private readonly http: Server,
    port: number,
  ) {
    this.port = port;
    http.on('request', (req, res) => {
      // A fault of the page server answers 500 with its stack; it must not take the Playwright worker down.
      Promise.resolve()
        .then(() => this.handle(req, res))
        .catch((error: unknown) => {
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`page server: ${error instanceof Error ? error.stack : String(error)}`);
        });
    });
  }

  static async start(): Promise<PageServer> {
    const http = createServer();
    return new PageServer(http, await listenOnFreePort(http));
  }

  url(host: string, path = '/'): string {
    return `http://${host}:${this.port}${path}`;
  }

  route(host: string, path: string, response: StaticResponse | RouteHandler): void {
    this.routes.set(`${host}${path}`, typeof response === 'function' ? response : staticHandler(response));
  }

  directory(host: string, prefix: string, dir: string): void {
    this.directories.push({ host, prefix: prefix.replace(/\/$/, ''), dir: resolve(dir) });
  }

  /** Forgets the routes of the test that ended. */
  reset(): void {
    this.routes.clear();
    this.directories = [];
  }

  close(): Promise<void> {
    return closeServer(this.http);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void | Promise<void> {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const path = new URL(req.url ?? '/', 'http://page.invalid').pathname;
    const route = this.routes.get(`${host}${path}`);
    if (route) return route(req, res);
    if (path === SDK_PATHS.module) return staticHandler({ body: readModuleBuild(), type: CONTENT_TYPES['.js'] })(req, res);
    if (path === SDK_PATHS.jsCookie) return staticHandler({ body: readFileSync(JS_COOKIE_MODULE), type: CONTENT_TYPES['.js'] })(req, res);
    if (path === SDK_PATHS.loader) return staticHandler({ body: MODULE_LOADER, type: CONTENT_TYPES['.js'] })(req, res);
    // Chromium asks every host for one; an answer keeps a 404 out of the console.
    if (path === '/favicon.ico') return void res.writeHead(204).end();
    for (const { prefix, dir } of this.directories.filter((mount) => mount.host === host)) {
      if (path !== prefix && !path.startsWith(`${prefix}/`)) continue;
      // As a static server does, so that the index page's relative links resolve inside the folder.
      if (path === prefix) return void res.writeHead(301, { location: `${prefix}/` }).end();
      const relative = decodeURIComponent(path.slice(prefix.length)) || '/';
      const file = normalize(join(dir, relative.endsWith('/') ? `${relative}index.html` : relative));
      if (!file.startsWith(dir + sep) || !statSync(file, { throwIfNoEntry: false })?.isFile()) continue;
      const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
      return staticHandler({ body: readFileSync(file), type })(req, res);
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end(`no page at ${host}${path} in this test\n`);
  }
}

function staticHandler({ body, type = CONTENT_TYPES['.html']!, status = 200, headers = {} }: StaticResponse): RouteHandler {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers }).end(body);
  };
}

/** The shop's pages for one test, with the tracker of the test's build. */
export class Site {
  constructor(
    private readonly server: PageServer,
    /** Which build of the SDK the pages load. */
    readonly build: Build,
    private readonly trackerOrigin: string,
  ) {}

  /** `http://HOST:PORT/path` on the page server. */
  url(host: string, path = '/'): string {
    return this.server.url(host, path);
  }

  /** `http://HOST:PORT`, as the page's requests send it in `Origin`. */
  origin(host: string): string {
    return this.server.url(host, '');
  }

  /** Serves an HTML page with the tracker (see `tracker()`); returns its URL. */
  page(host: string, path: string, { head = '', tracker = {}, afterTracker = '', body, headers }: PageOptions = {}): string {
    const title = `${host}${path}`;
    const html = [
      '<!doctype html>',
      '<html lang="en">',
      '<head>',
      '<meta charset="utf-8">',
      `<title>${title}</title>`,
      head,
      tracker ? this.tracker(tracker) : '',
      afterTracker,
      '</head>',
      // A heading by default, so that a failure screenshot shows which page it was.
      `<body>${body ?? `<h1>${title}</h1>`}</body>`,
      '</html>',
    ];
    return this.route(host, path, { body: html.filter(Boolean).join('\n'), ...(headers ? { headers } : {}) });
  }

  /**
   * The tag that loads the tracker as this test's build: `<script async src=".../waypost.js" data-…>` from the
   * tracking server, or a module script that imports the ES module build and calls `createTracker()` with the same
   * settings.
   */
  tracker(attributes: TrackerAttributes = {}): string {
    if (this.build === 'module') {
      const options = JSON.stringify({ endpoint: this.trackerOrigin, ...attributes });
      return `<script type="module" src="${SDK_PATHS.loader}?options=${encodeURIComponent(options)}"></script>`;
    }
    const data = Object.entries(attributes).map(([name, value]) =>
      value === '' ? ` data-${kebabCase(name)}` : ` data-${kebabCase(name)}="${escapeAttribute(value ?? '')}"`,
    );
    return `<script async src="${this.trackerOrigin}/waypost.js"${data.join('')}></script>`;
  }

  /** Serves the page's own script at `host` + `path`; returns the tag that loads it (a file, so CSP allows it). */
  script(host: string, path: string, code: string): string {
    this.route(host, path, { body: code, type: CONTENT_TYPES['.js']! });
    return `<script src="${path}"></script>`;
  }

  /** Serves anything at `host` + `path`; returns its URL. */
  route(host: string, path: string, response: StaticResponse | RouteHandler): string {
    this.server.route(host, path, response);
    return this.url(host, path);
  }

  /** Serves the files under `dir` at `host` + `prefix` (`/` serves `index.html`), such as `examples/static-lander`. */
  directory(host: string, prefix: string, dir: string): string {
    this.server.directory(host, prefix, dir);
    return this.url(host, prefix.endsWith('/') ? prefix : `${prefix}/`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The examples of `examples/`, run as their READMEs say, against the test's Waypost server

/**
 * The examples' servers of one test, each on its own free port of 127.0.0.1 and stopped when the test ends. A page
 * reaches one under a host name of the e2e world (`http://lander.shop.waypost.test:PORT/`): the examples answer
 * whatever the Host header says, and cookies ignore ports.
 */
export class Examples {
  private readonly servers: Server[] = [];

  constructor(private readonly waypost: WaypostServer) {}

  /**
   * examples/static-lander: `createLanderServer()` with its placeholders filled for this server and `offerId`.
   * Resolves to its base URL under `host`; `lander.html`, `offer.html` and `thank-you.html` are below it.
   */
  lander(host: string, options: Omit<LanderOptions, 'trackingUrl'>): Promise<string> {
    return this.listen(host, createLanderServer({ trackingUrl: this.waypost.publicUrl, ...options }));
  }

  /**
   * examples/express-checkout: `createShop()` reporting sales with the admin key. Resolves to its base URL under
   * `host`; the checkout is `checkout` below it.
   */
  shop(host: string, options: Omit<ShopOptions, 'waypost'> = {}): Promise<string> {
    return this.listen(host, createServer(createShop({ waypost: this.waypost.api, ...options })));
  }

  /**
   * examples/stripe-checkout: the `stripeWebhook()` route mounted as its README says, reporting with the admin key.
   * Resolves to its URL for Node, which posts the signed events: `http://127.0.0.1:PORT/webhooks/stripe`.
   */
  async stripeWebhook(options: { stripe: Stripe; webhookSecret: string }): Promise<string> {
    const app = express();
    app.use(stripeWebhook({ ...options, waypost: this.waypost.api }));
    return `${await this.listen('127.0.0.1', createServer(app))}webhooks/stripe`;
  }

  /**
   * examples/network-postback: runs `network.ts` as its README says (`node --import tsx`) with `env`, its
   * `WAYPOST_*` variables; resolves to what it printed, one line per postback.
   */
  network(env: Record<string, string>): Promise<string> {
    return runExample('network.ts', { cwd: fileURLToPath(new URL('../examples/network-postback/', import.meta.url)), env });
  }

  /**
   * examples/campaign-funnel: runs `campaign-funnel.ts` as its README says against this server, with `env` (its
   * lander, offer and traffic-source postback URLs); resolves to the URLs it printed, by label.
   */
  async campaignFunnel(env: Record<string, string>): Promise<Record<string, string>> {
    const output = await runExample('campaign-funnel.ts', {
      cwd: fileURLToPath(new URL('../examples/campaign-funnel/', import.meta.url)),
      env: { WAYPOST_URL: this.waypost.url, WAYPOST_ADMIN_KEY: this.waypost.apiKey, ...env },
    });
    return Object.fromEntries(output.trim().split('\n').map((line) => [line.slice(0, line.indexOf(': ')), line.slice(line.indexOf(': ') + 2)]));
  }

  async close(): Promise<void> {
    await Promise.all(this.servers.splice(0).map(closeServer));
  }

  private async listen(host: string, server: Server): Promise<string> {
    this.servers.push(server);
    return `http://${host}:${await listenOnFreePort(server)}/`;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// What the page reports: console errors, uncaught exceptions and CSP violations

export interface PageProblems {
  /** `console.error` messages, including the browser's own ("Refused to load…", failed requests). */
  consoleErrors: string[];
  /** Uncaught exceptions of the page, by message. */
  pageErrors: string[];
  /** `securitypolicyviolation` events: the directive and the blocked URI. */
  cspViolations: { directive: string; blockedURI: string }[];
}

async function watchPage(page: Page): Promise<PageProblems> {
  const problems: PageProblems = { consoleErrors: [], pageErrors: [], cspViolations: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') problems.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => problems.pageErrors.push(error.message));
  // A binding and an init script go through the DevTools protocol, so the page's CSP does not apply to them.
  await page.exposeFunction('__waypostE2eViolation', (violation: PageProblems['cspViolations'][number]) => {
    problems.cspViolations.push(violation);
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as Record<string, (value: unknown) => void>).__waypostE2eViolation;
      report?.({ directive: event.violatedDirective, blockedURI: event.blockedURI });
    });
  });
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers for specs

/** Waits for `window.waypost`, then for `ready()`: the tracking parameters once the visit is answered. */
export async function trackingParams(page: Page): Promise<TrackingParams> {
  await page.waitForFunction(() => typeof window.waypost?.ready === 'function');
  return page.evaluate(() => window.waypost!.ready());
}

/** Yesterday to tomorrow in UTC, for `GET /v1/reports`: a funnel's events are still found when a run crosses midnight. */
export function aroundToday(): { from: string; to: string } {
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  return { from: day(-1), to: day(1) };
}

/** The `waypost_cid` cookies the browser holds, on any domain. */
export async function clickCookies(page: Page) {
  return (await page.context().cookies()).filter((cookie) => cookie.name === 'waypost_cid');
}

// ---------------------------------------------------------------------------------------------------------------
// Fixtures

export interface WaypostOptions {
  /** Set per project in playwright.config.ts: every spec runs against both builds. */
  build: Build;
}

interface TestFixtures {
  /** The shop's pages for this test, loading this project's build of the SDK. */
  site: Site;
  /** Console errors, page errors and CSP violations of `page`, collected from before the first navigation. */
  problems: PageProblems;
  /** The examples of `examples/` for this test, against the worker's Waypost server. */
  examples: Examples;
}

interface WorkerFixtures {
  /** A real Waypost server over a fresh SQLite file, shared by the tests of a worker: create your own offers. */
  waypost: WaypostServer;
  pageServer: PageServer;
}

export const test = base.extend<WaypostOptions & TestFixtures, WorkerFixtures>({
  build: ['script', { option: true }],
  waypost: [
    async ({}, use) => {
      const server = await startTrackingServer();
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ],
  pageServer: [
    async ({}, use) => {
      const server = await PageServer.start();
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ],
  site: async ({ pageServer, waypost, build }, use) => {
    await use(new Site(pageServer, build, waypost.publicUrl));
    pageServer.reset();
  },
  problems: async ({ page }, use) => {
    await use(await watchPage(page));
  },
  examples: async ({ waypost }, use) => {
    const examples = new Examples(waypost);
    await use(examples);
    await examples.close();
  },
});

// ---------------------------------------------------------------------------------------------------------------

function listenOnFreePort(server: Server): Promise<number> {
  return new Promise((resolvePort, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolvePort((server.address() as AddressInfo).port));
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolveClose) => {
    server.close(() => resolveClose());
    server.closeAllConnections();
  });
}
