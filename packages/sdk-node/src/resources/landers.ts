import {
  ArchiveListingSchema,
  type ArchiveListing,
  CreateLanderParamsSchema,
  LanderSchema,
  ListLandersQuerySchema,
  ListQuerySchema,
  UpdateLanderParamsSchema,
  type CreateLanderParams,
  type Lander,
  type UpdateLanderParams,
} from '@waypost/schema';
import { z } from 'zod';
import type { RequestOptions } from '../client.js';
import { type HttpClient, path } from '../internal/http.js';
import type { ListParams, PagePromise } from '../pagination.js';

const ListLandersParamsSchema = ListQuerySchema.extend(ListLandersQuerySchema.shape);

export type ListLandersParams = z.input<typeof ListLandersQuerySchema> & ListParams;

/** Landers: pages shown before the offer, whose call to action links to the campaign's click URL. */
export class Landers {
  constructor(private readonly http: HttpClient) {}

  /** `GET /v1/landers`, filtered by `q`, `workspaceId` or `includeArchived`. */
  list(params: ListLandersParams = {}, options?: RequestOptions): PagePromise<Lander> {
    return this.http.list('/v1/landers', { query: params, schema: ListLandersParamsSchema, item: LanderSchema }, options);
  }

  /** `POST /v1/landers`. */
  create(params: CreateLanderParams, options?: RequestOptions): Promise<Lander> {
    return this.http.post('/v1/landers', { body: params, schema: CreateLanderParamsSchema, response: LanderSchema }, options);
  }

  /** `GET /v1/landers/:id`. */
  retrieve(id: string, options?: RequestOptions): Promise<Lander> {
    return this.http.get(path`/v1/landers/${id}`, { response: LanderSchema }, options);
  }

  /** `PUT /v1/landers/:id`: the whole lander; fields left out take their defaults. */
  replace(id: string, params: CreateLanderParams, options?: RequestOptions): Promise<Lander> {
    return this.http.put(path`/v1/landers/${id}`, { body: params, schema: CreateLanderParamsSchema, response: LanderSchema }, options);
  }

  /** `PATCH /v1/landers/:id`: any subset of the fields. */
  update(id: string, params: UpdateLanderParams, options?: RequestOptions): Promise<Lander> {
    return this.http.patch(path`/v1/landers/${id}`, { body: params, schema: UpdateLanderParamsSchema, response: LanderSchema }, options);
  }

  /**
   * `PUT /v1/landers/:id/archive`: a zip of static files with an `index.html`, served at `PUBLIC_URL/l/LANDER_ID/` in place of
   * the lander's URL; a `WaypostValidationError` names what the server refused (paths outside the root, links, sizes).
   */
  uploadArchive(id: string, zip: Uint8Array, options?: RequestOptions): Promise<ArchiveListing> {
    return this.http.putBytes(path`/v1/landers/${id}/archive`, { data: zip, contentType: 'application/zip', response: ArchiveListingSchema }, options);
  }

  /** `GET /v1/landers/:id/archive`: the archive and its files; a `WaypostNotFoundError` when it has none. */
  retrieveArchive(id: string, options?: RequestOptions): Promise<ArchiveListing> {
    return this.http.get(path`/v1/landers/${id}/archive`, { response: ArchiveListingSchema }, options);
  }

  /** `DELETE /v1/landers/:id/archive`: the lander goes back to its URL. */
  deleteArchive(id: string, options?: RequestOptions): Promise<void> {
    return this.http.delete(path`/v1/landers/${id}/archive`, { response: z.undefined() }, options);
  }

  /** `DELETE /v1/landers/:id`: archives the lander; a `WaypostConflictError` while a campaign uses it. */
  archive(id: string, options?: RequestOptions): Promise<Lander> {
    return this.http.delete(path`/v1/landers/${id}`, { response: LanderSchema }, options);
  }
}
