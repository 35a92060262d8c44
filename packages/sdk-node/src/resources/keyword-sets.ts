import {
  CreateKeywordSetParamsSchema,
  KeywordSetSchema,
  ListKeywordSetsQuerySchema,
  ListQuerySchema,
  UpdateKeywordSetParamsSchema,
  type CreateKeywordSetParams,
  type KeywordSet,
  type UpdateKeywordSetParams,
} from '@waypost/schema';
import type { z } from 'zod';
import type { RequestOptions } from '../client.js';
import { type HttpClient, path } from '../internal/http.js';
import type { ListParams, PagePromise } from '../pagination.js';

const ListKeywordSetsParamsSchema = ListQuerySchema.extend(ListKeywordSetsQuerySchema.shape);

export type ListKeywordSetsParams = z.input<typeof ListKeywordSetsQuerySchema> & ListParams;

/** Keyword sets: keywords an offer draws per click for `{keyword}` and `{kw1}`…`{kw5}` in its URL. */
export class KeywordSets {
  constructor(private readonly http: HttpClient) {}

  /** `GET /v1/keyword-sets`, filtered by `q`, `workspaceId` or `includeArchived`. */
  list(params: ListKeywordSetsParams = {}, options?: RequestOptions): PagePromise<KeywordSet> {
    return this.http.list('/v1/keyword-sets', { query: params, schema: ListKeywordSetsParamsSchema, item: KeywordSetSchema }, options);
  }

  /** `POST /v1/keyword-sets`. */
  create(params: CreateKeywordSetParams, options?: RequestOptions): Promise<KeywordSet> {
    return this.http.post('/v1/keyword-sets', { body: params, schema: CreateKeywordSetParamsSchema, response: KeywordSetSchema }, options);
  }

  /** `GET /v1/keyword-sets/:id`. */
  retrieve(id: string, options?: RequestOptions): Promise<KeywordSet> {
    return this.http.get(path`/v1/keyword-sets/${id}`, { response: KeywordSetSchema }, options);
  }

  /** `PUT /v1/keyword-sets/:id`: the whole set; fields left out take their defaults. */
  replace(id: string, params: CreateKeywordSetParams, options?: RequestOptions): Promise<KeywordSet> {
    return this.http.put(path`/v1/keyword-sets/${id}`, { body: params, schema: CreateKeywordSetParamsSchema, response: KeywordSetSchema }, options);
  }

  /** `PATCH /v1/keyword-sets/:id`: any subset of the fields; `keywords` is replaced whole. */
  update(id: string, params: UpdateKeywordSetParams, options?: RequestOptions): Promise<KeywordSet> {
    return this.http.patch(path`/v1/keyword-sets/${id}`, { body: params, schema: UpdateKeywordSetParamsSchema, response: KeywordSetSchema }, options);
  }

  /** `DELETE /v1/keyword-sets/:id`: archives the set; offers that use it draw no keywords. */
  archive(id: string, options?: RequestOptions): Promise<KeywordSet> {
    return this.http.delete(path`/v1/keyword-sets/${id}`, { response: KeywordSetSchema }, options);
  }
}
