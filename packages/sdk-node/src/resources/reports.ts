import { ReportQuerySchema, ReportSchema, type Report, type ReportDimension } from '@waypost/schema';
import { z } from 'zod';
import type { RequestOptions } from '../client.js';
import type { HttpClient } from '../internal/http.js';

// JSON only (CSV would be a different return type), and `groupBy` also as an array: `['day', 'offer']`.
const ReportParamsSchema = ReportQuerySchema.omit({ format: true }).extend({
  groupBy: z.preprocess((value) => (Array.isArray(value) ? value.join(',') : value), ReportQuerySchema.shape.groupBy),
});

export type ReportParams = Omit<z.input<typeof ReportQuerySchema>, 'format' | 'groupBy'> & {
  /** Dimensions of the rows: `['day', 'offer']` or `'day,offer'`. Without it, the report is one row of totals. */
  groupBy?: ReportDimension[] | string;
};

/** Reports: clicks, conversions, revenue, payout and profit per day, offer, publisher, country, sub id or coupon. */
export class Reports {
  constructor(private readonly http: HttpClient) {}

  /** `GET /v1/reports`: `rows` per `groupBy` combination, and `totals`. */
  get(params: ReportParams, options?: RequestOptions): Promise<Report> {
    return this.http.get('/v1/reports', { query: params, schema: ReportParamsSchema, response: ReportSchema }, options);
  }
}
