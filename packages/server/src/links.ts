import type { AffiliateNetwork, Offer, OfferLinks } from '@waypost/schema';

/**
 * The links and snippets an offer hands out. Query values that are macros stay literal (`{aff_sub}`), because the
 * network substitutes them; everything else is URL-encoded.
 */
export function offerLinks(
  publicUrl: string,
  offer: Offer,
  network: AffiliateNetwork | undefined,
  publisherId: string | undefined,
): OfferLinks {
  const base = publicUrl.replace(/\/+$/, '');
  const offerPath = encodeURIComponent(offer.id);
  const pub = publisherId ? `?pub=${encodeURIComponent(publisherId)}` : '';
  const macros = network?.macros;
  const postbackParams: [string, string][] = [
    ['click_id', macros?.clickId ?? '{click_id}'],
    ['amount', macros?.amount ?? '{amount}'],
    ['transaction_id', macros?.transactionId ?? '{transaction_id}'],
  ];
  if (macros?.payout) postbackParams.push(['payout', macros.payout]);
  if (macros?.status) postbackParams.push(['status', macros.status]);
  const postbackUrl = `${base}/postback?${postbackParams.map(([name, value]) => `${name}=${value}`).join('&')}&token=${encodeURIComponent(offer.postbackToken)}`;
  const pixelUrl = `${base}/pixel.gif?offer_id=${offerPath}&amount={amount}&transaction_id={transaction_id}`;
  const script = `${base}/waypost.js`;
  return {
    offerId: offer.id,
    publisherId: publisherId ?? null,
    trackingUrl: `${base}/c/${offerPath}${pub}`,
    postbackUrl,
    pixelUrl,
    impressionUrl: `${base}/i/${offerPath}${pub}`,
    landerSnippet: `<script async src="${script}"></script>`,
    // Handed out only when it works: POST /v1/visits answers 403 direct_tracking_disabled on every view otherwise.
    directTrackingSnippet: offer.directTracking ? `<script async src="${script}" data-offer="${escapeAttribute(offer.id)}"></script>` : null,
    directTrackingSnippetUnavailable: offer.directTracking ? null : 'direct_tracking_disabled',
    conversionSnippet: `<script async src="${script}" data-convert data-offer="${escapeAttribute(offer.id)}" data-amount="ORDER_AMOUNT" data-currency="${offer.currency}" data-transaction-id="ORDER_ID"></script>`,
  };
}

function escapeAttribute(value: string): string {
  return value.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);
}
