import { setImmediate as nextTurn } from 'node:timers/promises';
import { formatMoney, type Offer, type PersonalPayout } from '@waypost/schema';
import type { AppContext } from '../context.js';
import type { FxTable } from '../domain/index.js';
import type { ConversionChanges, ConversionRecord, Repositories } from '../storage/store.js';
import { repriceCampaignConversion } from './campaign-money.js';
import { loadFx, priceConversion } from './money.js';
import { bookConversion } from './rollups.js';

/** Conversions priced by one transaction: small enough that no write waits long behind it, on either database. */
export const REPRICE_BATCH = 500;

/**
 * Merges rates into the FX table (each the number of account-currency units for one unit of its currency), then
 * prices the conversions that waited for one of them. `PUT /v1/fx-rates` and the `WAYPOST_FX_URL` feed both store
 * rates through here. Returns how many conversions were priced. `inTransaction` runs in the transaction that stores
 * them (the audit entries of a change through the API).
 */
export async function storeFxRates(
  context: AppContext,
  rates: Record<string, string>,
  inTransaction?: (tx: Repositories) => Promise<void>,
): Promise<number> {
  await context.store.transaction(async (tx) => {
    await tx.fxRates.put(rates, context.clock.now());
    if (inTransaction) await inTransaction(tx);
  });
  return repriceAwaitingFx(context, Object.keys(rates));
}

/**
 * Prices the conversions that wait for the rate of one of `currencies` (by default every currency with a stored rate):
 * their money is computed by their offer's rules of now with the rates of now, and the reports move with it, as they
 * do for a status change. A batch per transaction, a turn of the event loop between batches. A conversion that
 * changed meanwhile (a status change racing this) keeps waiting and is priced by the next run: the maintenance sweep
 * runs every minute. One whose money needs yet another missing rate now waits for that one. Returns how many were
 * priced.
 */
export async function repriceAwaitingFx(context: AppContext, currencies?: readonly string[], options: { batch?: number } = {}): Promise<number> {
  const { store, config, clock } = context;
  const batch = options.batch ?? REPRICE_BATCH;
  const fx = await loadFx(context);
  const wanted = (currencies ?? Object.keys(fx.rates)).filter((currency) => Object.hasOwn(fx.rates, currency));
  // The offer and its personal payouts, read once per offer and outside the transactions.
  const rules = new Map<string, { offer: Offer; personalPayouts: PersonalPayout[] } | undefined>();
  const rulesOf = async (offerId: string) => {
    if (!rules.has(offerId)) {
      const offer = await store.offers.get(offerId);
      rules.set(offerId, offer && { offer, personalPayouts: await store.personalPayouts.allForOffer(offerId) });
    }
    return rules.get(offerId);
  };

  let priced = 0;
  let afterId: string | undefined;
  for (;;) {
    const page = await store.conversions.awaitingFx(wanted, afterId, batch);
    if (page.length === 0) break;
    afterId = page.at(-1)!.id;
    const changes: { waiting: ConversionRecord; changes: ConversionChanges }[] = [];
    for (const waiting of page) {
      const found = await rulesOf(waiting.offerId);
      const priced = found && repricing(waiting, found.offer, found.personalPayouts, fx);
      const next = priced && (await repriceCampaignConversion(store, waiting, found.offer, priced, fx));
      if (next) changes.push({ waiting, changes: { ...next, updatedAt: clock.now() } });
    }
    priced += await store.transaction(async (tx) => {
      let done = 0;
      for (const { waiting, changes: change } of changes) {
        const expected = { status: waiting.status, payoutState: waiting.payoutState, awaitingFx: waiting.awaitingFx };
        if (!(await tx.conversions.update(waiting.id, change, expected))) continue;
        await bookConversion(tx, config.timezone, waiting, -1);
        await bookConversion(tx, config.timezone, { ...waiting, ...change }, 1);
        if (change.awaitingFx === null) done += 1;
      }
      return done;
    });
    if (page.length < batch) break;
    await nextTurn();
  }
  return priced;
}

/** What pricing a waiting conversion changes, or undefined when it cannot be priced (its stored money is refused). */
function repricing(
  waiting: ConversionRecord,
  offer: Offer,
  personalPayouts: PersonalPayout[],
  fx: FxTable,
): ConversionChanges | undefined {
  const money = {
    publisherId: waiting.publisherId,
    couponCode: waiting.couponCode,
    country: waiting.country,
    amount: waiting.amount === null ? null : formatMoney(waiting.amount, waiting.currency),
    payout: waiting.reportedPayout === null ? null : formatMoney(waiting.reportedPayout, waiting.currency),
    currency: waiting.currency,
  };
  const result = priceConversion(offer, money, personalPayouts, fx);
  if (!result.ok) return undefined;
  const { reason, ...price } = result.price;
  // The offer may have changed its currency since: the money is in the currency its rules pay in now.
  return { ...price, offerCurrency: offer.currency, ...(waiting.reason === null && reason ? { reason } : {}) };
}
