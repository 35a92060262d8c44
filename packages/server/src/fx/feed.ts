import { describeIssues, PutFxRatesParamsSchema, toErrorIssues } from '@waypost/schema';
import type { AppContext } from '../context.js';
import { storeFxRates } from '../engine/fx-rates.js';
import { outboundGet, type Resolver } from '../outbox/outbound.js';
import { FxFeedError, parseEcbRates, ratesInAccountCurrency } from './ecb.js';

/** How often the feed is read after a read that worked: the ECB publishes once a working day, around 16:00 CET. */
export const FX_FEED_EVERY_MS = 6 * 3_600_000;
/** How soon a failed read is tried again. */
export const FX_FEED_RETRY_MS = 10 * 60_000;
/** Time limit of one read. */
export const FX_FEED_TIMEOUT_MS = 30_000;

export interface FxFeedRead {
  /** The day the rates are for, as the feed says. */
  time: string;
  /** The rates stored. */
  rates: number;
  /** Conversions that waited for one of them, priced now. */
  priced: number;
}

/**
 * Reads the feed at `WAYPOST_FX_URL` once and stores its rates as `PUT /v1/fx-rates` does, pricing the conversions
 * that waited for them. The request goes through the outbound-request policy: no loopback or private destination
 * unless `WAYPOST_ALLOW_PRIVATE_DESTINATIONS`, no redirect followed, at most 64 KB read. A feed that cannot be read
 * changes nothing: the error says why.
 */
export async function readFxFeed(context: AppContext, options: { signal?: AbortSignal; resolve?: Resolver } = {}): Promise<FxFeedRead> {
  const { config } = context;
  if (!config.fxUrl) throw new FxFeedError('WAYPOST_FX_URL is not set');
  const timeout = AbortSignal.timeout(FX_FEED_TIMEOUT_MS);
  const reply = await outboundGet(config.fxUrl, {
    allowPrivate: config.allowPrivateDestinations,
    headers: { accept: 'application/xml, text/xml' },
    signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout,
    ...(options.resolve ? { resolve: options.resolve } : {}),
  });
  if (reply.status !== 200) throw new FxFeedError(`the feed answered ${reply.status}`);
  if (reply.truncated) throw new FxFeedError('the feed is longer than 64 KB; point WAYPOST_FX_URL at a daily file such as eurofxref-daily.xml');
  const feed = parseEcbRates(reply.body.toString('utf8'));
  const checked = PutFxRatesParamsSchema.safeParse({ rates: ratesInAccountCurrency(feed, config.currency) });
  if (!checked.success) throw new FxFeedError(`the feed's rates are refused: ${describeIssues(toErrorIssues(checked.error))}`);
  const priced = await storeFxRates(context, checked.data.rates);
  return { time: feed.time, rates: Object.keys(checked.data.rates).length, priced };
}

export interface FxFeedSchedule {
  /** Cancels the schedule and ends a read in progress. */
  stop(): Promise<void>;
}

/**
 * Reads the feed at start, then every `everyMs` after a read that worked and `retryMs` after one that failed, one read
 * at a time. Each outcome is one line: `log` for the rates stored, `onError` for why a read failed. The timers do not
 * keep the process alive.
 */
export function scheduleFxFeed(
  context: AppContext,
  {
    everyMs = FX_FEED_EVERY_MS,
    retryMs = FX_FEED_RETRY_MS,
    log = (line: string) => console.log(line),
    onError = (line: string) => console.error(line),
  }: { everyMs?: number; retryMs?: number; log?: (line: string) => void; onError?: (line: string) => void } = {},
): FxFeedSchedule {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const run = () => {
    running = readFxFeed(context, { signal: abort.signal })
      .then(
        ({ time, rates, priced }) => {
          log(`FX rates of ${time} stored from WAYPOST_FX_URL: ${rates} currencies${priced ? `; ${priced} waiting conversions priced` : ''}`);
          return everyMs;
        },
        (error: unknown) => {
          if (!abort.signal.aborted) {
            const cause = error instanceof Error ? error.message : String(error);
            onError(`FX rates from WAYPOST_FX_URL not read: ${cause}; trying again in ${retryMs >= 60_000 ? `${Math.round(retryMs / 60_000)} min` : `${Math.round(retryMs / 1000)} s`}`);
          }
          return retryMs;
        },
      )
      .then((wait) => {
        running = undefined;
        if (abort.signal.aborted) return;
        timer = setTimeout(run, wait);
        timer.unref();
      });
  };
  run();
  return {
    async stop() {
      abort.abort();
      clearTimeout(timer);
      await running;
    },
  };
}
