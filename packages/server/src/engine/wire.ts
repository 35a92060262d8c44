import { type Click, type Conversion, type Delivery, formatMicros, formatMoney, type PostbackLogEntry } from '@waypost/schema';
import { adminDeliveryError, publisherDeliveryError } from '../outbox/delivery-error.js';
import type { ClickRecord, ConversionRecord, DeliveryRecord, PostbackLogRecord } from '../storage/store.js';

/** Stored records in their wire shape: money as decimal strings, times as ISO 8601. */
export function conversionToWire(c: ConversionRecord): Conversion {
  return {
    id: c.id,
    offerId: c.offerId,
    publisherId: c.publisherId,
    clickId: c.clickId,
    couponCode: c.couponCode,
    transactionId: c.transactionId,
    event: c.event,
    status: c.status,
    reason: c.reason,
    kind: c.kind,
    source: c.source,
    amount: c.amount === null ? null : formatMoney(c.amount, c.currency),
    currency: c.currency,
    payout: formatMoney(c.payout, c.offerCurrency),
    revenue: formatMoney(c.revenue, c.offerCurrency),
    offerCurrency: c.offerCurrency,
    fxRate: c.fxRate,
    awaitingFxRate: c.awaitingFx,
    payoutState: c.payoutState,
    country: c.country,
    sub1: c.sub1,
    sub2: c.sub2,
    sub3: c.sub3,
    sub4: c.sub4,
    sub5: c.sub5,
    note: c.note,
    paymentId: c.paymentId,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

export function clickToWire(c: ClickRecord): Click {
  const { payout: _payout, revenue: _revenue, requestedOfferId: _requested, keywords: _keywords, createdAt, cost, landerClickedAt, ...rest } = c;
  return {
    ...NO_CAMPAIGN,
    ...rest,
    cost: cost == null ? null : formatMicros(cost),
    landerClickedAt: landerClickedAt?.toISOString() ?? null,
    createdAt: createdAt.toISOString(),
  };
}

/** The campaign fields of a click that did not come through a campaign. */
const NO_CAMPAIGN = {
  campaignId: null,
  streamId: null,
  landerId: null,
  trafficSourceId: null,
  externalId: null,
  creativeId: null,
  keyword: null,
  os: null,
  browser: null,
  language: null,
  isBot: null,
  isUnique: null,
  isUniqueStream: null,
} as const;

export function postbackLogToWire(entry: PostbackLogRecord): PostbackLogEntry {
  return { ...entry, createdAt: entry.createdAt.toISOString() };
}

const iso = (value: Date | null) => value?.toISOString() ?? null;

/** A publisher key sees a failed try's short reason only, never what the destination replied (README, Security). */
export function deliveryToWire(d: DeliveryRecord, role: 'admin' | 'publisher'): Delivery {
  return {
    id: d.id,
    kind: d.message.kind,
    trigger: d.trigger,
    conversionId: d.conversionId,
    offerId: d.offerId,
    publisherId: d.publisherId,
    conversionStatus: d.conversionStatus,
    target: d.message.kind === 'postback' ? d.message.url : d.message.to.join(', '),
    subject: d.message.kind === 'email' ? d.message.subject : null,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: iso(d.nextAttemptAt),
    lastAttemptAt: iso(d.lastAttemptAt),
    lastResponseStatus: d.lastResponseStatus,
    lastError: d.lastError === null ? null : role === 'admin' ? adminDeliveryError(d.lastError) : publisherDeliveryError(d.lastError),
    deliveredAt: iso(d.deliveredAt),
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
  };
}
