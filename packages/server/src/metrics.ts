import { createHash, timingSafeEqual } from 'node:crypto';
import type { ConversionResult, DeliveryKind } from '@waypost/schema';
import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { ApiError } from './http/errors.js';
import type { HookRequest, RequestHook } from './http/lane.js';
import { DatabaseBusyError, type Store } from './storage/index.js';
import type { ClickRecord, ConversionRecord, DeliveryAttempt } from './storage/store.js';

/** The label of a request that no route matched: any path would make a new series, so they share one. */
const UNMATCHED = 'unmatched';

/**
 * The Prometheus metrics of one app (`GET /metrics`, on when `WAYPOST_METRICS_TOKEN` is set). Each app has its own
 * registry, so that several apps in one process (the tests) never share or collide on a series. Everything counted
 * on a request is a counter or histogram update on bounded labels: route patterns, never paths; error codes, never
 * messages. The outbox depth is read from the database when scraped, not kept up to date on every write.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly #requests: Counter<'method' | 'route' | 'status'>;
  readonly #requestSeconds: Histogram<'method' | 'route'>;
  readonly #clicks: Counter<'source' | 'outcome'>;
  readonly #conversions: Counter<'channel' | 'outcome'>;
  readonly #rejections: Counter<'channel' | 'reason'>;
  readonly #deliveries: Counter<'kind' | 'outcome'>;
  readonly #commitSize: Histogram;
  readonly #commitSeconds: Histogram;
  readonly #databaseErrors: Counter<'code'>;

  constructor(store: Store) {
    const registers = [this.registry];
    // Process and runtime metrics, nodejs_eventloop_lag_seconds among them.
    collectDefaultMetrics({ register: this.registry });
    this.#requests = new Counter({
      name: 'waypost_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern (unmatched for none) and status code.',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.#requestSeconds = new Histogram({
      name: 'waypost_http_request_duration_seconds',
      help: 'Time from receiving a request to the end of its answer, by method and route pattern.',
      labelNames: ['method', 'route'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.#clicks = new Counter({
      name: 'waypost_clicks_total',
      help: 'Clicks recorded, by source (redirect, direct) and outcome (accepted, rejected).',
      labelNames: ['source', 'outcome'],
      registers,
    });
    this.#conversions = new Counter({
      name: 'waypost_conversions_total',
      help: 'Conversion reports answered, by channel and outcome (accepted, rejected, duplicate, rebill, updated).',
      labelNames: ['channel', 'outcome'],
      registers,
    });
    this.#rejections = new Counter({
      name: 'waypost_postback_rejections_total',
      help: 'Postback, pixel and browser conversion reports refused with an error, by channel and error code.',
      labelNames: ['channel', 'reason'],
      registers,
    });
    this.#deliveries = new Counter({
      name: 'waypost_outbox_attempts_total',
      help: 'Tries of outbound postbacks and e-mails, by kind and outcome (delivered; retry: failed, tried again later; failed: gave up).',
      labelNames: ['kind', 'outcome'],
      registers,
    });
    new Gauge({
      name: 'waypost_outbox_pending',
      help: 'Deliveries waiting to be sent, retries included, by kind; counted in the database when scraped.',
      labelNames: ['kind'],
      registers,
      async collect() {
        try {
          for (const [kind, count] of Object.entries(await store.outbox.countPending())) this.set({ kind }, count);
        } catch {
          // The rest of the scrape still answers; the failure itself is in waypost_db_errors_total.
          this.reset();
        }
      },
    });
    this.#commitSize = new Histogram({
      name: 'waypost_db_commit_batch_size',
      help: 'Transactions per commit: SQLite group-commits those queued together; on PostgreSQL each commits alone (1).',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
      registers,
    });
    this.#commitSeconds = new Histogram({
      name: 'waypost_db_commit_duration_seconds',
      help: 'Time from BEGIN to the end of COMMIT: of a group commit on SQLite, of one transaction on PostgreSQL.',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.#databaseErrors = new Counter({
      name: 'waypost_db_errors_total',
      help: 'Operations the database refused (a unique key excepted), by code: busy, an SQLite or PostgreSQL error code, or a connection error.',
      labelNames: ['code'],
      registers,
    });
    store.observe({
      committed: (transactions, seconds) => {
        this.#commitSize.observe(transactions);
        this.#commitSeconds.observe(seconds);
      },
      failed: (error) => this.#databaseErrors.inc({ code: databaseErrorCode(error) }),
    });
  }

  /** Counts every request and times it; mount it first. */
  requests(): RequestHook {
    return (req, res, next) => {
      const started = performance.now();
      res.once('finish', () => {
        const route = routeOf(req);
        this.#requests.inc({ method: req.method, route, status: res.statusCode });
        this.#requestSeconds.observe({ method: req.method, route }, (performance.now() - started) / 1000);
      });
      next();
    };
  }

  click(click: Pick<ClickRecord, 'source' | 'status'>): void {
    this.#clicks.inc({ source: click.source, outcome: click.status });
  }

  conversion(channel: ConversionRecord['source'], outcome: ConversionResult['status']): void {
    this.#conversions.inc({ channel, outcome });
  }

  /** A report refused with an error; `reason` is its error code (`invalid_token`, `unknown_click`…). */
  rejection(channel: ConversionRecord['source'], reason: string): void {
    this.#rejections.inc({ channel, reason });
  }

  delivery(kind: DeliveryKind, outcome: DeliveryAttempt['outcome']): void {
    this.#deliveries.inc({ kind, outcome });
  }

  /** The Prometheus text exposition of every metric. */
  scrape(): Promise<string> {
    return this.registry.metrics();
  }
}

/**
 * `GET /metrics` for a scraper that sends `Authorization: Bearer TOKEN`; anyone else gets a 401. The tokens are
 * compared as SHA-256 digests, of one length, so that the time taken tells nothing about the token.
 */
export function metricsEndpoint(metrics: Metrics, token: string): RequestHandler {
  const expected = sha256(token);
  return async (req, res) => {
    const presented = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '')?.[1];
    if (presented === undefined || !timingSafeEqual(sha256(presented), expected)) {
      throw new ApiError(401, 'unauthorized', 'send the metrics token (WAYPOST_METRICS_TOKEN) as "Authorization: Bearer TOKEN"', undefined, {
        'WWW-Authenticate': 'Bearer',
      });
    }
    const text = await metrics.scrape();
    res.setHeader('Cache-Control', 'no-store');
    res.type(metrics.registry.contentType).send(text);
  };
}

/**
 * The route pattern that answered (`/c/:offerId`). Every router is mounted at the root, so the route's own path is
 * the whole pattern; a route declared for several paths is labelled with all of them.
 */
function routeOf(req: HookRequest): string {
  const path: unknown = req.route?.path;
  if (typeof path === 'string') return path;
  if (Array.isArray(path)) return path.join('|');
  return path === undefined ? UNMATCHED : String(path);
}

/** A bounded label for a database error: `busy`, the driver's code (`SQLITE_IOERR_WRITE`, `57P01`, `ECONNREFUSED`), or `unknown`. */
function databaseErrorCode(error: unknown): string {
  if (error instanceof DatabaseBusyError) return 'busy';
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && /^[A-Za-z0-9_]{1,48}$/.test(code) ? code : 'unknown';
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
