import { type DeliveryTrigger, formatMoney, type Offer } from '@waypost/schema';
import type { AppContext } from '../context.js';
import { clickMacroValues } from '../engine/clicks.js';
import { newId } from '../ids.js';
import type { ClickRecord, ConversionRecord, DeliveryMessage, DeliveryRecord, Repositories } from '../storage/store.js';
import { expandMacros, expandUrl, type MacroValues } from '../tracking/index.js';

/** The body of a conversion e-mail whose offer sets no template. */
export const DEFAULT_EMAIL_TEMPLATE = `Conversion on offer {offer_id}

Status: {status}
Publisher: {publisher_id}
Click: {click_id}
Transaction: {transaction_id}
Event: {event}
Amount: {amount} {currency}
Payout: {payout}
Coupon: {coupon}
Country: {country_code}
`;

/** Channels that anyone can fire: their e-mails say so first, since what they report is the sender's word. */
const UNVERIFIED_SOURCES: ReadonlySet<ConversionRecord['source']> = new Set(['pixel', 'browser']);
export const UNVERIFIED_NOTE =
  'Reported by a browser or pixel without the offer\'s token: anyone can send such a report, so its values are unverified and it waits as pending for your decision unless the offer says otherwise.';

const MAX_EMAIL_VALUE = 200;

/** A value on one line, without control characters, cut to a length a notification needs. */
function oneLine(value: string): string {
  return value.replace(/[\p{Cc}\p{Cf}\u2028\u2029]+/gu, ' ').replace(/\s+/g, ' ').trim().slice(0, MAX_EMAIL_VALUE);
}

/** Why an e-mail is waiting when no SMTP server is configured; shown in the delivery log until one sends it. */
export const SMTP_MISSING = 'waiting for WAYPOST_SMTP_URL: no SMTP server is configured on the server that recorded it';

/**
 * The macros of a conversion (README, The offer URL's macros): the click's, plus the conversion's own. `{amount}` and
 * `{currency}` are the sale as reported; `{payout}` is in the offer's currency; `{timestamp}` is the time of the event
 * notified (the conversion, or its status change) in Unix seconds.
 */
export function conversionMacroValues(offer: Offer, conversion: ConversionRecord, click: ClickRecord | undefined): MacroValues {
  return {
    ...clickMacroValues(offer, conversion, click, conversion.updatedAt),
    transaction_id: conversion.transactionId,
    amount: conversion.amount === null ? null : formatMoney(conversion.amount, conversion.currency),
    payout: formatMoney(conversion.payout, conversion.offerCurrency),
    currency: conversion.currency,
    status: conversion.status,
    event: conversion.event,
    coupon: conversion.couponCode,
  };
}

/**
 * The side effects of an accepted conversion or of a status change (README, Publisher postbacks and e-mails), written
 * to the outbox inside the caller's transaction: a postback to the publisher's `postbackUrl` when it has one, and the
 * offer's e-mail when it is enabled. The dispatcher sends them once the transaction has committed.
 */
export async function enqueueSideEffects(
  { config, clock }: Pick<AppContext, 'config' | 'clock'>,
  tx: Repositories,
  offer: Offer,
  conversion: ConversionRecord,
  trigger: DeliveryTrigger,
): Promise<void> {
  const publisher = conversion.publisherId ? await tx.publishers.get(conversion.publisherId) : undefined;
  const email = offer.email?.enabled && offer.email.to.length > 0 ? offer.email : null;
  if (!publisher?.postbackUrl && !email) return;

  const click = conversion.clickId ? await tx.clicks.get(conversion.clickId) : undefined;
  const values = conversionMacroValues(offer, conversion, click);
  const now = clock.now();
  const delivery = (message: DeliveryMessage, problem: string | null): DeliveryRecord => ({
    id: newId('dlv_', now),
    trigger,
    conversionId: conversion.id,
    offerId: conversion.offerId,
    publisherId: conversion.publisherId,
    conversionStatus: conversion.status,
    message,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: now,
    lastAttemptAt: null,
    lastResponseStatus: null,
    lastError: problem,
    deliveredAt: null,
    createdAt: now,
    updatedAt: now,
  });

  const deliveries: DeliveryRecord[] = [];
  if (publisher?.postbackUrl) {
    const url = expandUrl(publisher.postbackUrl, values);
    // Sign and send the URL as fetch will request it, so that the receiver sees the very string that was signed.
    if (url) deliveries.push(delivery({ kind: 'postback', url: new URL(url).href }, null));
    else {
      // Recorded as failed rather than dropped, so that the delivery log shows why the tracker heard nothing.
      const failed = delivery({ kind: 'postback', url: publisher.postbackUrl }, 'the postback URL is not an http(s) URL once its macros are expanded');
      deliveries.push({ ...failed, status: 'failed', nextAttemptAt: null });
    }
  }
  if (email) {
    // Values reach the e-mail as one short line each, so a reported value cannot lay out a message of its own.
    const lines = Object.fromEntries(Object.entries(values).map(([name, value]) => [name, typeof value === 'string' ? oneLine(value) : value]));
    const subject = oneLine(expandMacros(email.subject, lines, { encode: false }));
    const body = expandMacros(email.template || DEFAULT_EMAIL_TEMPLATE, lines, { encode: false });
    const text = UNVERIFIED_SOURCES.has(conversion.source) ? `${UNVERIFIED_NOTE}\n\n${body}` : body;
    deliveries.push(delivery({ kind: 'email', to: email.to, subject, text }, config.smtpUrl ? null : SMTP_MISSING));
  }
  await tx.outbox.enqueue(deliveries);
}
