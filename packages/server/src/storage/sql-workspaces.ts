import type { Workspace } from '@waypost/schema';
import type { Row, SqlExecutor } from './driver.js';
import { FIRST_WORKSPACE_ID } from './migrations.js';
import { iso, paginate, workspaceCondition } from './sql-helpers.js';
import type { WorkspaceRepository } from './store.js';

/**
 * The tables whose rows belong to a workspace, which a workspace must not be deleted from under, each with the condition
 * of a row that still counts (a revoked key limits nothing). Archived records count: their clicks and reports stay.
 * Each new resource that carries `workspace_id` adds its table here.
 */
export const WORKSPACE_TABLES: Readonly<Record<string, string>> = {
  offers: 'TRUE',
  affiliate_networks: 'TRUE',
  api_keys: 'revoked_at IS NULL',
  traffic_sources: 'TRUE',
  landers: 'TRUE',
  campaigns: 'TRUE',
};

export function workspaceRepository(db: SqlExecutor): WorkspaceRepository {
  const fromRow = (row: Row): Workspace => ({
    id: String(row.id),
    name: String(row.name),
    visibility: row.visibility as Workspace['visibility'],
    createdAt: iso(row.created_at),
  });
  return {
    async insert(workspace) {
      const at = Date.parse(workspace.createdAt);
      await db.run('INSERT INTO workspaces (id, name, name_key, visibility, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)', [
        workspace.id,
        workspace.name,
        workspace.name.toLowerCase(),
        workspace.visibility,
        at,
        at,
      ]);
    },
    async get(id) {
      const row = await db.get('SELECT * FROM workspaces WHERE id = ?', [id]);
      return row ? fromRow(row) : undefined;
    },
    list(filter, page) {
      const params: unknown[] = [];
      const where = filter.workspaces ? [workspaceCondition('id', filter.workspaces, params)] : [];
      return paginate(db, { from: 'workspaces', where, params }, page, fromRow);
    },
    async first() {
      // The one migration 10 made, which cannot be deleted; the oldest in case a database was made otherwise.
      const row = await db.get('SELECT * FROM workspaces ORDER BY CASE WHEN id = ? THEN 0 ELSE 1 END, created_at, id LIMIT 1', [FIRST_WORKSPACE_ID]);
      // Migration 10 creates one and the API refuses to delete the first.
      if (!row) throw new Error('no workspace: the database is not migrated');
      return fromRow(row);
    },
    async update(workspace, at) {
      const changed = await db.run('UPDATE workspaces SET name = ?, name_key = ?, visibility = ?, updated_at = ? WHERE id = ?', [
        workspace.name,
        workspace.name.toLowerCase(),
        workspace.visibility,
        at.getTime(),
        workspace.id,
      ]);
      return changed > 0;
    },
    async holdsRecords(id) {
      const row = await db.get<{ n: number }>(
        `SELECT ${Object.entries(WORKSPACE_TABLES)
          .map(([table, counts]) => `(SELECT COUNT(*) FROM (SELECT 1 FROM ${table} WHERE workspace_id = ? AND ${counts} LIMIT 1) t)`)
          .join(' + ')} AS n`,
        Object.keys(WORKSPACE_TABLES).map(() => id),
      );
      return Number(row?.n ?? 0) > 0;
    },
    async referencedFromOutside(id) {
      const campaign = await db.get<{ campaign_id: string }>(
        `SELECT r.campaign_id FROM campaign_references r JOIN campaigns c ON c.id = r.campaign_id
         WHERE c.workspace_id <> ? AND c.archived_at IS NULL AND (
           (r.kind = 'offer' AND r.ref_id IN (SELECT id FROM offers WHERE workspace_id = ?))
           OR (r.kind = 'lander' AND r.ref_id IN (SELECT id FROM landers WHERE workspace_id = ?))
           OR (r.kind = 'trafficSource' AND r.ref_id IN (SELECT id FROM traffic_sources WHERE workspace_id = ?))
           OR (r.kind = 'campaign' AND r.ref_id IN (SELECT id FROM campaigns WHERE workspace_id = ?)))
         ORDER BY r.campaign_id LIMIT 1`,
        [id, id, id, id, id],
      );
      if (campaign) return { recordType: 'campaign', id: String(campaign.campaign_id) };
      // An offer's references live in its configuration document, so they are read here rather than joined.
      const inside = new Set(
        (await db.all<{ id: string }>('SELECT id FROM offers WHERE workspace_id = ? UNION ALL SELECT id FROM affiliate_networks WHERE workspace_id = ?', [id, id])).map(
          (row) => String(row.id),
        ),
      );
      if (inside.size === 0) return undefined;
      for (const row of await db.all<{ id: string; config: string }>('SELECT id, config FROM offers WHERE workspace_id <> ? AND archived_at IS NULL ORDER BY id', [id])) {
        const config = JSON.parse(String(row.config)) as { affiliateNetworkId?: string | null; cap?: { fallbackOfferId?: string } | null };
        const named = [config.affiliateNetworkId, config.cap?.fallbackOfferId];
        if (named.some((ref) => ref != null && inside.has(ref))) return { recordType: 'offer', id: String(row.id) };
      }
      return undefined;
    },
    async delete(id) {
      // Memberships are not records: they go with the workspace.
      await db.run('DELETE FROM user_workspaces WHERE workspace_id = ?', [id]);
      return (await db.run('DELETE FROM workspaces WHERE id = ?', [id])) > 0;
    },
  };
}
