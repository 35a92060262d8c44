import { setImmediate as nextTurn } from 'node:timers/promises';
import type { AppContext } from '../context.js';

const DAY_MS = 86_400_000;
/** Rows deleted by one statement: small enough that no write waits long behind it, on either database. */
export const PRUNE_BATCH = 500;

export interface PruneResult {
  postbackLog: number;
  deliveries: number;
}

/**
 * Deletes postback-log entries and finished deliveries older than `logRetentionDays` (README, Security), a batch per
 * statement with a turn of the event loop between batches, so that requests keep getting the write lock while a
 * large backlog is deleted. Pending deliveries are never deleted. `stopped` ends the run between two batches.
 */
export async function pruneLogs(
  { store, config, clock }: AppContext,
  options: { batch?: number; stopped?: () => boolean } = {},
): Promise<PruneResult> {
  const batch = options.batch ?? PRUNE_BATCH;
  const before = new Date(clock.now().getTime() - config.logRetentionDays * DAY_MS);
  const drain = async (deleteBatch: (before: Date, limit: number) => Promise<number>) => {
    let total = 0;
    while (!options.stopped?.()) {
      const deleted = await deleteBatch(before, batch);
      total += deleted;
      if (deleted < batch) break;
      await nextTurn();
    }
    return total;
  };
  const postbackLog = await drain((at, limit) => store.postbackLog.deleteBefore(at, limit));
  const deliveries = await drain((at, limit) => store.outbox.deleteFinishedBefore(at, limit));
  return { postbackLog, deliveries };
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
