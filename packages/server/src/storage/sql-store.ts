import type { ApiKey, Offer, PersonalPayout, Publisher } from '@waypost/schema';
import type { Row, SqlDriver, SqlExecutor } from './driver.js';
import { iso, isoOrNull, lazyObjects, paginate, str, workspaceCondition } from './sql-helpers.js';
import { auditRepository } from './sql-audit.js';
import { workspaceRepository } from './sql-workspaces.js';
import { accountTokenRepository, sessionRepository, signInAttemptRepository, userRepository } from './sql-accounts.js';
import { campaignRepository, landerRepository, trafficSourceRepository } from './sql-campaigns.js';
import { outboxRepository } from './sql-outbox.js';
import { paymentRepository } from './sql-payments.js';
import { promoCodeRequestRepository } from './sql-promo-code-requests.js';
import { trackingRepositories } from './sql-tracking.js';
import { campaignVisitRepository } from './sql-campaign-visits.js';
import { archiveFromColumn, keywordSetRepository, localArchiveRepository } from './sql-local-files.js';
import { migrate } from './migrations.js';
import type {
  AffiliateNetworkRecord,
  AffiliateNetworkRepository,
  ApiKeyRecord,
  ApiKeyRepository,
  OfferFilter,
  OfferRepository,
  PersonalPayoutRepository,
  PublisherFilter,
  PublisherRepository,
  Repositories,
  Store,
} from './store.js';

/** Runs several statements as one unit: a transaction of its own, or the caller's when already inside one. */
export type Atomic = <T>(fn: (db: SqlExecutor) => Promise<T>) => Promise<T>;

/** Every repository, bound to a connection or a transaction (`atomic` runs statements as one unit in it). */
const bind = lazyObjects<Repositories, [db: SqlExecutor, atomic: Atomic, enqueued: () => void]>({
  offers: offerRepository,
  publishers: publisherRepository,
  trafficSources: trafficSourceRepository,
  landers: landerRepository,
  campaigns: campaignRepository,
  affiliateNetworks: affiliateNetworkRepository,
  personalPayouts: personalPayoutRepository,
  apiKeys: apiKeyRepository,
  users: userRepository,
  sessions: sessionRepository,
  accountTokens: accountTokenRepository,
  signInAttempts: signInAttemptRepository,
  ...trackingRepositories,
  outbox: (db, _atomic, enqueued) => outboxRepository(db, enqueued),
  campaignVisits: campaignVisitRepository,
  localArchives: localArchiveRepository,
  keywordSets: keywordSetRepository,
  promoCodeRequests: promoCodeRequestRepository,
  payments: paymentRepository,
  workspaces: workspaceRepository,
  audit: auditRepository,
});

/** The Store, written once in SQL that both SQLite and PostgreSQL accept. */
export function createSqlStore(driver: SqlDriver): Store {
  const outboxListeners = new Set<() => void>();
  const outboxEnqueued = () => outboxListeners.forEach((listener) => listener());
  const root = bind(driver, (fn) => driver.transaction(fn), outboxEnqueued);
  const repositories = {} as Repositories;
  for (const name in root) Object.assign(repositories, { [name]: root[name as keyof Repositories] });
  return {
    ...repositories,
    migrate: () => migrate(driver),
    close: () => driver.close(),
    async isEmpty() {
      const row = await driver.get<{ n: number }>(
        'SELECT (SELECT COUNT(*) FROM offers) + (SELECT COUNT(*) FROM publishers) + (SELECT COUNT(*) FROM api_keys) AS n',
      );
      return Number(row?.n ?? 0) === 0;
    },
    async transaction(fn) {
      // Deliveries enqueued in a transaction are announced only after it commits, when a sender can see them.
      let enqueued = false;
      const result = await driver.transaction((tx) => fn(bind(tx, (inner) => inner(tx), () => (enqueued = true))));
      if (enqueued) outboxEnqueued();
      return result;
    },
    onOutboxEnqueued(listener) {
      outboxListeners.add(listener);
      return () => outboxListeners.delete(listener);
    },
    observe: (observer) => driver.observe(observer),
  };
}

