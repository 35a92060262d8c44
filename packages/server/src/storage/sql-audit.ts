import type { Row, SqlExecutor } from './driver.js';
import { paginate } from './sql-helpers.js';
import type { AuditRecord, AuditRepository } from './store.js';

export function auditRepository(db: SqlExecutor): AuditRepository {
  const fromRow = (row: Row): AuditRecord => ({
    id: String(row.id),
    actorType: row.actor_type as AuditRecord['actorType'],
    actorId: String(row.actor_id),
    recordType: String(row.record_type),
    recordId: String(row.record_id),
    action: String(row.action),
    changes: JSON.parse(String(row.changes)) as AuditRecord['changes'],
    createdAt: new Date(Number(row.created_at)),
  });
  return {
    async insert(entry) {
      await db.run(
        'INSERT INTO audit_log (id, actor_type, actor_id, record_type, record_id, action, changes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        [entry.id, entry.actorType, entry.actorId, entry.recordType, entry.recordId, entry.action, JSON.stringify(entry.changes), entry.createdAt.getTime()],
      );
    },
    list(filter, page) {
      const where: string[] = [];
      const params: unknown[] = [];
      for (const [column, op, value] of [
        ['record_type', '=', filter.recordType],
        ['record_id', '=', filter.recordId],
        ['actor_id', '=', filter.actorId],
        ['created_at', '>=', filter.from?.getTime()],
        ['created_at', '<', filter.to?.getTime()],
      ] as const) {
        if (value === undefined) continue;
        where.push(`${column} ${op} ?`);
        params.push(value);
      }
      return paginate(db, { from: 'audit_log', where, params }, page, fromRow);
    },
  };
}
