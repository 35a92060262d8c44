import type { ConversionStatus, DeliveryKind, DeliveryStatus, DeliveryTrigger } from '@waypost/schema';
import type { Row, SqlExecutor } from './driver.js';
import { offerWorkspaceCondition, paginate, str } from './sql-helpers.js';
import type { DeliveryMessage, DeliveryRecord, OutboxRepository } from './store.js';

const date = (ms: unknown) => (ms == null ? null : new Date(Number(ms)));
const time = (value: Date | null) => value?.getTime() ?? null;

function fromRow(row: Row): DeliveryRecord {
  return {
    id: String(row.id),
    trigger: row.trigger_event as DeliveryTrigger,
    conversionId: String(row.conversion_id),
    offerId: String(row.offer_id),
    publisherId: str(row.publisher_id),
    conversionStatus: row.conversion_status as ConversionStatus,
    message: JSON.parse(String(row.message)) as DeliveryMessage,
    status: row.status as DeliveryStatus,
    attempts: Number(row.attempts),
    nextAttemptAt: date(row.next_attempt_at),
    lastAttemptAt: date(row.last_attempt_at),
    lastResponseStatus: row.last_response_status == null ? null : Number(row.last_response_status),
    lastError: str(row.last_error),
    deliveredAt: date(row.delivered_at),
    createdAt: new Date(Number(row.created_at)),
    updatedAt: new Date(Number(row.updated_at)),
  };
}

/**
 * The outbox over a connection or a transaction. `enqueued` is told about every insert, so that the store can
 * wake the dispatcher once the enclosing transaction has committed.
 */
export function outboxRepository(db: SqlExecutor, enqueued: () => void): OutboxRepository {
  return {
    async enqueue(deliveries) {
      for (const d of deliveries) {
        await db.run(
          `INSERT INTO outbox (id, kind, trigger_event, conversion_id, offer_id, publisher_id, conversion_status, message, status,
             attempts, next_attempt_at, last_attempt_at, last_response_status, last_error, delivered_at, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            d.id,
            d.message.kind,
            d.trigger,
            d.conversionId,
            d.offerId,
            d.publisherId,
            d.conversionStatus,
            JSON.stringify(d.message),
            d.status,
            d.attempts,
            time(d.nextAttemptAt),
            time(d.lastAttemptAt),
            d.lastResponseStatus,
            d.lastError,
            time(d.deliveredAt),
            d.createdAt.getTime(),
            d.updatedAt.getTime(),
          ],
        );
      }
      if (deliveries.length > 0) enqueued();
    },
    async get(id) {
      const row = await db.get('SELECT * FROM outbox WHERE id = ?', [id]);
      return row ? fromRow(row) : undefined;
    },
    list(filter, page) {
      const where: string[] = [];
      const params: unknown[] = [];
      for (const [column, value] of [
        ['conversion_id', filter.conversionId],
        ['publisher_id', filter.publisherId],
        ['kind', filter.kind],
        ['status', filter.status],
      ] as const) {
        if (value === undefined) continue;
        where.push(`${column} = ?`);
        params.push(value);
      }
      if (filter.workspaces) where.push(offerWorkspaceCondition('offer_id', filter.workspaces, params));
      return paginate(db, { from: 'outbox', where, params }, page, fromRow);
    },
    async claimDue({ now, leaseUntil, token, limit, kinds }) {
      if (kinds.length === 0) return [];
      const due = await db.all<{ id: string }>(
        `SELECT id FROM outbox
         WHERE status = 'pending' AND next_attempt_at <= ? AND (locked_until IS NULL OR locked_until <= ?)
           AND kind IN (${kinds.map(() => '?').join(', ')})
         ORDER BY next_attempt_at LIMIT ?`,
        [now.getTime(), now.getTime(), ...kinds, limit],
      );
      const claimed: DeliveryRecord[] = [];
      for (const { id } of due) {
        // The WHERE is evaluated again on the locked row: of two senders racing for it, one updates it, the other 0 rows.
        const won = await db.run(
          `UPDATE outbox SET locked_until = ?, lock_token = ?
           WHERE id = ? AND status = 'pending' AND (locked_until IS NULL OR locked_until <= ?)`,
          [leaseUntil.getTime(), token, id, now.getTime()],
        );
        if (won === 0) continue;
        const row = await db.get('SELECT * FROM outbox WHERE id = ?', [id]);
        if (row) claimed.push(fromRow(row));
      }
      return claimed;
    },
    async recordAttempt(id, token, attempt) {
      const status: DeliveryStatus = attempt.outcome === 'retry' ? 'pending' : attempt.outcome;
      const changed = await db.run(
        `UPDATE outbox SET status = ?, attempts = attempts + 1, next_attempt_at = ?, last_attempt_at = ?, last_response_status = ?,
           last_error = ?, delivered_at = ?, locked_until = NULL, lock_token = NULL, updated_at = ?
         WHERE id = ? AND lock_token = ?`,
        [
          status,
          time(attempt.nextAttemptAt),
          attempt.at.getTime(),
          attempt.responseStatus,
          attempt.error,
          attempt.outcome === 'delivered' ? attempt.at.getTime() : null,
          attempt.at.getTime(),
          id,
          token,
        ],
      );
      return changed > 0;
    },
    async release(id, token) {
      await db.run('UPDATE outbox SET locked_until = NULL, lock_token = NULL WHERE id = ? AND lock_token = ?', [id, token]);
    },
    deleteFinishedBefore(before, limit) {
      // The status is checked again on the row itself, so a delivery made pending meanwhile is kept.
      return db.run(
        `DELETE FROM outbox WHERE id IN (
           SELECT id FROM outbox WHERE status IN ('delivered', 'failed') AND updated_at < ? ORDER BY updated_at LIMIT ?
         ) AND status IN ('delivered', 'failed')`,
        [before.getTime(), limit],
      );
    },
    async countPending() {
      // Pending rows are the partial index ix_outbox_due: the count reads the backlog, never the delivered log.
      const rows = await db.all<{ kind: DeliveryKind; n: number }>("SELECT kind, COUNT(*) AS n FROM outbox WHERE status = 'pending' GROUP BY kind");
      const pending: Record<DeliveryKind, number> = { postback: 0, email: 0 };
      for (const { kind, n } of rows) pending[kind] = Number(n);
      return pending;
    },
  };
}
