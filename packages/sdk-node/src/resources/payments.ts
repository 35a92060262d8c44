import {
  CreatePaymentParamsSchema,
  ListPaymentsQuerySchema,
  ListQuerySchema,
  PaymentItemSchema,
  PaymentSchema,
  type CreatePaymentParams,
  type Payment,
  type PaymentItem,
} from '@waypost/schema';
import type { z } from 'zod';
import type { RequestOptions } from '../client.js';
import { type HttpClient, path } from '../internal/http.js';
import type { ListParams, PagePromise } from '../pagination.js';

const ListPaymentsParamsSchema = ListQuerySchema.extend(ListPaymentsQuerySchema.shape);

export type ListPaymentsParams = z.input<typeof ListPaymentsQuerySchema> & ListParams;

/** Payments: a publisher's approved payouts gathered for payment. */
export class Payments {
  constructor(private readonly http: HttpClient) {}

  /**
   * `POST /v1/payments` (admin): gathers the publisher's approved, unpaid payouts, and the negative adjustments it
   * owes, into a `pending` payment. Throws a `WaypostConflictError` (`nothing_payable`) when there is nothing to pay.
   */
  create(params: CreatePaymentParams, options?: RequestOptions): Promise<Payment> {
    return this.http.post('/v1/payments', { body: params, schema: CreatePaymentParamsSchema, response: PaymentSchema }, options);
  }

  /** `POST /v1/payments/:id/approve` (admin): you have paid it through your own system; its payouts are paid. */
  approve(id: string, options?: RequestOptions): Promise<Payment> {
    return this.http.post(path`/v1/payments/${id}/approve`, { response: PaymentSchema }, options);
  }

  /** `GET /v1/payments`, filtered by `publisherId` or `status` (a publisher key sees its own). */
  list(params: ListPaymentsParams = {}, options?: RequestOptions): PagePromise<Payment> {
    return this.http.list('/v1/payments', { query: params, schema: ListPaymentsParamsSchema, item: PaymentSchema }, options);
  }

  /** `GET /v1/payments/:id`. */
  retrieve(id: string, options?: RequestOptions): Promise<Payment> {
    return this.http.get(path`/v1/payments/${id}`, { response: PaymentSchema }, options);
  }

  /** `GET /v1/payments/:id/items`: the payouts and negative adjustments in a payment. */
  items(id: string, params: ListParams = {}, options?: RequestOptions): PagePromise<PaymentItem> {
    return this.http.list(path`/v1/payments/${id}/items`, { query: params, schema: ListQuerySchema, item: PaymentItemSchema }, options);
  }
}