const ms = (value: string): number => Date.parse(value);
const like = (q: string) => `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function offerRepository(db: SqlExecutor, atomic: Atomic): OfferRepository {
  const fromRow = (row: Row): Offer => ({
    id: String(row.id),
    // Offers stored before keyword sets have none.
    keywords: null,
    ...(JSON.parse(String(row.config)) as Omit<Offer, 'id' | 'postbackToken' | 'workspaceId' | 'archivedAt' | 'createdAt' | 'updatedAt' | 'archive' | 'keywords'>),
    archive: archiveFromColumn(row.archive),
    postbackToken: String(row.postback_token),
    workspaceId: String(row.workspace_id),
    archivedAt: isoOrNull(row.archived_at),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  });
  const columns = (offer: Offer) => {
    // The archive has its own column, switched by uploads only (storage/sql-local-files.ts).
    const { id, postbackToken, workspaceId, archivedAt, createdAt, updatedAt, archive: _archive, ...config } = offer;
    return {
      id,
      values: [
        offer.name,
        offer.name.toLowerCase(),
        offer.status,
        offer.leadType,
        offer.visibility,
        JSON.stringify(config),
        postbackToken,
        archivedAt ? ms(archivedAt) : null,
        ms(updatedAt),
        workspaceId,
      ],
      createdAt: ms(createdAt),
    };
  };
  const setPublishers = async (tx: SqlExecutor, offer: Offer) => {
    await tx.run('DELETE FROM offer_publishers WHERE offer_id = ?', [offer.id]);
    for (const publisherId of new Set(offer.publisherIds)) {
      await tx.run('INSERT INTO offer_publishers (offer_id, publisher_id) VALUES (?, ?)', [offer.id, publisherId]);
    }
  };
  return {
    async insert(offer) {
      const { id, values, createdAt } = columns(offer);
      await atomic(async (tx) => {
        await tx.run(
          `INSERT INTO offers (name, name_key, status, lead_type, visibility, config, postback_token, archived_at, updated_at, workspace_id, id, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [...values, id, createdAt],
        );
        await setPublishers(tx, offer);
      });
    },
    async get(id) {
      const row = await db.get('SELECT * FROM offers WHERE id = ?', [id]);
      return row ? fromRow(row) : undefined;
    },
    list(filter: OfferFilter, page) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (filter.status) where.push('status = ?') && params.push(filter.status);
      if (filter.leadType) where.push('lower(lead_type) = ?') && params.push(filter.leadType.toLowerCase());
      if (filter.q) where.push("name_key LIKE ? ESCAPE '\\'") && params.push(like(filter.q));
      if (!filter.includeArchived) where.push('archived_at IS NULL');
      if (filter.visibleTo) {
        where.push(
          "(visibility = 'public' OR id IN (SELECT offer_id FROM offer_publishers WHERE publisher_id = ?))",
        );
        params.push(filter.visibleTo);
      }
      if (filter.workspaces) where.push(workspaceCondition('workspace_id', filter.workspaces, params));
      return paginate(db, { from: 'offers', where, params }, page, fromRow);
    },
    async update(offer) {
      const { id, values } = columns(offer);
      return atomic(async (tx) => {
        const changed = await tx.run(
          `UPDATE offers SET name = ?, name_key = ?, status = ?, lead_type = ?, visibility = ?, config = ?, postback_token = ?,
             archived_at = ?, updated_at = ?, workspace_id = ? WHERE id = ?`,
          [...values, id],
        );
        if (changed > 0) await setPublishers(tx, offer);
        return changed > 0;
      });
    },
  };
}

