import type { RollupMetric } from '../storage/index.js';
import type { ClickRecord, ConversionRecord, Repositories } from '../storage/store.js';
import { localDate } from '../domain/index.js';

type Dimensions = Pick<ConversionRecord, 'offerId' | 'publisherId' | 'country' | 'sub1' | 'sub2' | 'sub3' | 'sub4' | 'sub5'> & {
  couponCode?: string | null;
};

/** Adds one event's metrics to both rollups, on the account-timezone day of `at`. */
export async function addToRollups(
  tx: Pick<Repositories, 'rollups'>,
  accountTimezone: string,
  at: Date,
  dimensions: Dimensions,
  metrics: Partial<Record<RollupMetric, number>>,
): Promise<void> {
  await tx.rollups.add({
    day: localDate(at, accountTimezone),
    at,
    offerId: dimensions.offerId,
    publisherId: dimensions.publisherId,
    country: dimensions.country,
    sub1: dimensions.sub1,
    sub2: dimensions.sub2,
    sub3: dimensions.sub3,
    sub4: dimensions.sub4,
    sub5: dimensions.sub5,
    couponCode: dimensions.couponCode ?? null,
    metrics,
  });
}

/** A conversion's contribution to the rollups; `sign` -1 takes it back (before a status change). */
export function conversionMetrics(conversion: ConversionRecord, sign: 1 | -1): Partial<Record<RollupMetric, number>> {
  const { status } = conversion;
  return {
    ...(conversion.kind === 'rebill' ? { rebills: sign } : { [status]: sign }),
    [`payout_${status}`]: sign * conversion.payoutAccount,
    [`revenue_${status}`]: sign * conversion.revenueAccount,
  };
}

export function clickMetrics(click: ClickRecord, payoutAccount: number, revenueAccount: number): Partial<Record<RollupMetric, number>> {
  return { clicks: 1, click_payout: payoutAccount, click_revenue: revenueAccount };
}
