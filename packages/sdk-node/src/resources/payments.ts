import { CreatePaymentParamsSchema, IdSchema, ListQuerySchema, PaymentSchema, type CreatePaymentParams, type Payment } from '@waypost/schema';
import { z } from 'zod';
import type { RequestOptions } from '../client.js';
import { type HttpClient, path } from '../internal/http.js';
import type { ListParams, PagePromise } from '../pagination.js';

// The shared contract has no query schema for this list yet; these are the filters the server is expected to take.
const PaymentFiltersSchema = z.object({
  publisherId: IdSchema.optional(),
  status: PaymentSchema.shape.status.optional(),
});
const ListPaymentsParamsSchema = ListQuerySchema.extend(PaymentFiltersSchema.shape);

export type ListPaymentsParams = z.input<typeof PaymentFiltersSchema> & ListParams;

/** Payments: a publisher's approved payouts gathered for payment. */
export class Payments {
  constructor(private readonly http: HttpClient) {}

  /** `POST /v1/payments` (admin): gathers the publisher's approved, unpaid payouts into a `pending` payment. */
  create(params: CreatePaymentParams, options?: RequestOptions): Promise<Payment> {
    return this.http.post('/v1/payments', { body: params, schema: CreatePaymentParamsSchema, response: PaymentSchema }, options);
  }

  /** `POST /v1/payments/:id/approve` (admin): you have paid it through your own system; its payouts are paid. */
  approve(id: string, options?: RequestOptions): Promise<Payment> {
    return this.http.post(path`/v1/payments/${id}/approve`, { response: PaymentSchema }, options);
  }

  /** `GET /v1/payments`. */
  list(params: ListPaymentsParams = {}, options?: RequestOptions): PagePromise<Payment> {
    return this.http.list('/v1/payments', { query: params, schema: ListPaymentsParamsSchema, item: PaymentSchema }, options);
  }

  /** `GET /v1/payments/:id`. */
  retrieve(id: string, options?: RequestOptions): Promise<Payment> {
    return this.http.get(path`/v1/payments/${id}`, { response: PaymentSchema }, options);
  }
}
