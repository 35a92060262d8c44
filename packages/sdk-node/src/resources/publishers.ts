import {
  BalanceSchema,
  CreatePublisherParamsSchema,
  ListPublishersQuerySchema,
  ListQuerySchema,
  PublisherSchema,
  UpdatePublisherParamsSchema,
  type Balance,
  type CreatePublisherParams,
  type Publisher,
  type UpdatePublisherParams,
} from '@waypost/schema';
import type { z } from 'zod';
import type { RequestOptions } from '../client.js';
import { type HttpClient, path } from '../internal/http.js';
import type { ListParams, PagePromise } from '../pagination.js';

const ListPublishersParamsSchema = ListQuerySchema.extend(ListPublishersQuerySchema.shape);

export type ListPublishersParams = z.input<typeof ListPublishersQuerySchema> & ListParams;

/** Publishers (affiliates): the traffic sources that earn payouts. */
export class Publishers {
  constructor(private readonly http: HttpClient) {}

  /** `GET /v1/publishers`, filtered by `status` or `q`. */
  list(params: ListPublishersParams = {}, options?: RequestOptions): PagePromise<Publisher> {
    return this.http.list('/v1/publishers', { query: params, schema: ListPublishersParamsSchema, item: PublisherSchema }, options);
  }

  /** `POST /v1/publishers` (admin). */
  create(params: CreatePublisherParams, options?: RequestOptions): Promise<Publisher> {
    return this.http.post('/v1/publishers', { body: params, schema: CreatePublisherParamsSchema, response: PublisherSchema }, options);
  }

  /** `GET /v1/publishers/:id`. */
  retrieve(id: string, options?: RequestOptions): Promise<Publisher> {
    return this.http.get(path`/v1/publishers/${id}`, { response: PublisherSchema }, options);
  }

  /** `PATCH /v1/publishers/:id` (admin). */
  update(id: string, params: UpdatePublisherParams, options?: RequestOptions): Promise<Publisher> {
    return this.http.patch(path`/v1/publishers/${id}`, { body: params, schema: UpdatePublisherParamsSchema, response: PublisherSchema }, options);
  }

  /** `GET /v1/publishers/:id/balance`: accruing, pending, approved (payable) and paid, in the account currency. */
  balance(id: string, options?: RequestOptions): Promise<Balance> {
    return this.http.get(path`/v1/publishers/${id}/balance`, { response: BalanceSchema }, options);
  }
}
