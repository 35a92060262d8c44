import {
  CreatePublisherParamsSchema,
  ListPublishersQuerySchema,
  ListQuerySchema,
  listOf,
  type Publisher,
  PublisherSchema,
  UpdatePublisherParamsSchema,
} from '@waypost/schema';
import type { AppContext } from '../context.js';
import { recordAudit } from '../engine/audit.js';
import type { Api } from '../http/api.js';
import type { Auth } from '../http/auth.js';
import { ApiError } from '../http/errors.js';
import { refusedHost } from '../outbox/addresses.js';
import { newPublisher } from '../records.js';
import { scopedPublisherId } from './scope.js';

export function publisherRoutes(api: Api, { store, clock, config }: AppContext): void {
  const findPublisher = async (id: string, auth: Auth): Promise<Publisher> => {
    const publisher = await store.publishers.get(scopedPublisherId(auth, id)!);
    if (!publisher) throw ApiError.notFound('publisher');
    return publisher;
  };
  // The secret that signs the publisher's notifications is the merchant's to hand out (PublisherSchema).
  const view = (publisher: Publisher, auth: Auth): Publisher => (auth.role === 'admin' ? publisher : { ...publisher, postbackSecret: null });
  // A host that is `localhost` or a private address is refused at once (README, Security); a name that resolves to one
  // is refused by the outbox when it connects.
  const checkDestination = (postbackUrl: string | null | undefined) => {
    if (!postbackUrl || config.allowPrivateDestinations) return;
    const kind = refusedHost(new URL(postbackUrl.replace(/\{[^{}]*\}/g, 'x')).hostname);
    if (kind) throw ApiError.field('postbackUrl', `must not point at a ${kind} address (WAYPOST_ALLOW_PRIVATE_DESTINATIONS=true allows it)`);
  };

  api.route(
    { method: 'get', path: '/v1/publishers', tag: 'Publishers', access: 'key', summary: 'List publishers (a publisher key sees itself)', query: ListQuerySchema.extend(ListPublishersQuerySchema.shape), response: listOf(PublisherSchema) },
    async ({ query, auth }) => {
      const { limit, cursor, ...filter } = query;
      const page = await store.publishers.list({ ...filter, id: scopedPublisherId(auth, undefined) }, { limit, cursor });
      return { data: page.data.map((publisher) => view(publisher, auth)), nextCursor: page.nextCursor };
    },
  );

  api.route(
    { method: 'post', path: '/v1/publishers', tag: 'Publishers', access: 'admin', summary: 'Create a publisher', body: CreatePublisherParamsSchema, response: PublisherSchema, status: 201 },
    async ({ body, auth }) => {
      checkDestination(body.postbackUrl);
      const publisher = newPublisher(body, clock.now());
      await store.transaction(async (tx) => {
        await tx.publishers.insert(publisher);
        await recordAudit(tx, auth, { recordType: 'publisher', recordId: publisher.id, action: 'create', after: publisher, at: clock.now() });
      });
      return publisher;
    },
  );

  api.route(
    { method: 'get', path: '/v1/publishers/:id', tag: 'Publishers', access: 'key', summary: 'Retrieve a publisher', response: PublisherSchema },
    async ({ params, auth }) => view(await findPublisher(params.id!, auth), auth),
  );

  api.route(
    { method: 'patch', path: '/v1/publishers/:id', tag: 'Publishers', access: 'admin', summary: 'Update a publisher', body: UpdatePublisherParamsSchema, response: PublisherSchema },
    async ({ params, body, auth }) => {
      checkDestination(body.postbackUrl);
      const before = await findPublisher(params.id!, auth);
      const publisher = { ...before, ...body, updatedAt: clock.now().toISOString() };
      await store.transaction(async (tx) => {
        await tx.publishers.update(publisher);
        await recordAudit(tx, auth, { recordType: 'publisher', recordId: publisher.id, action: 'update', before, after: publisher, at: clock.now() });
      });
      return publisher;
    },
  );
}
