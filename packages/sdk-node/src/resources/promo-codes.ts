import {
  CreatePromoCodeRequestParamsSchema,
  DecidePromoCodeRequestParamsSchema,
  ListPromoCodeRequestsQuerySchema,
  ListPromoCodesQuerySchema,
  ListQuerySchema,
  PromoCodeRequestSchema,
  PromoCodeSchema,
  type CreatePromoCodeRequestParams,
  type DecidePromoCodeRequestParams,
  type PromoCode,
  type PromoCodeRequest,
} from '@waypost/schema';
import type { z } from 'zod';
import type { RequestOptions } from '../client.js';
import { type HttpClient, path } from '../internal/http.js';
import type { ListParams, PagePromise } from '../pagination.js';

const ListPromoCodeRequestsParamsSchema = ListQuerySchema.extend(ListPromoCodeRequestsQuerySchema.shape);
const ListPromoCodesParamsSchema = ListQuerySchema.extend(ListPromoCodesQuerySchema.shape);

export type ListPromoCodeRequestsParams = z.input<typeof ListPromoCodeRequestsQuerySchema> & ListParams;
export type ListPromoCodesParams = z.input<typeof ListPromoCodesQuerySchema> & ListParams;

/** Publishers' requests for a promo code, and the merchant's decisions on them. */
export class PromoCodeRequests {
  constructor(private readonly http: HttpClient) {}

  /** `POST /v1/promo-codes/requests` (admin, or the publisher's own key): starts in `moderation`. */
  create(params: CreatePromoCodeRequestParams, options?: RequestOptions): Promise<PromoCodeRequest> {
    return this.http.post('/v1/promo-codes/requests', { body: params, schema: CreatePromoCodeRequestParamsSchema, response: PromoCodeRequestSchema }, options);
  }

  /** `POST /v1/promo-codes/requests/:id/decision` (admin): `confirm` issues the given or a generated code. */
  decide(id: string, params: DecidePromoCodeRequestParams, options?: RequestOptions): Promise<PromoCodeRequest> {
    return this.http.post(path`/v1/promo-codes/requests/${id}/decision`, { body: params, schema: DecidePromoCodeRequestParamsSchema, response: PromoCodeRequestSchema }, options);
  }

  /** `GET /v1/promo-codes/requests/:id`. */
  retrieve(id: string, options?: RequestOptions): Promise<PromoCodeRequest> {
    return this.http.get(path`/v1/promo-codes/requests/${id}`, { response: PromoCodeRequestSchema }, options);
  }

  /** `GET /v1/promo-codes/requests`; decided requests drop out after 14 days unless `includeExpired: 'true'`. */
  list(params: ListPromoCodeRequestsParams = {}, options?: RequestOptions): PagePromise<PromoCodeRequest> {
    return this.http.list('/v1/promo-codes/requests', { query: params, schema: ListPromoCodeRequestsParamsSchema, item: PromoCodeRequestSchema }, options);
  }
}

/** Promo codes: coupons that attribute a sale to a publisher without a click. */
export class PromoCodes {
  readonly requests: PromoCodeRequests;

  constructor(private readonly http: HttpClient) {
    this.requests = new PromoCodeRequests(http);
  }

  /** `GET /v1/promo-codes`: confirmed codes, filtered by `offerId` or `publisherId` (a publisher key sees its own). */
  list(params: ListPromoCodesParams = {}, options?: RequestOptions): PagePromise<PromoCode> {
    return this.http.list('/v1/promo-codes', { query: params, schema: ListPromoCodesParamsSchema, item: PromoCodeSchema }, options);
  }
}
