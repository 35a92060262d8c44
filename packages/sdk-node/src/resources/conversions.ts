import {
  ConversionCreatedSchema,
  ConversionSchema,
  CreateConversionParamsSchema,
  ListConversionsQuerySchema,
  ListQuerySchema,
  UpdateConversionParamsSchema,
  type Conversion,
  type ConversionCreated,
  type CreateConversionParams,
  type UpdateConversionParams,
} from '@waypost/schema';
import type { z } from 'zod';
import type { RequestOptions } from '../client.js';
import { type HttpClient, path } from '../internal/http.js';
import type { ListParams, PagePromise } from '../pagination.js';

const ConversionFiltersSchema = ListConversionsQuerySchema.omit({ format: true });
const ListConversionsParamsSchema = ListQuerySchema.extend(ConversionFiltersSchema.shape);

export type ConversionFilters = z.input<typeof ConversionFiltersSchema>;
export type ListConversionsParams = ConversionFilters & ListParams;

/** Conversions: actions that may earn a payout. */
export class Conversions {
  constructor(private readonly http: HttpClient) {}

  /**
   * `POST /v1/conversions`, from checkout code: needs a `clickId` or a `couponCode` (with an `offerId` when
   * alone). Retries are safe: the `Idempotency-Key` makes the server record the conversion once. Resolves to the
   * outcome (`status`, `conversionId`, `reason`) and, when one was recorded or changed, the `conversion` itself.
   */
  create(params: CreateConversionParams, options?: RequestOptions): Promise<ConversionCreated> {
    return this.http.post('/v1/conversions', { body: params, schema: CreateConversionParamsSchema, response: ConversionCreatedSchema }, options);
  }

  /** `GET /v1/conversions`, filtered by offer, publisher, status, country, transaction id, coupon or dates. */
  list(params: ListConversionsParams = {}, options?: RequestOptions): PagePromise<Conversion> {
    return this.http.list('/v1/conversions', { query: params, schema: ListConversionsParamsSchema, item: ConversionSchema }, options);
  }

  /** `GET /v1/conversions/:id`. */
  retrieve(id: string, options?: RequestOptions): Promise<Conversion> {
    return this.http.get(path`/v1/conversions/${id}`, { response: ConversionSchema }, options);
  }

  /** `PATCH /v1/conversions/:id`: approve or reject; a refund is `{ status: 'rejected', reason: 'refund' }`. */
  update(id: string, params: UpdateConversionParams, options?: RequestOptions): Promise<Conversion> {
    return this.http.patch(path`/v1/conversions/${id}`, { body: params, schema: UpdateConversionParamsSchema, response: ConversionSchema }, options);
  }

  /** `GET /v1/conversions?format=csv`: the rows `list()` would return with the same filters, as CSV text. */
  exportCsv(params: ConversionFilters = {}, options?: RequestOptions): Promise<string> {
    return this.http.csv('/v1/conversions', { query: params, schema: ConversionFiltersSchema }, options);
  }
}
