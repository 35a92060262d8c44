import { type DeliveryTrigger, formatMoney, type Offer } from '@waypost/schema';
import type { AppContext } from '../context.js';
import { conversionCost, microsInAccount } from '../domain/campaign-money.js';
import type { FxTable } from '../domain/index.js';
import { newId } from '../ids.js';
import { conversionMacroValues } from '../outbox/enqueue.js';
import type { CampaignConversionFields } from '../storage/sql-campaign-reports.js';
import type { ClickRecord, ConversionChanges, ConversionRecord, DeliveryRecord, Repositories, Store } from '../storage/store.js';
import { expandUrl } from '../tracking/index.js';
import { type ConversionPrice, loadFx, toAccount } from './money.js';
import { addToRollups, clickMetrics } from './rollups.js';

/**
 * Money on a campaign's own traffic (README, Campaigns: costs, money on traffic without a publisher): conversion-time
 * costs, revenue where no publisher is owed a payout, and the traffic source's postback.
 */

/** Whether a click is a media buyer's own traffic: a campaign visit, which no publisher brought. */
export function isOwnTraffic(click: Pick<ClickRecord, 'source' | 'publisherId'> | undefined): boolean {
  return click?.source === 'campaign' && click.publisherId === null;
}

/**
 * The money of a conversion on traffic without a publisher: nobody is owed a payout, and what the network pays the
 * buyer is income, so the revenue is the offer's revenue rule or, without one, what its payout rule gives.
 */
export function ownTrafficPrice(offer: Pick<Offer, 'revenue'>, price: ConversionPrice): ConversionPrice {
  const fromPayout = !offer.revenue;
  return {
    ...price,
    revenue: fromPayout ? price.payout : price.revenue,
    revenueAccount: fromPayout ? price.payoutAccount : price.revenueAccount,
    payout: 0,
    payoutAccount: 0,
  };
}

/**
 * The campaign side of a conversion of `click`, copied so that reports book the conversion under its click's campaign
 * keys, and what it costs as a conversion and as a rebill under the campaign's `cpa` or `revshare` model, in millionths
 * of the account currency. The campaign's model at conversion time applies.
 */
export async function campaignConversionFields(
  store: Pick<Store, 'campaigns'>,
  click: ClickRecord,
  money: Pick<ConversionRecord, 'revenue' | 'offerCurrency'>,
  fx: FxTable,
): Promise<{ fields: CampaignConversionFields; rebillCost: number }> {
  const campaign = click.campaignId ? await store.campaigns.get(click.campaignId) : undefined;
  const costOf = (kind: 'conversion' | 'rebill') =>
    campaign ? conversionCost({ ...campaign.cost, currency: campaign.currency }, { kind, revenue: money.revenue, offerCurrency: money.offerCurrency }, fx) : 0;
  return {
    fields: {
      campaignId: click.campaignId ?? null,
      streamId: click.streamId ?? null,
      landerId: click.landerId ?? null,
      trafficSourceId: click.trafficSourceId ?? null,
      keyword: click.keyword ?? null,
      os: click.os ?? null,
      browser: click.browser ?? null,
      costAccount: costOf('conversion'),
    },
    rebillCost: costOf('rebill'),
  };
}

/** A visit's cost (millionths of the campaign currency) in millionths of the account currency. */
export async function visitCostInAccount(context: Pick<AppContext, 'store' | 'config'>, click: ClickRecord, loadFx: () => Promise<FxTable>): Promise<number> {
  if (!click.cost || !click.campaignId) return 0;
  const campaign = await context.store.campaigns.get(click.campaignId);
  const currency = campaign?.currency ?? context.config.currency;
  return currency === context.config.currency ? click.cost : microsInAccount(click.cost, currency, await loadFx());
}

/**
 * Books the first follow of a lander's click URL in the rollups, on the visit's own time and keys. When the click URL
 * changed the click's offer (offer slot N), the visit moves to that offer with its counts, its CPC revenue and its cost
 * (`money`, in the account currency at today's rates), so that a report by offer shows the visit where its conversions
 * will be.
 */
export async function bookLanderClick(
  tx: Pick<Repositories, 'rollups'>,
  accountTimezone: string,
  before: ClickRecord,
  after: ClickRecord,
  first: boolean,
  money: { revenueAccount: number; costAccount: number },
): Promise<void> {
  const moved = before.offerId !== after.offerId;
  if (!first && !moved) return;
  const dimensions = { ...before, couponCode: null };
  if (!moved) return addToRollups(tx, accountTimezone, before.createdAt, dimensions, { lander_clicks: 1 });
  const metrics = clickMetrics(before, 0, money.revenueAccount, money.costAccount);
  const negative = Object.fromEntries(Object.entries(metrics).map(([metric, value]) => [metric, -(value ?? 0)]));
  if (before.landerClickedAt) negative.lander_clicks = -1;
  await addToRollups(tx, accountTimezone, before.createdAt, dimensions, negative);
  await addToRollups(tx, accountTimezone, before.createdAt, { ...dimensions, offerId: after.offerId }, { ...metrics, ...(after.landerClickedAt ? { lander_clicks: 1 } : {}) });
}

