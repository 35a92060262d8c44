import type { Offer } from '@waypost/schema';
import type { AppContext } from '../context.js';
import { approvalDueAt, forfeitedPayouts, offerTimezone } from '../domain/index.js';
import { changeStatus } from './conversions.js';
import { repriceAwaitingFx } from './fx-rates.js';

const BATCH = 500;

/**
 * Time-driven work: pending conversions past their offer's `approval.holdDays` are approved, accruing payouts whose
 * threshold period has ended are forfeited (`threshold_not_met`), and conversions still waiting for an FX rate that is
 * stored by now are priced (those a rate's arrival could not price: a race, a crash, another process's rates).
 * Idempotent; the server runs it every minute.
 */
export async function runMaintenance(context: AppContext): Promise<{ approved: number; forfeited: number; repriced: number }> {
  const { store, clock, config } = context;
  const now = clock.now();
  let approved = 0;
  let forfeited = 0;
  for await (const offer of allOffers(context)) {
    const holdDays = offer.approval.holdDays;
    if (holdDays !== undefined) {
      // Created at or before now − holdDays: due (approvalDueAt counts the hold as an age).
      const before = new Date((approvalDueAt(now, -holdDays) ?? now).getTime() + 1);
      for (const pending of await store.conversions.pendingBefore(offer.id, before, BATCH)) {
        const done = await store.transaction(async (tx) => {
          const current = await tx.conversions.get(pending.id);
          if (current?.status !== 'pending') return false;
          await changeStatus(context, tx, offer, current, 'approved', null);
          return true;
        });
        if (done) approved += 1;
      }
    }
    const threshold = offer.payout.threshold;
    if (threshold && threshold.period !== 'total') {
      const accruing = await store.conversions.accruing(offer.id, BATCH);
      const due = forfeitedPayouts(threshold, accruing, now, offerTimezone(offer, config.timezone));
      for (const { id, reason } of due) {
        if (await store.conversions.update(id, { payoutState: 'forfeited', reason, updatedAt: now }, { payoutState: 'accruing' })) forfeited += 1;
      }
    }
  }
  const repriced = await repriceAwaitingFx(context);
  return { approved, forfeited, repriced };
}

async function* allOffers({ store }: AppContext): AsyncGenerator<Offer> {
  let cursor: string | undefined;
  do {
    const page = await store.offers.list({ includeArchived: true }, { limit: 500, ...(cursor ? { cursor } : {}) });
    yield* page.data;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}
