import { UrlSchema } from '@waypost/schema';
import { z } from 'zod';
import { clickIdFrom, type ClickIdRequest } from './click-id.js';
import { HttpClient, validate } from './internal/http.js';
import { Audit } from './resources/audit.js';
import { Campaigns } from './resources/campaigns.js';
import { Clicks } from './resources/clicks.js';
import { Conversions } from './resources/conversions.js';
import { KeywordSets } from './resources/keyword-sets.js';
import { Landers } from './resources/landers.js';
import { Offers } from './resources/offers.js';
import { Payments } from './resources/payments.js';
import { PromoCodes } from './resources/promo-codes.js';
import { Publishers } from './resources/publishers.js';
import { Reports } from './resources/reports.js';
import { TrafficSources } from './resources/traffic-sources.js';
import { Transactions } from './resources/transactions.js';
import { Users } from './resources/users.js';
import { Workspaces } from './resources/workspaces.js';

export interface WaypostOptions {
  /**
   * An admin key (`wp_sk_…`) for back-office and checkout code, or a publisher key (`wp_pk_…`), which sees only
   * its own publisher's data. Sent as `Authorization: Bearer …`; keep it on the server.
   */
  apiKey: string;
  /** Your Waypost server, such as `https://track.example.com`. Paths such as `/v1/offers` are appended to it. */
  baseUrl: string;
  /**
   * Milliseconds to wait for each attempt before giving up on it with a `WaypostConnectionError` (`timeout`).
   * A timed-out attempt is retried like any connection error.
   * @default 30_000
   */
  timeout?: number;
  /**
   * How many times to retry a request that failed on the network, timed out, or got a 429 or 5xx answer. Retries
   * wait with exponential backoff and jitter, or for the server's `Retry-After`, and reuse the `Idempotency-Key`.
   * `0` turns retries off.
   * @default 2
   */
  maxRetries?: number;
  /**
   * The `fetch` implementation to send requests with, for instance to add a proxy or to record requests.
   * @default globalThis.fetch
   */
  fetch?: typeof fetch;
}

/** Per-call options, accepted as the last argument of every method. */
export interface RequestOptions {
  /**
   * The `Idempotency-Key` of a POST. Pass a key derived from your own record (such as `order-${order.id}`) so
   * that a call repeated by your code, not only by the SDK's retries, is recorded once.
   * @default a random UUID, chosen once per call and reused by each of its retries
   */
  idempotencyKey?: string;
  /** Overrides `WaypostOptions.timeout` for this call. */
  timeout?: number;
  /** Overrides `WaypostOptions.maxRetries` for this call. */
  maxRetries?: number;
  /** Aborts the call, including any wait between retries, with a `WaypostConnectionError` (`aborted`). */
  signal?: AbortSignal;
}

const WaypostOptionsSchema = z.object({
  apiKey: z.string().trim().min(1, 'is required, such as "wp_sk_…"'),
  baseUrl: UrlSchema,
  timeout: z.number().int().min(1).max(2_147_483_647).default(30_000),
  maxRetries: z.number().int().min(0).max(10).default(2),
  fetch: z.custom<typeof fetch>((value) => typeof value === 'function', 'must be a fetch function').optional(),
});

/**
 * The Waypost API client.
 *
 * ```ts
 * const waypost = new Waypost({ apiKey: process.env.WAYPOST_API_KEY!, baseUrl: 'https://track.example.com' });
 * await waypost.conversions.create({ clickId, amount: '49.90', currency: 'EUR', transactionId: order.id });
 * ```
 */
export class Waypost {
  readonly offers: Offers;
  readonly publishers: Publishers;
  readonly conversions: Conversions;
  readonly transactions: Transactions;
  readonly promoCodes: PromoCodes;
  readonly payments: Payments;
  readonly reports: Reports;
  readonly clicks: Clicks;
  readonly trafficSources: TrafficSources;
  readonly landers: Landers;
  readonly campaigns: Campaigns;
  readonly keywordSets: KeywordSets;
  readonly workspaces: Workspaces;
  readonly audit: Audit;
  readonly users: Users;

  /** Throws a `WaypostValidationError` naming the option when one is missing or malformed. */
  constructor(options: WaypostOptions) {
    const { apiKey, baseUrl, timeout, maxRetries, fetch } = validate(WaypostOptionsSchema, options);
    const http = new HttpClient({ apiKey, baseUrl: baseUrl.replace(/\/+$/, ''), timeout, maxRetries, fetch });
    this.offers = new Offers(http);
    this.publishers = new Publishers(http);
    this.conversions = new Conversions(http);
    this.transactions = new Transactions(http);
    this.promoCodes = new PromoCodes(http);
    this.payments = new Payments(http);
    this.reports = new Reports(http);
    this.clicks = new Clicks(http);
    this.trafficSources = new TrafficSources(http);
    this.landers = new Landers(http);
    this.campaigns = new Campaigns(http);
    this.keywordSets = new KeywordSets(http);
    this.workspaces = new Workspaces(http);
    this.audit = new Audit(http);
    this.users = new Users(http);
  }

  /**
   * The click id of an incoming request: the `waypost_cid` cookie, else the `click_id` query parameter.
   * Accepts an Express request, a `node:http` `IncomingMessage` or a Fetch `Request`. Returns `undefined` when
   * neither holds a valid click id (unfilled placeholders such as `{click_id}` are not).
   */
  static clickIdFrom(req: ClickIdRequest): string | undefined {
    return clickIdFrom(req);
  }
}
