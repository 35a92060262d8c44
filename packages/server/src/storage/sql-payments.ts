import type { Row, SqlExecutor } from './driver.js';
import { paginate } from './sql-helpers.js';
import type { PaymentItemRecord, PaymentRecord, PaymentRepository } from './store.js';

const date = (ms: unknown) => new Date(Number(ms));
const num = (value: unknown) => Number(value ?? 0);

/** Payouts no payment holds yet: approved, released by any threshold, and worth something in the account currency. */
const UNCLAIMED_PAYOUTS = `FROM conversions c
  WHERE c.publisher_id = ? AND c.status = 'approved' AND c.payout_state = 'payable' AND c.payout_account <> 0
    AND NOT EXISTS (SELECT 1 FROM payment_items i WHERE i.conversion_id = c.id AND i.kind = 'payout')`;

/** Payouts an approved payment paid whose conversion was rejected since, and that no adjustment took back yet. */
const OWED_ADJUSTMENTS = `FROM payment_items i
  JOIN payments p ON p.id = i.payment_id
  JOIN conversions c ON c.id = i.conversion_id
  WHERE p.publisher_id = ? AND p.status = 'approved' AND i.kind = 'payout' AND c.status = 'rejected'
    AND NOT EXISTS (SELECT 1 FROM payment_items a WHERE a.conversion_id = i.conversion_id AND a.kind = 'adjustment')`;

export function paymentRepository(db: SqlExecutor): PaymentRepository {
  const fromRow = (row: Row): PaymentRecord => ({
    id: String(row.id),
    publisherId: String(row.publisher_id),
    status: row.status as PaymentRecord['status'],
    currency: String(row.currency),
    total: num(row.total),
    conversionCount: num(row.conversion_count),
    adjustmentCount: num(row.adjustment_count),
    adjustmentTotal: num(row.adjustment_total),
    createdAt: date(row.created_at),
    approvedAt: row.approved_at == null ? null : date(row.approved_at),
  });
  const itemFromRow = (row: Row): PaymentItemRecord => ({
    paymentId: String(row.payment_id),
    conversionId: String(row.conversion_id),
    kind: row.kind as PaymentItemRecord['kind'],
    amount: num(row.amount),
    createdAt: date(row.created_at),
  });
  const get = async (id: string) => {
    const row = await db.get('SELECT * FROM payments WHERE id = ?', [id]);
    return row ? fromRow(row) : undefined;
  };

  return {
    async gather({ id, publisherId, currency, at }) {
      const ms = at.getTime();
      await db.run(
        `INSERT INTO payments (id, publisher_id, status, currency, total, conversion_count, adjustment_count, adjustment_total, created_at, approved_at)
         VALUES (?, ?, 'pending', ?, 0, 0, 0, 0, ?, NULL)`,
        [id, publisherId, currency, ms],
      );
      // ON CONFLICT DO NOTHING is the claim: a line another payment inserted first, committed or not, is skipped
      // (PostgreSQL waits for the other transaction, then skips). Claiming in id order keeps two claimers from deadlocking.
      await db.run(
        `INSERT INTO payment_items (payment_id, conversion_id, kind, amount, created_at)
         SELECT ?, c.id, 'payout', c.payout_account, ? ${UNCLAIMED_PAYOUTS}
         ORDER BY c.id ON CONFLICT DO NOTHING`,
        [id, ms, publisherId],
      );
      await db.run(
        `INSERT INTO payment_items (payment_id, conversion_id, kind, amount, created_at)
         SELECT ?, i.conversion_id, 'adjustment', -i.amount, ? ${OWED_ADJUSTMENTS}
         ORDER BY i.conversion_id ON CONFLICT DO NOTHING`,
        [id, ms, publisherId],
      );
      await db.run(
        `UPDATE payments SET
           total = (SELECT COALESCE(SUM(amount), 0) FROM payment_items WHERE payment_id = ?),
           conversion_count = (SELECT COUNT(*) FROM payment_items WHERE payment_id = ? AND kind = 'payout'),
           adjustment_count = (SELECT COUNT(*) FROM payment_items WHERE payment_id = ? AND kind = 'adjustment'),
           adjustment_total = (SELECT COALESCE(SUM(amount), 0) FROM payment_items WHERE payment_id = ? AND kind = 'adjustment')
         WHERE id = ?`,
        [id, id, id, id, id],
      );
      await db.run(
        `UPDATE conversions SET payment_id = ?, updated_at = ?
         WHERE id IN (SELECT conversion_id FROM payment_items WHERE payment_id = ? AND kind = 'payout')`,
        [id, ms, id],
      );
      return (await get(id))!;
    },
    get,
    list(filter, page) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (filter.publisherId !== undefined) where.push('publisher_id = ?') && params.push(filter.publisherId);
      if (filter.status !== undefined) where.push('status = ?') && params.push(filter.status);
      return paginate(db, { from: 'payments', where, params }, page, fromRow);
    },
    async items(paymentId, page) {
      const rows = await db.all(
        `SELECT * FROM payment_items WHERE payment_id = ?${page.cursor ? ' AND conversion_id < ?' : ''} ORDER BY conversion_id DESC LIMIT ?`,
        page.cursor ? [paymentId, page.cursor, page.limit + 1] : [paymentId, page.limit + 1],
      );
      const data = rows.slice(0, page.limit).map(itemFromRow);
      return { data, nextCursor: rows.length > page.limit ? (data.at(-1)?.conversionId ?? null) : null };
    },
    async approve(id, at) {
      const changed = await db.run("UPDATE payments SET status = 'approved', approved_at = ? WHERE id = ? AND status = 'pending'", [
        at.getTime(),
        id,
      ]);
      if (changed === 0) return false;
      await db.run(
        `UPDATE conversions SET payout_state = 'paid', updated_at = ?
         WHERE id IN (SELECT conversion_id FROM payment_items WHERE payment_id = ? AND kind = 'payout') AND payout_state = 'payable'`,
        [at.getTime(), id],
      );
      return true;
    },
    async balance(publisherId) {
      // One statement, so that every figure comes from the same snapshot.
      const row = await db.get(
        `SELECT
           (SELECT COALESCE(SUM(payout_account), 0) FROM conversions
             WHERE publisher_id = ? AND status <> 'rejected' AND payout_state = 'accruing') AS accruing,
           (SELECT COALESCE(SUM(payout_account), 0) FROM conversions
             WHERE publisher_id = ? AND status = 'pending' AND payout_state = 'payable') AS pending,
           (SELECT COALESCE(SUM(c.payout_account), 0) ${UNCLAIMED_PAYOUTS}) AS unclaimed,
           (SELECT COALESCE(SUM(total), 0) FROM payments WHERE publisher_id = ? AND status = 'pending') AS gathered,
           (SELECT COALESCE(SUM(-i.amount), 0) ${OWED_ADJUSTMENTS}) AS owed,
           (SELECT COALESCE(SUM(total), 0) FROM payments WHERE publisher_id = ? AND status = 'approved') AS paid`,
        [publisherId, publisherId, publisherId, publisherId, publisherId, publisherId],
      );
      return {
        accruing: num(row?.accruing),
        pending: num(row?.pending),
        approved: num(row?.unclaimed) + num(row?.gathered) + num(row?.owed),
        paid: num(row?.paid),
      };
    },
  };
}
