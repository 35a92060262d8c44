import type { PromoCodeRequest } from '@waypost/schema';
import type { Row, SqlExecutor } from './driver.js';
import { iso, isoOrNull, offerWorkspaceCondition, paginate, str } from './sql-helpers.js';
import type { PromoCodeRequestRepository } from './store.js';

export function promoCodeRequestRepository(db: SqlExecutor): PromoCodeRequestRepository {
  const fromRow = (row: Row): PromoCodeRequest => ({
    id: String(row.id),
    offerId: String(row.offer_id),
    publisherId: String(row.publisher_id),
    platform: String(row.platform),
    status: row.status as PromoCodeRequest['status'],
    code: str(row.code),
    reason: str(row.reason),
    decidedAt: isoOrNull(row.decided_at),
    createdAt: iso(row.created_at),
  });
  return {
    async insert(request) {
      await db.run(
        `INSERT INTO promo_code_requests (id, offer_id, publisher_id, platform, platform_key, status, code, reason, decided_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          request.id,
          request.offerId,
          request.publisherId,
          request.platform,
          request.platform.toLowerCase(),
          request.status,
          request.code,
          request.reason,
          request.decidedAt === null ? null : Date.parse(request.decidedAt),
          Date.parse(request.createdAt),
        ],
      );
    },
    async get(id) {
      const row = await db.get('SELECT * FROM promo_code_requests WHERE id = ?', [id]);
      return row ? fromRow(row) : undefined;
    },
    list(filter, page) {
      const where: string[] = [];
      const params: unknown[] = [];
      for (const [column, value] of [
        ['status', filter.status],
        ['publisher_id', filter.publisherId],
        ['offer_id', filter.offerId],
      ] as const) {
        if (value === undefined) continue;
        where.push(`${column} = ?`);
        params.push(value);
      }
      if (filter.decidedSince) {
        where.push('(decided_at IS NULL OR decided_at >= ?)');
        params.push(filter.decidedSince.getTime());
      }
      if (filter.workspaces) where.push(offerWorkspaceCondition('offer_id', filter.workspaces, params));
      return paginate(db, { from: 'promo_code_requests', where, params }, page, fromRow);
    },
    async decide(id, decision) {
      const changed = await db.run(
        "UPDATE promo_code_requests SET status = ?, code = ?, reason = ?, decided_at = ? WHERE id = ? AND status = 'moderation'",
        [decision.status, decision.code, decision.reason, decision.at.getTime(), id],
      );
      return changed > 0;
    },
  };
}
