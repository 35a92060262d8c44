import type { AffiliateNetwork, NetworkMacros, Offer, OfferLinks } from '@waypost/schema';

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
  const postbackUrl = `${base}/postback?${postbackParams(network)
    .map(([name, value]) => `${name}=${value}&`)
    .join('')}token=${encodeURIComponent(offer.postbackToken)}`;
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

// The canonical parameters in the order the postback URL lists them, with the network's macro for each.
const POSTBACK_MACROS = [
  ['click_id', 'clickId'],
  ['amount', 'amount'],
  ['transaction_id', 'transactionId'],
  ['payout', 'payout'],
  ['status', 'status'],
  ['currency', 'currency'],
  ['event', 'event'],
  ['coupon', 'coupon'],
] as const satisfies readonly (readonly [string, keyof NetworkMacros])[];

/**
 * The postback URL's parameters before the token. Without a network, Waypost's own macros; with one, only what the
 * network has a macro for, so that it never sends a literal `{amount}` (README, Affiliate networks). The click id is
 * always asked for, unless the network sends it under a fixed name of its own (`params.click_id`), which it then
 * appends itself.
 */
function postbackParams(network: AffiliateNetwork | undefined): [string, string][] {
  if (!network) return [['click_id', '{click_id}'], ['amount', '{amount}'], ['transaction_id', '{transaction_id}']];
  const { macros, params } = network;
  const clickId = macros.clickId ?? (params.click_id ? undefined : '{click_id}');
  return POSTBACK_MACROS.flatMap(([name, field]): [string, string][] => {
    const macro = field === 'clickId' ? clickId : macros[field];
    return macro === undefined ? [] : [[name, macro]];
  });
}

function escapeAttribute(value: string): string {
  return value.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);
}