/**
 * The traffic source's postback (README, Campaigns: traffic sources) for an accepted conversion or a status change of
 * one of its clicks, written to the outbox in the caller's transaction like a publisher postback. `{payout}` and
 * `{revenue}` both expand to the conversion's revenue, which is what the source optimises on.
 */
export async function enqueueSourcePostback(
  { clock }: Pick<AppContext, 'clock'>,
  tx: Repositories,
  offer: Offer,
  conversion: ConversionRecord,
  trigger: DeliveryTrigger,
): Promise<void> {
  if (!conversion.trafficSourceId) return;
  const source = await tx.trafficSources.get(conversion.trafficSourceId);
  if (!source?.postbackUrl) return;
  const click = conversion.clickId ? await tx.clicks.get(conversion.clickId) : undefined;
  const revenue = formatMoney(conversion.revenue, conversion.offerCurrency);
  const values = {
    ...conversionMacroValues(offer, conversion, click),
    payout: revenue,
    revenue,
    external_id: click?.externalId,
    campaign_id: conversion.campaignId,
  };
  const url = expandUrl(source.postbackUrl, values);
  const now = clock.now();
  const delivery: DeliveryRecord = {
    id: newId('dlv_', now),
    trigger,
    conversionId: conversion.id,
    offerId: conversion.offerId,
    // Not a publisher's: a publisher key never sees it in the delivery log.
    publisherId: null,
    conversionStatus: conversion.status,
    // Sent as fetch will request it, as a publisher postback is; one that is no http(s) URL is logged as failed.
    message: { kind: 'postback', url: url ? new URL(url).href : source.postbackUrl, trafficSourceId: source.id },
    status: url ? 'pending' : 'failed',
    attempts: 0,
    nextAttemptAt: url ? now : null,
    lastAttemptAt: null,
    lastResponseStatus: null,
    lastError: url ? null : "the traffic source's postback URL is not an http(s) URL once its macros are expanded",
    deliveredAt: null,
    createdAt: now,
    updatedAt: now,
  };
  await tx.outbox.enqueue([delivery]);
}

/**
 * Records a follow of the lander's click URL (README, Campaigns: the click URL) with its rollups, in one transaction:
 * the click's offer becomes `offerId`, and the first follow is a lander click. Returns whether it was the first.
 */
export async function recordLanderClick(context: Pick<AppContext, 'store' | 'config'>, click: ClickRecord, offerId: string, at: Date): Promise<boolean> {
  const { store, config } = context;
  return store.transaction(async (tx) => {
    // Two follows of one click at once (PostgreSQL runs them side by side) both read it before either writes: only the
    // one whose compare-and-set matches what it read books the move, and the other reads the click again and books
    // what is left to do from there, so that the visit moves once and its lander click counts once.
    let before: ClickRecord | undefined;
    for (let attempt = 0; ; attempt++) {
      before = await tx.clicks.get(click.id);
      if (!before || (before.landerClickedAt && before.offerId === offerId)) return false;
      if (await tx.campaignVisits.landerClicked(click.id, before, offerId, at)) break;
      // Each failed compare-and-set means another follow committed a change, so this is only reached by a storm of them.
      if (attempt === 5) throw new Error(`click ${click.id}: its lander click kept changing under this one`);
    }
    const first = !before.landerClickedAt;
    const after: ClickRecord = { ...before, offerId, landerClickedAt: before.landerClickedAt ?? at };
    let fx: FxTable | undefined;
    const rates = async () => (fx ??= await loadFx(context));
    const drawn = before.revenue ? await store.offers.get(before.offerId) : undefined;
    const revenueAccount = drawn ? toAccount(before.revenue, drawn.currency, await rates()) : 0;
    const costAccount = await visitCostInAccount(context, before, rates);
    await bookLanderClick(tx, config.timezone, before, after, first, { revenueAccount, costAccount });
    return first;
  });
}

/**
 * A campaign conversion priced anew when the FX rate it waited for arrives: on the buyer's own traffic its payout is
 * revenue as at the start (README, Campaigns: money on the buyer's own traffic), and its cpa or revshare cost follows
 * the new revenue.
 */
export async function repriceCampaignConversion(
  store: Pick<Store, 'campaigns'>,
  conversion: ConversionRecord,
  offer: Pick<Offer, 'revenue'>,
  changes: ConversionChanges,
  fx: FxTable,
): Promise<ConversionChanges> {
  if (!conversion.campaignId) return changes;
  const payout = changes.payout ?? conversion.payout;
  const payoutAccount = changes.payoutAccount ?? conversion.payoutAccount;
  const own = conversion.publisherId === null;
  const money: ConversionChanges = own
    ? { ...changes, payout: 0, payoutAccount: 0, ...(offer.revenue ? {} : { revenue: payout, revenueAccount: payoutAccount }) }
    : changes;
  const campaign = await store.campaigns.get(conversion.campaignId);
  if (!campaign) return money;
  const revenue = { kind: conversion.kind, revenue: money.revenue ?? conversion.revenue, offerCurrency: money.offerCurrency ?? conversion.offerCurrency };
  return { ...money, costAccount: conversionCost({ ...campaign.cost, currency: campaign.currency }, revenue, fx) };
}
