import {
  CreatePromoCodeParamsSchema,
  CreatePromoCodeRequestParamsSchema,
  DecidePromoCodeRequestParamsSchema,
  ListPromoCodeRequestsQuerySchema,
  ListPromoCodesQuerySchema,
  ListQuerySchema,
  listOf,
  PromoCodeRequestSchema,
  PromoCodeSchema,
} from '@waypost/schema';
import type { AppContext } from '../context.js';
import { recordAudit } from '../engine/audit.js';
import { createPromoCodeRequest, decidedRequestsSince, decidePromoCodeRequest, issuePromoCode } from '../engine/promo-codes.js';
import { assertOfferReach, workspaceScope } from '../engine/workspaces.js';
import type { Api } from '../http/api.js';
import { ApiError } from '../http/errors.js';
import { canSee, offerVisibleTo, scopedPublisherId } from './scope.js';

export function promoCodeRoutes(api: Api, context: AppContext): void {
  const { store, clock } = context;
  const tag = 'Promo codes';

  api.route(
    { method: 'post', path: '/v1/promo-codes', tag, access: 'admin', summary: 'Issue a promo code to a publisher', body: CreatePromoCodeParamsSchema, response: PromoCodeSchema, status: 201 },
    async ({ body, auth }) => {
      if (!(await store.offers.get(body.offerId))) throw ApiError.field('offerId', `no offer "${body.offerId}"`);
      if (!(await store.publishers.get(body.publisherId))) throw ApiError.field('publisherId', `no publisher "${body.publisherId}"`);
      return store.transaction(async (tx) => {
        const code = await issuePromoCode(tx, { ...body, requestId: null, at: clock.now() });
        await recordAudit(tx, auth, { recordType: 'promo_code', recordId: code.id, action: 'create', after: code, at: clock.now() });
        return code;
      });
    },
  );

  api.route(
    { method: 'get', path: '/v1/promo-codes', tag, access: 'key', summary: 'List confirmed promo codes ("my promo codes" for a publisher key)', query: ListQuerySchema.extend(ListPromoCodesQuerySchema.shape), response: listOf(PromoCodeSchema) },
    async ({ query, auth }) => {
      const { limit, cursor, ...filter } = query;
      return store.promoCodes.list({ ...filter, publisherId: scopedPublisherId(auth, filter.publisherId), workspaces: workspaceScope(auth) }, { limit, cursor });
    },
  );

  api.route(
    {
      method: 'post',
      path: '/v1/promo-codes/requests',
      tag,
      access: 'key',
      summary: 'Request a promo code for a publisher (admin, or the publisher’s own key)',
      description: 'The request starts in moderation. A publisher key may ask only for itself, on an offer it may promote.',
      body: CreatePromoCodeRequestParamsSchema,
      response: PromoCodeRequestSchema,
      status: 201,
    },
    async ({ body, auth }) => {
      scopedPublisherId(auth, body.publisherId);
      const offer = await store.offers.get(body.offerId);
      if (auth.role === 'publisher') {
        if (!offer || !offerVisibleTo(offer, auth.publisherId)) throw ApiError.notFound('offer');
      } else {
        if (!offer) throw ApiError.field('offerId', `no offer "${body.offerId}"`);
        await assertOfferReach(store, auth, offer.id, 'offer').catch(() => {
          throw ApiError.field('offerId', `no offer "${body.offerId}"`);
        });
        if (!(await store.publishers.get(body.publisherId))) throw ApiError.field('publisherId', `no publisher "${body.publisherId}"`);
      }
      return createPromoCodeRequest(context, body, (tx, request) =>
        recordAudit(tx, auth, { recordType: 'promo_code_request', recordId: request.id, action: 'create', after: request, at: clock.now() }),
      );
    },
  );

  api.route(
    {
      method: 'get',
      path: '/v1/promo-codes/requests',
      tag,
      access: 'key',
      summary: 'List promo code requests (a publisher key sees its own)',
      description: 'Requests in moderation, and decided ones for 14 days after the decision; includeExpired=true lists every decided request.',
      query: ListQuerySchema.extend(ListPromoCodeRequestsQuerySchema.shape),
      response: listOf(PromoCodeRequestSchema),
    },
    async ({ query, auth }) => {
      const { limit, cursor, includeExpired, ...filter } = query;
      return store.promoCodeRequests.list(
        {
          ...filter,
          publisherId: scopedPublisherId(auth, filter.publisherId),
          decidedSince: includeExpired === 'true' ? undefined : decidedRequestsSince(clock.now()),
          workspaces: workspaceScope(auth),
        },
        { limit, cursor },
      );
    },
  );

  api.route(
    { method: 'get', path: '/v1/promo-codes/requests/:id', tag, access: 'key', summary: 'Retrieve a promo code request', response: PromoCodeRequestSchema },
    async ({ params, auth }) => {
      const request = await store.promoCodeRequests.get(params.id!);
      if (!request || !canSee(auth, request.publisherId)) throw ApiError.notFound('promo code request');
      await assertOfferReach(store, auth, request.offerId, 'promo code request');
      return request;
    },
  );

  api.route(
    {
      method: 'post',
      path: '/v1/promo-codes/requests/:id/decision',
      tag,
      access: 'admin',
      summary: 'Confirm a request with a code (given or generated), or reject it with a reason',
      description: 'Codes are 3–32 characters of letters, digits, "-" and "_", unique per offer whatever their case (409 on a clash). A decided request cannot be decided again (409 already_decided).',
      body: DecidePromoCodeRequestParamsSchema,
      response: PromoCodeRequestSchema,
    },
    async ({ params, body, auth }) =>
      decidePromoCodeRequest(context, params.id!, body, (tx, before, after) =>
        recordAudit(tx, auth, { recordType: 'promo_code_request', recordId: after.id, action: after.status === 'confirmed' ? 'confirm' : 'reject', before, after, at: clock.now() }),
      ),
  );
}
