import {
  CampaignLinksSchema,
  CampaignSchema,
  CreateCampaignParamsSchema,
  ListCampaignsQuerySchema,
  ListQuerySchema,
  ReplaceCampaignParamsSchema,
  UpdateCampaignParamsSchema,
  type Campaign,
  type CampaignLinks,
  type CreateCampaignParams,
  type ReplaceCampaignParams,
  type UpdateCampaignParams,
} from '@waypost/schema';
import type { z } from 'zod';
import type { RequestOptions } from '../client.js';
import { type HttpClient, path } from '../internal/http.js';
import type { ListParams, PagePromise } from '../pagination.js';

const ListCampaignsParamsSchema = ListQuerySchema.extend(ListCampaignsQuerySchema.shape);

export type ListCampaignsParams = z.input<typeof ListCampaignsQuerySchema> & ListParams;

/** Campaigns: a paid-traffic link (`/t/:campaign`) that routes each visit through streams to a lander and an offer. */
export class Campaigns {
  constructor(private readonly http: HttpClient) {}

  /** `GET /v1/campaigns`, filtered by `status`, `trafficSourceId`, `q`, `workspaceId` or `includeArchived`. */
  list(params: ListCampaignsParams = {}, options?: RequestOptions): PagePromise<Campaign> {
    return this.http.list('/v1/campaigns', { query: params, schema: ListCampaignsParamsSchema, item: CampaignSchema }, options);
  }

  /** `POST /v1/campaigns`: the server assigns the stream ids. */
  create(params: CreateCampaignParams, options?: RequestOptions): Promise<Campaign> {
    return this.http.post('/v1/campaigns', { body: params, schema: CreateCampaignParamsSchema, response: CampaignSchema }, options);
  }

  /** `GET /v1/campaigns/:id`. */
  retrieve(id: string, options?: RequestOptions): Promise<Campaign> {
    return this.http.get(path`/v1/campaigns/${id}`, { response: CampaignSchema }, options);
  }

  /**
   * `PUT /v1/campaigns/:id`: the whole campaign, its streams replaced at once. Send a stream's `id` to keep it (and its
   * statistics); a stream without one is new.
   */
  replace(id: string, params: ReplaceCampaignParams, options?: RequestOptions): Promise<Campaign> {
    return this.http.put(path`/v1/campaigns/${id}`, { body: params, schema: ReplaceCampaignParamsSchema, response: CampaignSchema }, options);
  }

  /** `PATCH /v1/campaigns/:id`: any subset of the fields, each replaced whole (`streams` as on `replace`). */
  update(id: string, params: UpdateCampaignParams, options?: RequestOptions): Promise<Campaign> {
    return this.http.patch(path`/v1/campaigns/${id}`, { body: params, schema: UpdateCampaignParamsSchema, response: CampaignSchema }, options);
  }

  /** `DELETE /v1/campaigns/:id`: archives the campaign; its link answers 404 and its history stays. */
  archive(id: string, options?: RequestOptions): Promise<Campaign> {
    return this.http.delete(path`/v1/campaigns/${id}`, { response: CampaignSchema }, options);
  }

  /** `GET /v1/campaigns/:id/links`: the campaign URL for the traffic source (its placeholders literal) and the click URL. */
  links(id: string, options?: RequestOptions): Promise<CampaignLinks> {
    return this.http.get(path`/v1/campaigns/${id}/links`, { response: CampaignLinksSchema }, options);
  }
}
