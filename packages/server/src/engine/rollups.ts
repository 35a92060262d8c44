import type { RollupMetric } from '../storage/index.js';
import type { ClickRecord, ConversionRecord, Repositories } from '../storage/store.js';
import { localDate } from '../domain/index.js';

type Dimensions = Pick<ConversionRecord, 'offerId' | 'publisherId' | 'country' | 'sub1' | 'sub2' | 'sub3' | 'sub4' | 'sub5'> & {
  couponCode?: string | null;
  device?: string | null;
} & Partial<Pick<ConversionRecord, 'campaignId' | 'streamId' | 'landerId' | 'trafficSourceId' | 'keyword' | 'os' | 'browser'>>;

/**
 * Adds one event's metrics to both rollups, on the account-timezone day of `at`. `byClick` books conversion metrics
 * on their click's time instead (`at` is then the click's), for reports by click date.
 */
export async function addToRollups(
  tx: Pick<Repositories, 'rollups'>,
  accountTimezone: string,
  at: Date,
  dimensions: Dimensions,
  metrics: Partial<Record<RollupMetric, number>>,
  { byClick = false }: { byClick?: boolean } = {},
): Promise<void> {
  await tx.rollups.add({
    day: localDate(at, accountTimezone),
    at,
    offerId: dimensions.offerId,
    publisherId: dimensions.publisherId,
    country: dimensions.country,
    device: dimensions.device ?? null,
    sub1: dimensions.sub1,
    sub2: dimensions.sub2,
    sub3: dimensions.sub3,
    sub4: dimensions.sub4,
    sub5: dimensions.sub5,
    couponCode: dimensions.couponCode ?? null,
    campaignId: dimensions.campaignId ?? null,
    streamId: dimensions.streamId ?? null,
    landerId: dimensions.landerId ?? null,
    trafficSourceId: dimensions.trafficSourceId ?? null,
    keyword: dimensions.keyword ?? null,
    os: dimensions.os ?? null,
    browser: dimensions.browser ?? null,
    byClick,
    metrics,
  });
}

/**
 * Books a conversion in the rollups (`sign` -1 takes it back, before a change): on its own time, and once more on its
 * click's (its own without a click), so that a report by click date is a rollup read too.
 */
export async function bookConversion(tx: Pick<Repositories, 'rollups'>, accountTimezone: string, conversion: ConversionRecord, sign: 1 | -1): Promise<void> {
  const metrics = conversionMetrics(conversion, sign);
  await addToRollups(tx, accountTimezone, conversion.createdAt, conversion, metrics);
  await addToRollups(tx, accountTimezone, conversion.clickAt ?? conversion.createdAt, conversion, metrics, { byClick: true });
}

/** A conversion's contribution to the rollups; `sign` -1 takes it back (before a status change). */
export function conversionMetrics(conversion: ConversionRecord, sign: 1 | -1): Partial<Record<RollupMetric, number>> {
  const { status } = conversion;
  const counts =
    conversion.kind === 'rebill'
      ? { rebills: sign }
      : { [status]: sign, ...(conversion.clickId === null ? { [`clickless_${status}`]: sign } : {}) };
  return {
    ...counts,
    [`payout_${status}`]: sign * conversion.payoutAccount,
    [`revenue_${status}`]: sign * conversion.revenueAccount,
    [`sales_${status}`]: sign * conversion.amountAccount,
    // A campaign's cpa and revshare costs count while the conversion is approved (README, Campaigns: costs).
    ...(status === 'approved' && conversion.costAccount ? { conversion_cost: sign * conversion.costAccount } : {}),
  };
}

/**
 * A click's contribution to the rollups: its CPC payout and revenue in minor units, and its cost in millionths, of the
 * account currency.
 */
export function clickMetrics(click: ClickRecord, payoutAccount: number, revenueAccount: number, costAccount = 0): Partial<Record<RollupMetric, number>> {
  return {
    clicks: 1,
    click_payout: payoutAccount,
    click_revenue: revenueAccount,
    ...(click.isUnique ? { unique_visits: 1 } : {}),
    ...(click.device === 'bot' ? { bots: 1 } : {}),
    ...(costAccount ? { click_cost: costAccount } : {}),
  };
}

/** A campaign click's traffic metrics, to move them with the click when the lander's click URL changes its offer. */
export function trafficMetrics(click: ClickRecord, sign: 1 | -1): Partial<Record<RollupMetric, number>> {
  return {
    clicks: sign,
    click_payout: sign * click.payout,
    click_revenue: sign * click.revenue,
    ...(click.isUnique ? { unique_visits: sign } : {}),
    ...(click.device === 'bot' ? { bots: sign } : {}),
    ...(click.landerClickedAt ? { lander_clicks: sign } : {}),
  };
}