function publisherRepository(db: SqlExecutor): PublisherRepository {
  const fromRow = (row: Row): Publisher => ({
    id: String(row.id),
    name: String(row.name),
    email: str(row.email),
    status: row.status as Publisher['status'],
    postbackUrl: str(row.postback_url),
    postbackSecret: str(row.postback_secret),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  });
  const values = (p: Publisher) => [p.name, p.email, p.status, p.postbackUrl, p.postbackSecret, ms(p.updatedAt), p.id];
  return {
    async insert(publisher) {
      await db.run(
        `INSERT INTO publishers (name, email, status, postback_url, postback_secret, updated_at, id, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [...values(publisher), ms(publisher.createdAt)],
      );
    },
    async get(id) {
      const row = await db.get('SELECT * FROM publishers WHERE id = ?', [id]);
      return row ? fromRow(row) : undefined;
    },
    list(filter: PublisherFilter, page) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (filter.id) where.push('id = ?') && params.push(filter.id);
      if (filter.status) where.push('status = ?') && params.push(filter.status);
      if (filter.q) where.push("lower(name) LIKE ? ESCAPE '\\'") && params.push(like(filter.q));
      return paginate(db, { from: 'publishers', where, params }, page, fromRow);
    },
    async update(publisher) {
      const changed = await db.run(
        `UPDATE publishers SET name = ?, email = ?, status = ?, postback_url = ?, postback_secret = ?, updated_at = ? WHERE id = ?`,
        values(publisher),
      );
      return changed > 0;
    },
  };
}

function affiliateNetworkRepository(db: SqlExecutor): AffiliateNetworkRepository {
  const fromRow = (row: Row): AffiliateNetworkRecord => ({
    id: String(row.id),
    name: String(row.name),
    // Networks stored before `params` existed have none.
    params: {},
    ...(JSON.parse(String(row.config)) as Pick<AffiliateNetworkRecord, 'clickIdParam' | 'macros' | 'statusMap' | 'format' | 'secret'> &
      Partial<Pick<AffiliateNetworkRecord, 'params'>>),
    workspaceId: String(row.workspace_id),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  });
  const values = ({ id, name, workspaceId, createdAt, updatedAt, ...config }: AffiliateNetworkRecord) => [name, JSON.stringify(config), ms(updatedAt), workspaceId, id];
  return {
    async insert(network) {
      await db.run('INSERT INTO affiliate_networks (name, config, updated_at, workspace_id, id, created_at) VALUES (?, ?, ?, ?, ?, ?)', [
        ...values(network),
        ms(network.createdAt),
      ]);
    },
    async get(id) {
      const row = await db.get('SELECT * FROM affiliate_networks WHERE id = ?', [id]);
      return row ? fromRow(row) : undefined;
    },
    list(filter, page) {
      const params: unknown[] = [];
      const where = filter.workspaces ? [workspaceCondition('workspace_id', filter.workspaces, params)] : [];
      return paginate(db, { from: 'affiliate_networks', where, params }, page, fromRow);
    },
    async update(network) {
      return (await db.run('UPDATE affiliate_networks SET name = ?, config = ?, updated_at = ?, workspace_id = ? WHERE id = ?', values(network))) > 0;
    },
  };
}

function personalPayoutRepository(db: SqlExecutor): PersonalPayoutRepository {
  const fromRow = (row: Row): PersonalPayout => ({
    id: String(row.id),
    offerId: String(row.offer_id),
    publisherId: str(row.publisher_id),
    couponCode: str(row.coupon_code),
    amount: str(row.amount),
    percent: str(row.percent),
    createdAt: iso(row.created_at),
  });
  return {
    async insert(payout) {
      await db.run(
        `INSERT INTO personal_payouts (id, offer_id, publisher_id, coupon_key, coupon_code, amount, percent, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          payout.id,
          payout.offerId,
          payout.publisherId,
          payout.couponCode?.toLowerCase() ?? null,
          payout.couponCode,
          payout.amount,
          payout.percent,
          ms(payout.createdAt),
        ],
      );
    },
    listForOffer(offerId, page) {
      return paginate(db, { from: 'personal_payouts', where: ['offer_id = ?'], params: [offerId] }, page, fromRow);
    },
    async allForOffer(offerId) {
      return (await db.all('SELECT * FROM personal_payouts WHERE offer_id = ? ORDER BY id', [offerId])).map(fromRow);
    },
    async delete(offerId, id) {
      return (await db.run('DELETE FROM personal_payouts WHERE offer_id = ? AND id = ?', [offerId, id])) > 0;
    },
  };
}

function apiKeyRepository(db: SqlExecutor): ApiKeyRepository {
  const fromRow = (row: Row): ApiKey => ({
    id: String(row.id),
    name: str(row.name),
    role: row.role as ApiKey['role'],
    publisherId: str(row.publisher_id),
    workspaceId: str(row.workspace_id),
    prefix: String(row.prefix),
    createdAt: iso(row.created_at),
    revokedAt: isoOrNull(row.revoked_at),
  });
  return {
    async insert(key: ApiKeyRecord) {
      await db.run(
        'INSERT INTO api_keys (id, name, role, publisher_id, workspace_id, prefix, hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        [key.id, key.name, key.role, key.publisherId, key.workspaceId, key.prefix, key.hash, ms(key.createdAt)],
      );
    },
    async findByHash(hash) {
      const row = await db.get('SELECT * FROM api_keys WHERE hash = ? AND revoked_at IS NULL', [hash]);
      return row ? fromRow(row) : undefined;
    },
    list(page) {
      return paginate(db, { from: 'api_keys', where: [], params: [] }, page, fromRow);
    },
    async revoke(id, at) {
      return (await db.run('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [at.getTime(), id])) > 0;
    },
  };
}
