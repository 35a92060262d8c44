import { AuditEntrySchema, ListAuditQuerySchema, ListQuerySchema, type AuditEntry } from '@waypost/schema';
import type { z } from 'zod';
import type { RequestOptions } from '../client.js';
import type { HttpClient } from '../internal/http.js';
import type { ListParams, PagePromise } from '../pagination.js';

const ListAuditParamsSchema = ListQuerySchema.extend(ListAuditQuerySchema.shape);

export type ListAuditParams = z.input<typeof ListAuditQuerySchema> & ListParams;

/** The audit log: who changed which record through the API, when, and what changed (secrets as `"[redacted]"`). */
export class Audit {
  constructor(private readonly http: HttpClient) {}

  /** `GET /v1/audit`, newest first, filtered by `recordType`, `recordId`, `actorId`, `from` or `to` (ISO timestamps). */
  list(params: ListAuditParams = {}, options?: RequestOptions): PagePromise<AuditEntry> {
    return this.http.list('/v1/audit', { query: params, schema: ListAuditParamsSchema, item: AuditEntrySchema }, options);
  }
}
