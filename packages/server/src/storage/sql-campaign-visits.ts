import { randomBytes } from 'node:crypto';
import type { Row, SqlExecutor } from './driver.js';
import { str } from './sql-helpers.js';

/**
 * Migration 12: the campaign side of clicks, and the visitors of each campaign (README, Campaigns). Campaign columns
 * are null on clicks of `/c` and offer direct tracking. A visitor row is keyed by (campaign, visitor), so that telling
 * a unique visit is one primary-key read whatever the history; it keeps the last visit, its stream, lander and offer
 * (for bindVisitors) and the last visit per stream (for per-stream uniqueness).
 *
 * It also makes the installation's tracking key (the setting {@link TRACKING_KEY_SETTING}), which signs double-meta hops
 * and keys the hash of cookieless visitors. The migration runs once per database under its lock, so every server
 * process sharing the database reads the same key; the value is made when this module loads and used by whichever
 * process applies the migration.
 */
export const TRACKING_KEY_SETTING = 'tracking_key';

export const CAMPAIGN_VISITS_MIGRATION = `
INSERT INTO settings (name, value) VALUES ('${TRACKING_KEY_SETTING}', '${randomBytes(32).toString('base64url')}') ON CONFLICT (name) DO NOTHING;
ALTER TABLE clicks ADD COLUMN campaign_id {{id}};
ALTER TABLE clicks ADD COLUMN stream_id {{id}};
ALTER TABLE clicks ADD COLUMN lander_id {{id}};
ALTER TABLE clicks ADD COLUMN traffic_source_id {{id}};
ALTER TABLE clicks ADD COLUMN external_id TEXT;
ALTER TABLE clicks ADD COLUMN creative_id TEXT;
ALTER TABLE clicks ADD COLUMN keyword TEXT;
ALTER TABLE clicks ADD COLUMN os TEXT;
ALTER TABLE clicks ADD COLUMN browser TEXT;
ALTER TABLE clicks ADD COLUMN language TEXT;
ALTER TABLE clicks ADD COLUMN is_bot INTEGER;
ALTER TABLE clicks ADD COLUMN is_unique INTEGER;
ALTER TABLE clicks ADD COLUMN is_unique_stream INTEGER;
ALTER TABLE clicks ADD COLUMN cost BIGINT;
ALTER TABLE clicks ADD COLUMN lander_clicked_at BIGINT;
CREATE INDEX ix_clicks_campaign ON clicks (campaign_id, id) WHERE campaign_id IS NOT NULL;

CREATE TABLE campaign_visitors (
  campaign_id {{id}} NOT NULL,
  visitor TEXT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  stream_id {{id}},
  lander_id {{id}},
  offer_id {{id}},
  streams TEXT NOT NULL,
  PRIMARY KEY (campaign_id, visitor)
);
CREATE INDEX ix_campaign_visitors_seen ON campaign_visitors (last_seen_at);
`;

/** The campaign side of a click (README, Campaigns); null on clicks that did not come through a campaign. */
export interface CampaignClickFields {
  campaignId: string | null;
  /** The stream that acted: with a `campaign` action, a stream of the target campaign. */
  streamId: string | null;
  landerId: string | null;
  trafficSourceId: string | null;
  externalId: string | null;
  creativeId: string | null;
  keyword: string | null;
  os: string | null;
  browser: string | null;
  language: string | null;
  isBot: boolean | null;
  isUnique: boolean | null;
  isUniqueStream: boolean | null;
  /** What the visit cost, in millionths of the campaign currency. */
  cost: number | null;
  /** When the lander's click URL was first followed. */
  landerClickedAt: Date | null;
}

// prettier-ignore
export const CAMPAIGN_CLICK_COLUMNS = [
  'campaign_id', 'stream_id', 'lander_id', 'traffic_source_id', 'external_id', 'creative_id', 'keyword', 'os', 'browser',
  'language', 'is_bot', 'is_unique', 'is_unique_stream', 'cost', 'lander_clicked_at',
] as const;

const flag = (value: boolean | null | undefined) => (value == null ? null : value ? 1 : 0);
const flagOf = (value: unknown) => (value == null ? null : Number(value) === 1);

/** The values of {@link CAMPAIGN_CLICK_COLUMNS} for a click, in order. */
export function campaignClickValues(click: Partial<CampaignClickFields>): unknown[] {
  return [
    click.campaignId ?? null,
    click.streamId ?? null,
    click.landerId ?? null,
    click.trafficSourceId ?? null,
    click.externalId ?? null,
    click.creativeId ?? null,
    click.keyword ?? null,
    click.os ?? null,
    click.browser ?? null,
    click.language ?? null,
    flag(click.isBot),
    flag(click.isUnique),
    flag(click.isUniqueStream),
    click.cost ?? null,
    click.landerClickedAt?.getTime() ?? null,
  ];
}

