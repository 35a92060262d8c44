import { ClickSchema, ListClicksQuerySchema, ListQuerySchema, type Click } from '@waypost/schema';
import type { z } from 'zod';
import type { RequestOptions } from '../client.js';
import { type HttpClient, path } from '../internal/http.js';
import type { ListParams, PagePromise } from '../pagination.js';

const ListClicksParamsSchema = ListQuerySchema.extend(ListClicksQuerySchema.shape);

export type ListClicksParams = z.input<typeof ListClicksQuerySchema> & ListParams;

/** Clicks: attributed visits, from tracking links or direct tracking. */
export class Clicks {
  constructor(private readonly http: HttpClient) {}

  /** `GET /v1/clicks`, filtered by offer, publisher, source or dates. */
  list(params: ListClicksParams = {}, options?: RequestOptions): PagePromise<Click> {
    return this.http.list('/v1/clicks', { query: params, schema: ListClicksParamsSchema, item: ClickSchema }, options);
  }

  /** `GET /v1/clicks/:id`. */
  retrieve(id: string, options?: RequestOptions): Promise<Click> {
    return this.http.get(path`/v1/clicks/${id}`, { response: ClickSchema }, options);
  }
}
