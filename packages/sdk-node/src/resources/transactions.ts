import { ConversionSchema, CreateTransactionParamsSchema, type Conversion, type CreateTransactionParams } from '@waypost/schema';
import type { RequestOptions } from '../client.js';
import type { HttpClient } from '../internal/http.js';

/** Manual transactions: sales recorded without a click, such as phone orders. */
export class Transactions {
  constructor(private readonly http: HttpClient) {}

  /**
   * `POST /v1/transactions` (admin): records a conversion with `source: "manual"` and no click; the payout
   * follows the offer's rules as for any conversion.
   */
  create(params: CreateTransactionParams, options?: RequestOptions): Promise<Conversion> {
    return this.http.post('/v1/transactions', { body: params, schema: CreateTransactionParamsSchema, response: ConversionSchema }, options);
  }
}
