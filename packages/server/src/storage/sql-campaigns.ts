import type { Campaign, Lander, TrafficSource } from '@waypost/schema';
import type { Row, SqlExecutor } from './driver.js';
import type { Atomic } from './sql-store.js';
import { iso, isoOrNull, paginate, workspaceCondition } from './sql-helpers.js';
import { archiveFromColumn } from './sql-local-files.js';
import type {
  CampaignFilter,
  CampaignReferenceKind,
  CampaignRepository,
  CampaignResourceFilter,
  LanderRepository,
  TrafficSourceRepository,
} from './store.js';

/*
 * Traffic sources, landers and campaigns (README, Campaigns). Each is one JSON document in `config`, beside the columns
 * that lists and lookups read; a campaign's streams live in its document, so a replacement is one row write.
 */

const ms = (value: string): number => Date.parse(value);
const like = (q: string) => `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The conditions every list of these records shares. */
function listConditions(filter: CampaignResourceFilter): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (!filter.includeArchived) where.push('archived_at IS NULL');
  if (filter.q) where.push("lower(name) LIKE ? ESCAPE '\\'") && params.push(like(filter.q));
  if (filter.workspaces) where.push(workspaceCondition('workspace_id', filter.workspaces, params));
  return { where, params };
}

/** The fields kept as columns; the rest of the record is its JSON document. */
type Columns = 'id' | 'name' | 'workspaceId' | 'archivedAt' | 'createdAt' | 'updatedAt';

/**
 * A repository for a record stored as columns plus a document: traffic sources, landers and keyword sets. With
 * `archive`, the record's local archive (README, Local landers and offers) is read from its own column and never
 * written here: uploads switch it (storage/sql-local-files.ts).
 */
export function documentRepository<T extends { id: string; name: string; workspaceId: string; archivedAt: string | null; createdAt: string; updatedAt: string }>(
  db: SqlExecutor,
  table: string,
  { archive = false } = {},
) {
  const fromRow = (row: Row): T =>
    ({
      id: String(row.id),
      name: String(row.name),
      ...(JSON.parse(String(row.config)) as Omit<T, Columns>),
      ...(archive ? { archive: archiveFromColumn(row.archive) } : {}),
      workspaceId: String(row.workspace_id),
      archivedAt: isoOrNull(row.archived_at),
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
    }) as T;
  const values = ({ id, name, workspaceId, archivedAt, createdAt: _, updatedAt, ...config }: T) => [
    name,
    workspaceId,
    JSON.stringify({ ...config, archive: undefined }),
    archivedAt ? ms(archivedAt) : null,
    ms(updatedAt),
    id,
  ];
  return {
    async insert(record: T) {
      await db.run(`INSERT INTO ${table} (name, workspace_id, config, archived_at, updated_at, id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`, [
        ...values(record),
        ms(record.createdAt),
      ]);
    },
    async get(id: string) {
      const row = await db.get(`SELECT * FROM ${table} WHERE id = ?`, [id]);
      return row ? fromRow(row) : undefined;
    },
    list(filter: CampaignResourceFilter, page: { limit: number; cursor?: string | undefined }) {
      return paginate(db, { from: table, ...listConditions(filter) }, page, fromRow);
    },
    async update(record: T) {
      return (await db.run(`UPDATE ${table} SET name = ?, workspace_id = ?, config = ?, archived_at = ?, updated_at = ? WHERE id = ?`, values(record))) > 0;
    },
  };
}

export function trafficSourceRepository(db: SqlExecutor): TrafficSourceRepository {
  const documents = documentRepository<TrafficSource>(db, 'traffic_sources');
  // A source written before sources had a secret has none in its document: it reads as unsigned.
  const withSecret = (source: TrafficSource): TrafficSource => ({ ...source, postbackSecret: source.postbackSecret ?? null });
  return {
    ...documents,
    async get(id) {
      const source = await documents.get(id);
      return source && withSecret(source);
    },
    async list(filter, page) {
      const listed = await documents.list(filter, page);
      return { ...listed, data: listed.data.map(withSecret) };
    },
  };
}

export function landerRepository(db: SqlExecutor): LanderRepository {
  return documentRepository<Lander>(db, 'landers', { archive: true });
}

/** Every record a campaign names, as (kind, id) pairs without repeats. */
function referencesOf(campaign: Campaign): [CampaignReferenceKind, string][] {
  const pairs = new Map<string, [CampaignReferenceKind, string]>();
  const add = (kind: CampaignReferenceKind, id: string) => pairs.set(`${kind}\u0000${id}`, [kind, id]);
  if (campaign.trafficSourceId) add('trafficSource', campaign.trafficSourceId);
  for (const { action } of campaign.streams) {
    if (action.type === 'flow') {
      for (const { landerId } of action.landers) add('lander', landerId);
      for (const { offerId } of action.offers) add('offer', offerId);
    } else if (action.type === 'campaign') {
      add('campaign', action.campaignId);
    }
  }
  return [...pairs.values()];
}

export function campaignRepository(db: SqlExecutor, atomic: Atomic): CampaignRepository {
  const fromRow = (row: Row): Campaign => ({
    id: String(row.id),
    name: String(row.name),
    ...(JSON.parse(String(row.config)) as Omit<Campaign, Columns | 'alias' | 'status' | 'trafficSourceId'>),
    alias: row.alias == null ? null : String(row.alias),
    status: row.status as Campaign['status'],
    trafficSourceId: row.traffic_source_id == null ? null : String(row.traffic_source_id),
    workspaceId: String(row.workspace_id),
    archivedAt: isoOrNull(row.archived_at),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  });
  const values = ({ id, name, alias, status, trafficSourceId, workspaceId, archivedAt, createdAt: _, updatedAt, ...config }: Campaign) => [
    name,
    alias,
    alias?.toLowerCase() ?? null,
    status,
    workspaceId,
    trafficSourceId,
    JSON.stringify(config),
    archivedAt ? ms(archivedAt) : null,
    ms(updatedAt),
    id,
  ];
  const setReferences = async (tx: SqlExecutor, campaign: Campaign) => {
    await tx.run('DELETE FROM campaign_references WHERE campaign_id = ?', [campaign.id]);
    for (const [kind, refId] of referencesOf(campaign)) {
      await tx.run('INSERT INTO campaign_references (kind, ref_id, campaign_id) VALUES (?, ?, ?)', [kind, refId, campaign.id]);
    }
  };
  return {
    async insert(campaign) {
      await atomic(async (tx) => {
        await tx.run(
          `INSERT INTO campaigns (name, alias, alias_key, status, workspace_id, traffic_source_id, config, archived_at, updated_at, id, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [...values(campaign), ms(campaign.createdAt)],
        );
        await setReferences(tx, campaign);
      });
    },
    async get(id) {
      const row = await db.get('SELECT * FROM campaigns WHERE id = ?', [id]);
      return row ? fromRow(row) : undefined;
    },
    async getByIdOrAlias(idOrAlias) {
      // Aliases cannot start with "cmp_" (CampaignAliasSchema), so one indexed read answers either way.
      const row = /^cmp_/.test(idOrAlias)
        ? await db.get('SELECT * FROM campaigns WHERE id = ? AND archived_at IS NULL', [idOrAlias])
        : await db.get('SELECT * FROM campaigns WHERE alias_key = ? AND archived_at IS NULL', [idOrAlias.toLowerCase()]);
      return row ? fromRow(row) : undefined;
    },
    list(filter: CampaignFilter, page) {
      const { where, params } = listConditions(filter);
      if (filter.status) where.push('status = ?') && params.push(filter.status);
      if (filter.trafficSourceId) where.push('traffic_source_id = ?') && params.push(filter.trafficSourceId);
      return paginate(db, { from: 'campaigns', where, params }, page, fromRow);
    },
    async update(campaign) {
      return atomic(async (tx) => {
        const changed = await tx.run(
          `UPDATE campaigns SET name = ?, alias = ?, alias_key = ?, status = ?, workspace_id = ?, traffic_source_id = ?, config = ?,
             archived_at = ?, updated_at = ? WHERE id = ?`,
          values(campaign),
        );
        if (changed > 0) await setReferences(tx, campaign);
        return changed > 0;
      });
    },
    async usedBy(kind, id, limit) {
      const rows = await db.all<{ campaign_id: string }>(
        `SELECT r.campaign_id FROM campaign_references r JOIN campaigns c ON c.id = r.campaign_id
         WHERE r.kind = ? AND r.ref_id = ? AND c.archived_at IS NULL ORDER BY r.campaign_id LIMIT ?`,
        [kind, id, limit],
      );
      return rows.map((row) => String(row.campaign_id));
    },
  };
}
