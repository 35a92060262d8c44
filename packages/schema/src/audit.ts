import { z } from 'zod';
import { IdSchema, TimestampSchema } from './primitives.js';

/** The value that stands in for a secret in an audit entry: that it changed is recorded, never what it is. */
export const REDACTED = '[redacted]';

export const AuditActorSchema = z.object({
  type: z.enum(['key', 'user']),
  id: z.string(),
});
export type AuditActor = z.infer<typeof AuditActorSchema>;

/** One changed field: its value before and after (null when the record did not or no longer exists). */
export const AuditChangeSchema = z.object({ before: z.unknown(), after: z.unknown() });
export type AuditChange = z.infer<typeof AuditChangeSchema>;

export const AuditEntrySchema = z.object({
  id: IdSchema,
  actor: AuditActorSchema,
  /** Such as `offer`, `publisher`, `affiliate_network`, `conversion`, `api_key`, `workspace`. */
  recordType: z.string(),
  recordId: z.string(),
  /** Such as `create`, `update`, `delete`, `archive`, `status_change`, `revoke`. */
  action: z.string(),
  /** The fields that changed, by name; secrets are `"[redacted]"`. */
  changes: z.record(z.string(), AuditChangeSchema),
  createdAt: TimestampSchema,
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const ListAuditQuerySchema = z.object({
  recordType: z.string().max(64).optional(),
  recordId: z.string().max(64).optional(),
  actorId: z.string().max(64).optional(),
  /** Entries at or after this time. */
  from: TimestampSchema.optional(),
  /** Entries before this time. */
  to: TimestampSchema.optional(),
});
export type ListAuditQuery = z.infer<typeof ListAuditQuerySchema>;
