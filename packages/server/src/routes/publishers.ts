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
import type { Api } from '../http/api.js';
import type { Auth } from '../http/auth.js';
import { ApiError } from '../http/errors.js';
import { newPublisher } from '../records.js';
import { scopedPublisherId } from './scope.js';

export function publisherRoutes(api: Api, { store, clock }: AppContext): void {
  const findPublisher = async (id: string, auth: Auth): Promise<Publisher> => {
    const publisher = await store.publishers.get(scopedPublisherId(auth, id)!);
    if (!publisher) throw ApiError.notFound('publisher');
    return publisher;
  };
  // The secret that signs the publisher's notifications is the merchant's to hand out (PublisherSchema).
  const view = (publisher: Publisher, auth: Auth): Publisher => (auth.role === 'admin' ? publisher : { ...publisher, postbackSecret: null });

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
    async ({ body }) => {
      const publisher = newPublisher(body, clock.now());
      await store.publishers.insert(publisher);
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
      const publisher = { ...(await findPublisher(params.id!, auth)), ...body, updatedAt: clock.now().toISOString() };
      await store.publishers.update(publisher);
      return publisher;
    },
  );
}