/** The campaign fields of a stored click; none for a click that did not come through a campaign, as it was inserted. */
export function campaignClickFromRow(row: Row): Partial<CampaignClickFields> {
  // Outside campaigns only a keyword set's keyword can be there (README, Keyword sets).
  if (row.campaign_id == null) return row.keyword == null ? {} : { keyword: String(row.keyword) };
  return {
    campaignId: str(row.campaign_id),
    streamId: str(row.stream_id),
    landerId: str(row.lander_id),
    trafficSourceId: str(row.traffic_source_id),
    externalId: str(row.external_id),
    creativeId: str(row.creative_id),
    keyword: str(row.keyword),
    os: str(row.os),
    browser: str(row.browser),
    language: str(row.language),
    isBot: flagOf(row.is_bot),
    isUnique: flagOf(row.is_unique),
    isUniqueStream: flagOf(row.is_unique_stream),
    cost: row.cost == null ? null : Number(row.cost),
    landerClickedAt: row.lander_clicked_at == null ? null : new Date(Number(row.lander_clicked_at)),
  };
}

/** What a campaign remembers of one visitor. */
export interface CampaignVisitorRecord {
  campaignId: string;
  /** The `waypost_v` cookie, or a keyed hash of the truncated address and user agent. */
  visitor: string;
  lastSeenAt: Date;
  streamId: string | null;
  landerId: string | null;
  offerId: string | null;
  /** The last visit to each stream, in milliseconds since the epoch. */
  streams: Record<string, number>;
}

export interface CampaignVisitRepository {
  getVisitor(campaignId: string, visitor: string): Promise<CampaignVisitorRecord | undefined>;
  saveVisitor(record: CampaignVisitorRecord): Promise<void>;
  /**
   * Follows a lander's click URL from the click as the caller read it (`from`): the offer becomes `offerId`, and `at`
   * is recorded when it had no lander click yet. A compare-and-set on `from`, so that the caller books in the rollups
   * exactly the change the row went through: false when the stored click is no longer `from` (a simultaneous follow
   * changed it first) and nothing was written.
   */
  landerClicked(clickId: string, from: { offerId: string; landerClickedAt?: Date | null | undefined }, offerId: string, at: Date): Promise<boolean>;
  /** Deletes up to `limit` visitors last seen before `before`; returns how many. */
  pruneVisitors(before: Date, limit: number): Promise<number>;
}

const UPSERT_VISITOR = `INSERT INTO campaign_visitors (campaign_id, visitor, last_seen_at, stream_id, lander_id, offer_id, streams)
  VALUES (?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (campaign_id, visitor) DO UPDATE SET last_seen_at = excluded.last_seen_at, stream_id = excluded.stream_id,
    lander_id = excluded.lander_id, offer_id = excluded.offer_id, streams = excluded.streams`;

export function campaignVisitRepository(db: SqlExecutor): CampaignVisitRepository {
  return {
    async getVisitor(campaignId, visitor) {
      const row = await db.get('SELECT * FROM campaign_visitors WHERE campaign_id = ? AND visitor = ?', [campaignId, visitor]);
      if (!row) return undefined;
      return {
        campaignId,
        visitor,
        lastSeenAt: new Date(Number(row.last_seen_at)),
        streamId: str(row.stream_id),
        landerId: str(row.lander_id),
        offerId: str(row.offer_id),
        streams: JSON.parse(String(row.streams)) as Record<string, number>,
      };
    },
    async saveVisitor(record) {
      // Nothing reads the row back in the visit's transaction: SQLite writes it with the batch's other visits.
      await db.put(UPSERT_VISITOR, [record.campaignId, record.visitor], [
        record.lastSeenAt.getTime(),
        record.streamId,
        record.landerId,
        record.offerId,
        JSON.stringify(record.streams),
      ]);
    },
    async landerClicked(clickId, from, offerId, at) {
      const changed = from.landerClickedAt
        ? await db.run('UPDATE clicks SET offer_id = ? WHERE id = ? AND offer_id = ? AND lander_clicked_at IS NOT NULL', [offerId, clickId, from.offerId])
        : await db.run('UPDATE clicks SET lander_clicked_at = ?, offer_id = ? WHERE id = ? AND offer_id = ? AND lander_clicked_at IS NULL', [
            at.getTime(),
            offerId,
            clickId,
            from.offerId,
          ]);
      return changed > 0;
    },
    async pruneVisitors(before, limit) {
      // A batch at a time, like the log retention, so that a large prune never holds the write lock for long.
      return db.run(
        `DELETE FROM campaign_visitors WHERE (campaign_id, visitor) IN (SELECT campaign_id, visitor FROM campaign_visitors WHERE last_seen_at < ? LIMIT ?)`,
        [before.getTime(), limit],
      );
    },
  };
}
