import {
  CreateTrafficSourceParamsSchema,
  ListQuerySchema,
  ListTrafficSourcesQuerySchema,
  TrafficSourceSchema,
  UpdateTrafficSourceParamsSchema,
  type CreateTrafficSourceParams,
  type TrafficSource,
  type UpdateTrafficSourceParams,
} from '@waypost/schema';
import type { z } from 'zod';
import type { RequestOptions } from '../client.js';
import { type HttpClient, path } from '../internal/http.js';
import type { ListParams, PagePromise } from '../pagination.js';

const ListTrafficSourcesParamsSchema = ListQuerySchema.extend(ListTrafficSourcesQuerySchema.shape);

export type ListTrafficSourcesParams = z.input<typeof ListTrafficSourcesQuerySchema> & ListParams;

/** Traffic sources: the ad networks that send a media buyer's paid traffic to campaigns, and get its postbacks. */
export class TrafficSources {
  constructor(private readonly http: HttpClient) {}

  /** `GET /v1/traffic-sources`, filtered by `q`, `workspaceId` or `includeArchived`. */
  list(params: ListTrafficSourcesParams = {}, options?: RequestOptions): PagePromise<TrafficSource> {
    return this.http.list('/v1/traffic-sources', { query: params, schema: ListTrafficSourcesParamsSchema, item: TrafficSourceSchema }, options);
  }

  /** `POST /v1/traffic-sources`. */
  create(params: CreateTrafficSourceParams, options?: RequestOptions): Promise<TrafficSource> {
    return this.http.post('/v1/traffic-sources', { body: params, schema: CreateTrafficSourceParamsSchema, response: TrafficSourceSchema }, options);
  }

  /** `GET /v1/traffic-sources/:id`. */
  retrieve(id: string, options?: RequestOptions): Promise<TrafficSource> {
    return this.http.get(path`/v1/traffic-sources/${id}`, { response: TrafficSourceSchema }, options);
  }

  /** `PUT /v1/traffic-sources/:id`: the whole source; fields left out take their defaults. */
  replace(id: string, params: CreateTrafficSourceParams, options?: RequestOptions): Promise<TrafficSource> {
    return this.http.put(path`/v1/traffic-sources/${id}`, { body: params, schema: CreateTrafficSourceParamsSchema, response: TrafficSourceSchema }, options);
  }

  /** `PATCH /v1/traffic-sources/:id`: any subset of the fields, each replaced whole. */
  update(id: string, params: UpdateTrafficSourceParams, options?: RequestOptions): Promise<TrafficSource> {
    return this.http.patch(path`/v1/traffic-sources/${id}`, { body: params, schema: UpdateTrafficSourceParamsSchema, response: TrafficSourceSchema }, options);
  }

  /** `DELETE /v1/traffic-sources/:id`: archives the source; a `WaypostConflictError` while a campaign uses it. */
  archive(id: string, options?: RequestOptions): Promise<TrafficSource> {
    return this.http.delete(path`/v1/traffic-sources/${id}`, { response: TrafficSourceSchema }, options);
  }
}
