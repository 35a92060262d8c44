import { type AuditEntry, REDACTED } from '@waypost/schema';
import type { Auth } from '../http/auth.js';
import { newId } from '../ids.js';
import type { AuditRecord, Repositories } from '../storage/index.js';

/**
 * Fields whose values never reach the audit log, at any depth: tokens, secrets and hashes. That such a field changed is
 * still recorded, as `"[redacted]"` on both sides.
 */
const SECRET_FIELDS = new Set([
  'postbackToken',
  'postbackSecret',
  'secret',
  'hash',
  'key',
  'keyHash',
  'password',
  'passwordHash',
  'token',
  'tokenHash',
  'csrfToken',
]);

/** Bookkeeping fields that change with every write and say nothing of what changed. */
const IGNORED_FIELDS = new Set(['updatedAt']);

export interface AuditChangeParams {
  /** Such as `offer`, `publisher`, `affiliate_network`, `conversion`, `api_key`, `workspace`. */
  recordType: string;
  recordId: string;
  /** Such as `create`, `update`, `delete`, `archive`, `status_change`, `revoke`. */
  action: string;
  /** The record before the change; absent for a creation. */
  before?: object | null | undefined;
  /** The record after the change; absent for a deletion. */
  after?: object | null | undefined;
  /** @default now */
  at?: Date | undefined;
}

/**
 * Records one change made through `/v1` by `auth`'s actor. Call it with the transaction that makes the change, so that
 * the entry and the change commit or roll back together (README, Audit log). A public route names its actor itself,
 * such as the user who accepts an invite.
 */
export async function recordAudit(
  tx: Pick<Repositories, 'audit'>,
  auth: Auth | { actor: { type: 'key' | 'user'; id: string } },
  change: AuditChangeParams,
): Promise<void> {
  const at = change.at ?? new Date();
  await tx.audit.insert({
    id: newId('aud_', at),
    actorType: auth.actor.type,
    actorId: auth.actor.id,
    recordType: change.recordType,
    recordId: change.recordId,
    action: change.action,
    changes: auditChanges(change.before ?? null, change.after ?? null),
    createdAt: at,
  });
}

/** The top-level fields that differ between `before` and `after`, each with both values, secrets redacted. */
export function auditChanges(before: object | null, after: object | null): AuditRecord['changes'] {
  const from = (before ?? {}) as Record<string, unknown>;
  const to = (after ?? {}) as Record<string, unknown>;
  const changes: AuditRecord['changes'] = {};
  for (const field of new Set([...Object.keys(from), ...Object.keys(to)])) {
    if (IGNORED_FIELDS.has(field)) continue;
    const old = from[field] ?? null;
    const now = to[field] ?? null;
    if (JSON.stringify(old) === JSON.stringify(now)) continue;
    changes[field] = SECRET_FIELDS.has(field)
      ? { before: old === null ? null : REDACTED, after: now === null ? null : REDACTED }
      : { before: redact(old), after: redact(now) };
  }
  return changes;
}

function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([name, inner]) => [name, SECRET_FIELDS.has(name) && inner != null ? REDACTED : redact(inner)]));
}

export function auditToWire(entry: AuditRecord): AuditEntry {
  return {
    id: entry.id,
    actor: { type: entry.actorType, id: entry.actorId },
    recordType: entry.recordType,
    recordId: entry.recordId,
    action: entry.action,
    changes: entry.changes,
    createdAt: entry.createdAt.toISOString(),
  };
}
