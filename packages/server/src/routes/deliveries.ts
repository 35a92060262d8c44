import { DeliverySchema, ListDeliveriesQuerySchema, ListQuerySchema, listOf } from '@waypost/schema';
import type { AppContext } from '../context.js';
import { deliveryToWire } from '../engine/wire.js';
import { assertOfferReach, workspaceScope } from '../engine/workspaces.js';
import type { Api } from '../http/api.js';
import type { Auth } from '../http/auth.js';
import { ApiError } from '../http/errors.js';
import type { DeliveryRecord } from '../storage/store.js';
import { scopedPublisherId } from './scope.js';

/** Whether a key may see a delivery: admin keys all; a publisher key the postbacks sent to its own tracker. */
function visibleTo(delivery: DeliveryRecord, auth: Auth): boolean {
  return auth.role === 'admin' || (delivery.message.kind === 'postback' && delivery.publisherId === auth.publisherId);
}

export function deliveryRoutes(api: Api, { store }: AppContext): void {
  api.route(
    {
      method: 'get',
      path: '/v1/deliveries',
      tag: 'Deliveries',
      access: 'key',
      summary: 'The delivery log: outbound publisher postbacks and conversion e-mails, with their tries',
      description: 'A publisher key sees only the postbacks sent to its own postbackUrl.',
      query: ListQuerySchema.extend(ListDeliveriesQuerySchema.shape),
      response: listOf(DeliverySchema),
    },
    async ({ query, auth }) => {
      const { limit, cursor, ...filter } = query;
      const publisherId = scopedPublisherId(auth, filter.publisherId);
      // The merchant's e-mails are not the publisher's business.
      if (auth.role === 'publisher' && filter.kind === 'email') return { data: [], nextCursor: null };
      const kind = auth.role === 'publisher' ? 'postback' : filter.kind;
      const page = await store.outbox.list({ ...filter, publisherId, kind, workspaces: workspaceScope(auth) }, { limit, cursor });
      return { data: page.data.map((delivery) => deliveryToWire(delivery, auth.role)), nextCursor: page.nextCursor };
    },
  );

  api.route(
    { method: 'get', path: '/v1/deliveries/:id', tag: 'Deliveries', access: 'key', summary: 'Retrieve a delivery', response: DeliverySchema },
    async ({ params, auth }) => {
      const delivery = await store.outbox.get(params.id!);
      if (!delivery || !visibleTo(delivery, auth)) throw ApiError.notFound('delivery');
      await assertOfferReach(store, auth, delivery.offerId, 'delivery');
      return deliveryToWire(delivery, auth.role);
    },
  );
}
