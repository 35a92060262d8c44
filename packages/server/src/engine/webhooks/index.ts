import type { NetworkFormat } from '@waypost/schema';
import type { AppContext } from '../../context.js';
import { CLICK_ID_PATTERN } from '../../ids.js';
import type { AffiliateNetworkRecord } from '../../storage/store.js';
import { clickbank } from './clickbank.js';
import type { WebhookFormat, WebhookReport } from './notification.js';
import { partnerstack } from './partnerstack.js';

export * from './notification.js';

/** Every webhook format, by the name a template gives its networks. */
export const WEBHOOK_FORMATS: Readonly<Record<NetworkFormat, WebhookFormat>> = { clickbank, partnerstack };

/** At most this many candidates are looked up, so that a notification cannot make a request do unbounded work. */
const MAX_CANDIDATES = 10;

/**
 * The click a report is about: the first candidate that is a click on an offer of this network. Failing that, for
 * fields meant to hold a click id, the first candidate shaped like Waypost's, which recordConversion then refuses
 * (`unknown_click`, or `network_mismatch` for another network's click) with a log entry. Undefined when no candidate
 * can be a Waypost click (an affiliate's own tracking codes, say): the notification is about a sale Waypost did not
 * send, which a network retrying it could not change.
 */
export async function clickOfReport({ store }: AppContext, network: AffiliateNetworkRecord, report: WebhookReport): Promise<string | undefined> {
  const candidates = [...new Set(report.clickIds.map((id) => id.trim()))].filter((id) => CLICK_ID_PATTERN.test(id)).slice(0, MAX_CANDIDATES);
  for (const candidate of candidates) {
    const click = await store.clicks.get(candidate);
    if (click && (await store.offers.get(click.offerId))?.affiliateNetworkId === network.id) return candidate;
  }
  return report.searched ? undefined : candidates[0];
}
