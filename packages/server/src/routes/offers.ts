import {
  CreateOfferParamsSchema,
  CreatePersonalPayoutParamsSchema,
  ListOffersQuerySchema,
  ListQuerySchema,
  listOf,
  type Offer,
  OfferConfigSchema,
  OfferLinksQuerySchema,
  OfferLinksSchema,
  OfferSchema,
  PersonalPayoutSchema,
  PublisherOfferSchema,
  toErrorIssues,
  UpdateOfferParamsSchema,
  moneyIssue,
} from '@waypost/schema';
import type { AppContext } from '../context.js';
import type { Api } from '../http/api.js';
import type { Auth } from '../http/auth.js';
import { ApiError } from '../http/errors.js';
import { newId, newSecret } from '../ids.js';
import { newOffer } from '../records.js';
import { assertUnused } from '../engine/campaigns.js';
import { offerLinks } from '../links.js';
import { recordAudit } from '../engine/audit.js';
import { assertMovable, assertReach, assertReferenceTo, listScope, workspaceForCreate } from '../engine/workspaces.js';
import { UniqueViolationError } from '../storage/index.js';
import { offerVisibleTo, scopedPublisherId } from './scope.js';

const OfferViewSchema = OfferSchema.or(PublisherOfferSchema);

export function offerRoutes(api: Api, { store, config, clock }: AppContext): void {
  /** An offer the caller may see, or 404: a publisher's to promote, or one of the caller's workspaces. */
  const findOffer = async (id: string, auth: Auth): Promise<Offer> => {
    const offer = await store.offers.get(id);
    if (!offer || (auth.role === 'publisher' && !offerVisibleTo(offer, auth.publisherId))) throw ApiError.notFound('offer');
    if (auth.role === 'admin') await assertReach(store, auth, offer.workspaceId, 'offer');
    return offer;
  };
  const view = (offer: Offer, auth: Auth) =>
    auth.role === 'admin'
      ? offer
      : PublisherOfferSchema.parse({ ...offer, trackingUrl: offerLinks(config.publicUrl, offer, undefined, auth.publisherId).trackingUrl });

  /** Checks the merged configuration as a whole and that every id it names exists. */
  const checkOffer = async (offer: Offer, auth: Auth): Promise<void> => {
    const { id, postbackToken, workspaceId, archivedAt, createdAt, updatedAt, archive: _archive, ...config } = offer;
    const result = OfferConfigSchema.safeParse(config);
    if (!result.success) throw ApiError.validation(toErrorIssues(result.error));
    // References stay within the offer's workspace or go to a public one (README, Workspaces).
    if (offer.affiliateNetworkId) {
      const network = await store.affiliateNetworks.get(offer.affiliateNetworkId);
      await assertReferenceTo(store, auth, workspaceId, network, 'affiliateNetworkId', `no affiliate network "${offer.affiliateNetworkId}"`);
    }
    const fallback = offer.cap?.fallbackOfferId;
    if (fallback !== undefined) {
      if (fallback === offer.id) throw ApiError.field('cap.fallbackOfferId', 'must not be the offer itself');
      await assertReferenceTo(store, auth, workspaceId, await store.offers.get(fallback), 'cap.fallbackOfferId', `no offer "${fallback}"`);
    }
    if (offer.keywords) {
      const set = await store.keywordSets.get(offer.keywords.setId);
      await assertReferenceTo(store, auth, workspaceId, set && !set.archivedAt ? set : undefined, 'keywords.setId', `no keyword set "${offer.keywords.setId}"`);
    }
    for (const [index, publisherId] of offer.publisherIds.entries()) {
      if (!(await store.publishers.get(publisherId))) throw ApiError.field(`publisherIds.${index}`, `no publisher "${publisherId}"`);
    }
  };

  /**
   * 422 when a record of another workspace refers to the offer (as its fallback, or a live campaign's stream) and could
   * no longer once it moved to the private workspace `to` (README, Workspaces).
   */
  const assertStillReferable = async (offerId: string, to: string) => {
    if ((await store.workspaces.get(to))?.visibility === 'public') return;
    await assertMovable(store, 'offer', offerId, to, 'offer');
    let cursor: string | undefined;
    do {
      const page = await store.offers.list({}, { limit: 500, cursor });
      for (const other of page.data) {
        if (other.cap?.fallbackOfferId === offerId && other.workspaceId !== to) {
          throw ApiError.field('workspaceId', `the offer "${other.id}" of another workspace refers to this offer`, 'cross_workspace_reference');
        }
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  };

  /** Checks and writes an offer; its audit entry goes first, so that a write the database refuses takes it back too. */
  const save = async (auth: Auth, before: Offer | undefined, offer: Offer): Promise<Offer> => {
    await checkOffer(offer, auth);
    try {
      await store.transaction(async (tx) => {
        await recordAudit(tx, auth, { recordType: 'offer', recordId: offer.id, action: before ? 'update' : 'create', before, after: offer, at: clock.now() });
        await (before ? tx.offers.update(offer) : tx.offers.insert(offer));
      });
    } catch (error) {
      if (error instanceof UniqueViolationError) throw ApiError.conflict(`an offer named "${offer.name}" already exists`, 'name');
      throw error;
    }
    return offer;
  };

  api.route(
    { method: 'get', path: '/v1/offers', tag: 'Offers', access: 'key', summary: 'List offers', query: ListQuerySchema.extend(ListOffersQuerySchema.shape), response: listOf(OfferViewSchema) },
    async ({ query, auth }) => {
      const { limit, cursor, includeArchived, workspaceId, ...filter } = query;
      const page = await store.offers.list(
        auth.role === 'admin'
          ? { ...filter, includeArchived: includeArchived === 'true', workspaces: await listScope(store, auth, workspaceId) }
          : { ...filter, status: 'active', visibleTo: auth.publisherId },
        { limit, cursor },
      );
      return { data: page.data.map((offer) => view(offer, auth)), nextCursor: page.nextCursor };
    },
  );

  api.route(
    { method: 'post', path: '/v1/offers', tag: 'Offers', access: 'workspace', summary: 'Create an offer', body: CreateOfferParamsSchema, response: OfferSchema, status: 201 },
    async ({ body, auth }) => {
      const workspaceId = await workspaceForCreate(store, auth, body.workspaceId);
      return save(auth, undefined, newOffer(body, { currency: config.currency, now: clock.now(), workspaceId }));
    },
  );

  api.route(
    { method: 'get', path: '/v1/offers/:id', tag: 'Offers', access: 'key', summary: 'Retrieve an offer', response: OfferViewSchema },
    async ({ params, auth }) => view(await findOffer(params.id!, auth), auth),
  );

  api.route(
    { method: 'patch', path: '/v1/offers/:id', tag: 'Offers', access: 'workspace', summary: 'Update an offer', body: UpdateOfferParamsSchema, response: OfferSchema },
    async ({ params, body, auth }) => {
      const offer = await findOffer(params.id!, auth);
      // Moving an offer needs the caller to reach the workspace it moves to, as creating one there does.
      if (body.workspaceId !== undefined && body.workspaceId !== offer.workspaceId) {
        await workspaceForCreate(store, auth, body.workspaceId);
        await assertStillReferable(offer.id, body.workspaceId);
      }
      return save(auth, offer, { ...offer, ...body, updatedAt: clock.now().toISOString() });
    },
  );

  api.route(
    {
      method: 'delete',
      path: '/v1/offers/:id',
      tag: 'Offers',
      access: 'workspace',
      summary: 'Archive an offer',
      description: 'Archives the offer: it stops tracking and leaves lists, and its clicks, conversions and reports stay. 409 while a live campaign uses it.',
      response: OfferSchema,
    },
    async ({ params, auth }) => {
      const offer = await findOffer(params.id!, auth);
      if (offer.archivedAt) return offer;
      await assertUnused(store, 'offer', offer.id, 'offer');
      const now = clock.now().toISOString();
      const archived = { ...offer, archivedAt: now, updatedAt: now };
      await store.transaction(async (tx) => {
        await tx.offers.update(archived);
        await recordAudit(tx, auth, { recordType: 'offer', recordId: offer.id, action: 'archive', before: offer, after: archived, at: clock.now() });
      });
      return archived;
    },
  );

  api.route(
    { method: 'post', path: '/v1/offers/:id/rotate-token', tag: 'Offers', access: 'workspace', summary: 'Replace the postback token', response: OfferSchema },
    async ({ params, auth }) => {
      const offer = await findOffer(params.id!, auth);
      const rotated = { ...offer, postbackToken: newSecret(), updatedAt: clock.now().toISOString() };
      await store.transaction(async (tx) => {
        await tx.offers.update(rotated);
        await recordAudit(tx, auth, { recordType: 'offer', recordId: offer.id, action: 'rotate_token', before: offer, after: rotated, at: clock.now() });
      });
      return rotated;
    },
  );

  api.route(
    { method: 'get', path: '/v1/offers/:id/links', tag: 'Offers', access: 'key', summary: 'Tracking links and snippets', query: OfferLinksQuerySchema, response: OfferLinksSchema },
    async ({ params, query, auth }) => {
      const offer = await findOffer(params.id!, auth);
      const publisherId = scopedPublisherId(auth, query.publisherId);
      if (publisherId && !(await store.publishers.get(publisherId))) throw ApiError.notFound('publisher');
      const network = offer.affiliateNetworkId ? await store.affiliateNetworks.get(offer.affiliateNetworkId) : undefined;
      const links = offerLinks(config.publicUrl, offer, network, publisherId);
      // The postback URL carries the offer's secret token: it is the merchant's, not the publisher's.
      return auth.role === 'admin' ? links : { ...links, postbackUrl: null };
    },
  );

  api.route(
    { method: 'get', path: '/v1/offers/:id/personal-payouts', tag: 'Personal payouts', access: 'workspace', summary: 'List personal payouts', query: ListQuerySchema, response: listOf(PersonalPayoutSchema) },
    async ({ params, query, auth }) => {
      await findOffer(params.id!, auth);
      return store.personalPayouts.listForOffer(params.id!, query);
    },
  );

  api.route(
    { method: 'post', path: '/v1/offers/:id/personal-payouts', tag: 'Personal payouts', access: 'workspace', summary: 'Create a personal payout', body: CreatePersonalPayoutParamsSchema, response: PersonalPayoutSchema, status: 201 },
    async ({ params, body, auth }) => {
      const offer = await findOffer(params.id!, auth);
      if (body.publisherId && !(await store.publishers.get(body.publisherId))) {
        throw ApiError.field('publisherId', `no publisher "${body.publisherId}"`);
      }
      const amountIssue = body.amount === undefined ? undefined : moneyIssue(body.amount, offer.currency);
      if (amountIssue) throw ApiError.field('amount', amountIssue);
      if (body.percent !== undefined && offer.payout.model !== 'cps') throw ApiError.field('percent', 'is only allowed on a "cps" offer');
      const payout = {
        id: newId('pp_', clock.now()),
        offerId: offer.id,
        publisherId: body.publisherId ?? null,
        couponCode: body.couponCode ?? null,
        amount: body.amount ?? null,
        percent: body.percent ?? null,
        createdAt: clock.now().toISOString(),
      };
      try {
        await store.transaction(async (tx) => {
          await tx.personalPayouts.insert(payout);
          await recordAudit(tx, auth, { recordType: 'personal_payout', recordId: payout.id, action: 'create', after: payout, at: clock.now() });
        });
      } catch (error) {
        if (error instanceof UniqueViolationError) throw ApiError.conflict('a personal payout for this publisher and coupon already exists', 'publisherId');
        throw error;
      }
      return payout;
    },
  );

  api.route(
    { method: 'delete', path: '/v1/offers/:id/personal-payouts/:payoutId', tag: 'Personal payouts', access: 'workspace', summary: 'Delete a personal payout' },
    async ({ params, auth }) => {
      const offer = await findOffer(params.id!, auth);
      const payout = (await store.personalPayouts.allForOffer(offer.id)).find((candidate) => candidate.id === params.payoutId);
      if (!payout) throw ApiError.notFound('personal payout');
      await store.transaction(async (tx) => {
        if (!(await tx.personalPayouts.delete(offer.id, payout.id))) throw ApiError.notFound('personal payout');
        await recordAudit(tx, auth, { recordType: 'personal_payout', recordId: payout.id, action: 'delete', before: payout, at: clock.now() });
      });
      return undefined;
    },
  );
}
