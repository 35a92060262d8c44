import { setImmediate as nextTurn } from 'node:timers/promises';
import type { AppContext } from '../context.js';

const DAY_MS = 86_400_000;
/** Rows deleted by one statement: small enough that no write waits long behind it, on either database. */
export const PRUNE_BATCH = 500;

export interface PruneResult {
  postbackLog: number;
  deliveries: number;
  campaignVisitors: number;
}

/**
 * How long a campaign remembers a visitor: the longest uniqueness window a campaign may set (8,760 hours), after which
 * no visit can count as a repeat any more.
 */
export const CAMPAIGN_VISITOR_DAYS = 365;

/**
 * Deletes postback-log entries and finished deliveries older than `logRetentionDays` (README, Security), a batch per
 * statement with a turn of the event loop between batches, so that requests keep getting the write lock while a
 * large backlog is deleted. Pending deliveries are never deleted. Campaign visitors not seen for
 * {@link CAMPAIGN_VISITOR_DAYS} go too. `stopped` ends the run between two batches.
 */
export async function pruneLogs(
  { store, config, clock }: AppContext,
  options: { batch?: number; stopped?: () => boolean } = {},
): Promise<PruneResult> {
  const batch = options.batch ?? PRUNE_BATCH;
  const before = new Date(clock.now().getTime() - config.logRetentionDays * DAY_MS);
  const drain = async (deleteBatch: (before: Date, limit: number) => Promise<number>, cutoff = before) => {
    let total = 0;
    while (!options.stopped?.()) {
      const deleted = await deleteBatch(cutoff, batch);
      total += deleted;
      if (deleted < batch) break;
      await nextTurn();
    }
    return total;
  };
  const postbackLog = await drain((at, limit) => store.postbackLog.deleteBefore(at, limit));
  const deliveries = await drain((at, limit) => store.outbox.deleteFinishedBefore(at, limit));
  const campaignVisitors = await drain(
    (at, limit) => store.campaignVisits.pruneVisitors(at, limit),
    new Date(clock.now().getTime() - CAMPAIGN_VISITOR_DAYS * DAY_MS),
  );
  return { postbackLog, deliveries, campaignVisitors };
}

export interface LogRetention {
  /** Cancels the schedule and waits for a prune in progress to stop after its current batch. */
  stop(): Promise<void>;
}

/**
 * Runs {@link pruneLogs} `firstAfterMs` after start and then every `everyMs`, one run at a time. Failures are
 * reported and the next run tries again; the timers do not keep the process alive.
 */
export function scheduleLogRetention(
  context: AppContext,
  { firstAfterMs = 30_000, everyMs = 3_600_000, onError = (error: unknown) => console.error('log retention failed:', error) } = {},
): LogRetention {
  let stopped = false;
  let running: Promise<void> | undefined;
  const run = () => {
    if (running || stopped) return;
    running = pruneLogs(context, { stopped: () => stopped })
      .then(() => undefined, onError)
      .finally(() => (running = undefined));
  };
  const first = setTimeout(run, firstAfterMs);
  const every = setInterval(run, everyMs);
  first.unref();
  every.unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(every);
      await running;
    },
  };
}
