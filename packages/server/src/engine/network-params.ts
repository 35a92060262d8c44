import { type AffiliateNetwork, ClickIdSchema, IdSchema } from '@waypost/schema';
import type { AppContext } from '../context.js';
import { normalizeConversionParams, type NormalizeConversionParamsResult } from '../tracking/index.js';

const hasParams = (network: AffiliateNetwork | undefined): network is AffiliateNetwork =>
  network !== undefined && Object.keys(network.params ?? {}).length > 0;

/**
 * A postback's or pixel's parameters under their canonical names, the fixed names of the offer's network included
 * (`params`, README, Affiliate networks). Which network applies is known only once the offer is, so the aliases are
 * read first and find it by the click or the offer id; a click id that a network sends only under a fixed name of its
 * own (Binom's `cnv_id`) is looked for among the networks that name one. `clickIdFallback` is the pixel's cookie.
 */
export async function readConversionParams(
  context: AppContext,
  input: Record<string, unknown>,
  clickIdFallback?: string | undefined,
): Promise<NormalizeConversionParamsResult> {
  const first = normalizeConversionParams(input);
  // A network's fixed names are never aliases of another parameter (NetworkParamsSchema), so they can only change
  // the reading of a postback that carries names the aliases do not know.
  if (!first.ok || first.unknown.length === 0) return first;
  const clickId = first.params.click_id ?? clickIdFallback;
  const offerId = clickId !== undefined ? await offerOfClick(context, clickId) : first.params.offer_id;
  let network = offerId !== undefined ? await networkOfOffer(context, offerId) : undefined;
  if (first.params.click_id === undefined && !network?.params.click_id) {
    network = (await networkByFixedClickId(context, input)) ?? network;
  }
  return hasParams(network) ? normalizeConversionParams(input, network.params) : first;
}

async function offerOfClick({ store }: AppContext, clickId: string): Promise<string | undefined> {
  return ClickIdSchema.safeParse(clickId).success ? (await store.clicks.get(clickId))?.offerId : undefined;
}

async function networkOfOffer({ store }: AppContext, offerId: string): Promise<AffiliateNetwork | undefined> {
  const offer = IdSchema.safeParse(offerId).success ? await store.offers.get(offerId) : undefined;
  return offer?.affiliateNetworkId ? store.affiliateNetworks.get(offer.affiliateNetworkId) : undefined;
}

/** The network whose fixed click-id name the input carries, and whose offer that click belongs to. */
async function networkByFixedClickId(context: AppContext, input: Record<string, unknown>): Promise<AffiliateNetwork | undefined> {
  const given = new Map(Object.entries(input).map(([name, value]) => [name.toLowerCase(), value]));
  let cursor: string | undefined;
  do {
    const page = await context.store.affiliateNetworks.list({}, { limit: 500, cursor });
    for (const candidate of page.data) {
      const value = candidate.params.click_id ? given.get(candidate.params.click_id.toLowerCase()) : undefined;
      if (typeof value !== 'string') continue;
      const offerId = await offerOfClick(context, value.trim());
      // The click must belong to an offer of this very network, so that two networks sharing a name cannot mix.
      if (offerId !== undefined && (await networkOfOffer(context, offerId))?.id === candidate.id) return candidate;
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return undefined;
}
