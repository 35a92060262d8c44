import type {
  AdClickIds,
  AffiliateNetwork,
  ConversionStatus,
  DeliveryKind,
  DeliveryStatus,
  DeliveryTrigger,
  Device,
  PromoCode,
  ReportDimension,
  ApiKey,
  ApiKeyRole,
  List,
  ListQuery,
  Offer,
  PaymentStatus,
  PersonalPayout,
  PromoCodeRequest,
  Publisher,
  Workspace,
} from '@waypost/schema';
import type { User, UserRole, UserStatus } from '@waypost/schema';
import type { Campaign, KeywordSet, Lander, LocalArchive, TrafficSource } from '@waypost/schema';
import type { DriverObserver } from './driver.js';
import type { CampaignClickFields, CampaignVisitRepository } from './sql-campaign-visits.js';
import type { CampaignConversionFields } from './sql-campaign-reports.js';
import type { RollupMetric } from './migrations.js';

export type { DriverObserver } from './driver.js';

/**
 * The one storage interface. Everything above storage/ talks to this and never learns which database is behind it.
 * Repositories return plain objects in the wire shape; they do not validate (routes do) but they do enforce
 * uniqueness, and report it as `UniqueViolationError`.
 */
export interface Store extends Repositories {
  /** Applies pending migrations; returns the versions applied now. */
  migrate(): Promise<number[]>;
  close(): Promise<void>;
  /** True when no offer, publisher or API key exists yet (what `waypost demo` needs). */
  isEmpty(): Promise<boolean>;

  /**
   * Runs `fn` in one transaction: every repository it is given commits or rolls back together. Keep `fn` to
   * storage work; it may run while other transactions wait.
   */
  transaction<T>(fn: (tx: Repositories) => Promise<T>): Promise<T>;

  /**
   * Calls `listener` each time deliveries were added to the outbox and committed (by this process), so that the
   * dispatcher sends them at once instead of at its next poll. Returns the unsubscribe function.
   */
  onOutboxEnqueued(listener: () => void): () => void;

  /** Tells `observer` about the database's commits and failures (the metrics); returns the unsubscribe function. */
  observe(observer: DriverObserver): () => void;
}

/** What a transaction sees: the same repositories, bound to it. */
export interface Repositories {
  offers: OfferRepository;
  publishers: PublisherRepository;
  trafficSources: TrafficSourceRepository;
  landers: LanderRepository;
  campaigns: CampaignRepository;
  affiliateNetworks: AffiliateNetworkRepository;
  personalPayouts: PersonalPayoutRepository;
  apiKeys: ApiKeyRepository;
  users: UserRepository;
  sessions: SessionRepository;
  accountTokens: AccountTokenRepository;
  signInAttempts: SignInAttemptRepository;
  clicks: ClickRepository;
  conversions: ConversionRepository;
  counters: CounterRepository;
  rollups: RollupRepository;
  fxRates: FxRateRepository;
  postbackLog: PostbackLogRepository;
  idempotency: IdempotencyRepository;
  promoCodes: PromoCodeRepository;
  promoCodeRequests: PromoCodeRequestRepository;
  payments: PaymentRepository;
  settings: SettingsRepository;
  outbox: OutboxRepository;
  campaignVisits: CampaignVisitRepository;
  localArchives: LocalArchiveRepository;
  keywordSets: KeywordSetRepository;
  workspaces: WorkspaceRepository;
  audit: AuditRepository;
}

/**
 * The workspaces whose records a caller may see (README, Workspaces): those named in `ids`, and every public one when
 * `public` is set. Absent where a filter takes one: every workspace.
 */
export interface WorkspaceFilter {
  ids: readonly string[];
  public: boolean;
}

export interface WorkspaceRepository {
  /** Refused with `UniqueViolationError` when another workspace has the name, whatever its case. */
  insert(workspace: Workspace): Promise<void>;
  get(id: string): Promise<Workspace | undefined>;
  list(filter: { workspaces?: WorkspaceFilter | undefined }, page: ListQuery): Promise<List<Workspace>>;
  /** The account's first workspace, which records go into by default. */
  first(): Promise<Workspace>;
  update(workspace: Workspace, at: Date): Promise<boolean>;
  /** Whether any record (offer, affiliate network, API key, …) still belongs to the workspace. */
  holdsRecords(id: string): Promise<boolean>;
  /**
   * A record of another workspace that refers to one of this workspace's records (an offer's network or fallback offer,
   * what a live campaign names), or undefined: what would break the reference rule if this workspace became private.
   */
  referencedFromOutside(id: string): Promise<{ recordType: 'offer' | 'campaign'; id: string } | undefined>;
  delete(id: string): Promise<boolean>;
}

/** One change made through `/v1`; `changes` are already redacted. */
export interface AuditRecord {
  id: string;
  actorType: 'key' | 'user';
  actorId: string;
  recordType: string;
  recordId: string;
  action: string;
  changes: Record<string, { before: unknown; after: unknown }>;
  createdAt: Date;
}

export interface AuditFilter {
  recordType?: string | undefined;
  recordId?: string | undefined;
  actorId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

export interface AuditRepository {
  insert(entry: AuditRecord): Promise<void>;
  list(filter: AuditFilter, page: ListQuery): Promise<List<AuditRecord>>;
}

export interface OfferFilter {
  status?: Offer['status'] | undefined;
  leadType?: string | undefined;
  /** Case-insensitive substring of the name. */
  q?: string | undefined;
  includeArchived?: boolean | undefined;
  /** Only the offers this publisher may promote. */
  visibleTo?: string | undefined;
  workspaces?: WorkspaceFilter | undefined;
}

export interface OfferRepository {
  insert(offer: Offer): Promise<void>;
  get(id: string): Promise<Offer | undefined>;
  list(filter: OfferFilter, page: ListQuery): Promise<List<Offer>>;
  /** Replaces the stored offer with `offer` (same id); returns false when it does not exist. */
  update(offer: Offer): Promise<boolean>;
}

/** Which traffic sources, landers or campaigns a list shows. */
export interface CampaignResourceFilter {
  /** Case-insensitive substring of the name. */
  q?: string | undefined;
  includeArchived?: boolean | undefined;
  workspaces?: WorkspaceFilter | undefined;
}

export interface TrafficSourceRepository {
  insert(source: TrafficSource): Promise<void>;
  /** A traffic source by id, archived ones included. */
  get(id: string): Promise<TrafficSource | undefined>;
  list(filter: CampaignResourceFilter, page: ListQuery): Promise<List<TrafficSource>>;
  /** Replaces the stored source (same id); false when it does not exist. */
  update(source: TrafficSource): Promise<boolean>;
}

export interface LanderRepository {
  insert(lander: Lander): Promise<void>;
  /** A lander by id, archived ones included. */
  get(id: string): Promise<Lander | undefined>;
  list(filter: CampaignResourceFilter, page: ListQuery): Promise<List<Lander>>;
  update(lander: Lander): Promise<boolean>;
}

/** What owns a local archive (README, Local landers and offers). */
export type ArchiveOwnerKind = 'lander' | 'offer';

export interface ArchiveFileRecord {
  /** Relative to the archive's root, `/`-separated. */
  path: string;
  bytes: number;
  contentType: string;
  /** A strong validator of the file's bytes, quoted as the `ETag` header carries it. */
  etag: string;
}

export interface ServedArchiveFile extends ArchiveFileRecord {
  archiveId: string;
  content: Buffer;
}

/** Archive files in the database, so that every server process serves the same ones (storage/sql-local-files.ts). */
export interface LocalArchiveRepository {
  /** Starts an archive that no owner serves yet. */
  stage(id: string, owner: { kind: ArchiveOwnerKind; id: string }, at: Date): Promise<void>;
  addFile(archiveId: string, file: ArchiveFileRecord, content: Buffer): Promise<void>;
  /**
   * Makes `archive` the owner's (null: none) and deletes the owner's previous archive, in one transaction; false when
   * the owner does not exist.
   */
  switchTo(owner: { kind: ArchiveOwnerKind; id: string }, archive: LocalArchive | null): Promise<boolean>;
  /** Deletes an archive that was never switched to. */
  discard(archiveId: string): Promise<void>;
  /** Deletes archives still staging since before `before` (an upload that died); returns how many. */
  sweepStaging(before: Date): Promise<number>;
  files(archiveId: string): Promise<ArchiveFileRecord[]>;
  /** The file at `path` of the owner's current archive, read with it in one statement; none for an archived owner. */
  serve(owner: { kind: ArchiveOwnerKind; id: string }, path: string): Promise<ServedArchiveFile | undefined>;
}

export interface KeywordSetRepository {
  insert(set: KeywordSet): Promise<void>;
  /** A keyword set by id, archived ones included. */
  get(id: string): Promise<KeywordSet | undefined>;
  list(filter: CampaignResourceFilter, page: ListQuery): Promise<List<KeywordSet>>;
  update(set: KeywordSet): Promise<boolean>;
}

export interface CampaignFilter extends CampaignResourceFilter {
  status?: Campaign['status'] | undefined;
  trafficSourceId?: string | undefined;
}

/** What a campaign's streams and traffic source may name. */
export type CampaignReferenceKind = 'offer' | 'lander' | 'trafficSource' | 'campaign';

export interface CampaignRepository {
  /** Refused with `UniqueViolationError` when a live campaign has the alias, whatever its case. */
  insert(campaign: Campaign): Promise<void>;
  /** A campaign by id, archived ones included. */
  get(id: string): Promise<Campaign | undefined>;
  /** The live (not archived) campaign with this id, or else this alias in any case: the lookup of `/t/:campaign`. */
  getByIdOrAlias(idOrAlias: string): Promise<Campaign | undefined>;
  list(filter: CampaignFilter, page: ListQuery): Promise<List<Campaign>>;
  /**
   * Replaces the stored campaign (same id) with its streams and what they refer to, in one unit: a visit sees the old
   * document or the new one. False when it does not exist.
   */
  update(campaign: Campaign): Promise<boolean>;
  /** Ids of live campaigns whose streams or traffic source name the record, at most `limit`. */
  usedBy(kind: CampaignReferenceKind, id: string, limit: number): Promise<string[]>;
}

export interface PublisherFilter {
  status?: Publisher['status'] | undefined;
  q?: string | undefined;
  /** Restricts the list to one publisher (a publisher key's own view). */
  id?: string | undefined;
}

export interface PublisherRepository {
  insert(publisher: Publisher): Promise<void>;
  get(id: string): Promise<Publisher | undefined>;
  list(filter: PublisherFilter, page: ListQuery): Promise<List<Publisher>>;
  update(publisher: Publisher): Promise<boolean>;
}

/** A network as stored: with its write-only `secret`, which routes never return (`hasSecret` says whether one is set). */
export type AffiliateNetworkRecord = Omit<AffiliateNetwork, 'hasSecret'> & { secret?: string | undefined };

export interface AffiliateNetworkRepository {
  insert(network: AffiliateNetworkRecord): Promise<void>;
  get(id: string): Promise<AffiliateNetworkRecord | undefined>;
  list(filter: { workspaces?: WorkspaceFilter | undefined }, page: ListQuery): Promise<List<AffiliateNetworkRecord>>;
  update(network: AffiliateNetworkRecord): Promise<boolean>;
}

export interface PersonalPayoutRepository {
  insert(payout: PersonalPayout): Promise<void>;
  listForOffer(offerId: string, page: ListQuery): Promise<List<PersonalPayout>>;
  /** Every override of one offer, for the payout engine. */
  allForOffer(offerId: string): Promise<PersonalPayout[]>;
  delete(offerId: string, id: string): Promise<boolean>;
}

export interface ApiKeyRecord extends ApiKey {
  hash: string;
}

export interface ApiKeyRepository {
  insert(key: ApiKeyRecord): Promise<void>;
  /** The live (not revoked) key with this hash. */
  findByHash(hash: string): Promise<ApiKey | undefined>;
  list(page: ListQuery): Promise<List<ApiKey>>;
  revoke(id: string, at: Date): Promise<boolean>;
}

/** A user as stored: with its password hash (null until an invite is accepted), which routes never return. */
export interface UserRecord extends User {
  passwordHash: string | null;
}

export interface UserFilter {
  role?: UserRole | undefined;
  status?: UserStatus | undefined;
}

export interface UserRepository {
  /** Refused with `UniqueViolationError` when another user has the e-mail address (compared in lower case). */
  insert(user: UserRecord): Promise<void>;
  get(id: string): Promise<UserRecord | undefined>;
  findByEmail(email: string): Promise<UserRecord | undefined>;
  list(filter: UserFilter, page: ListQuery): Promise<List<UserRecord>>;
  /** Replaces the stored user (same id), memberships included; false when it does not exist. */
  update(user: UserRecord): Promise<boolean>;
  /** Sets `lastSignInAt` alone, so that a sign-in never writes back a role or membership changed meanwhile. */
  recordSignIn(id: string, at: Date): Promise<void>;
  /** Deletes the user with its memberships, sessions and one-time links. */
  delete(id: string): Promise<boolean>;
  /** How many users have the role and the status: the last active owner cannot be removed. */
  count(role: UserRole, status: UserStatus): Promise<number>;
}

/** A sign-in session; the cookie holds a random token, and only its hash is stored. */
export interface SessionRecord {
  id: string;
  userId: string;
  tokenHash: string;
  lastSeenAt: Date;
  /** The absolute end, whatever the use. */
  expiresAt: Date;
  revokedAt: Date | null;
  createdAt: Date;
}

export interface SessionRepository {
  insert(session: SessionRecord): Promise<void>;
  /** The session with this token hash, revoked or not, and its user. */
  findByTokenHash(tokenHash: string): Promise<{ session: SessionRecord; user: UserRecord } | undefined>;
  /** Moves `lastSeenAt` forward (the idle timeout slides); called at most once a minute per session. */
  touch(id: string, at: Date): Promise<void>;
  revoke(id: string, at: Date): Promise<boolean>;
  /** Revokes every live session of the user except `keep`; returns how many. */
  revokeAllOf(userId: string, at: Date, keep?: string): Promise<number>;
  /** Deletes every session that has ended: revoked, past its absolute end at `now`, or last seen before `idleBefore`. */
  deleteEnded(now: Date, idleBefore: Date): Promise<number>;
}

export type AccountTokenKind = 'invite' | 'reset';

export interface AccountTokenRecord {
  id: string;
  kind: AccountTokenKind;
  userId: string;
  tokenHash: string;
  expiresAt: Date;
  usedAt: Date | null;
  createdAt: Date;
}

export interface AccountTokenRepository {
  insert(token: AccountTokenRecord): Promise<void>;
  /**
   * Marks the unused, unexpired link of `kind` with this hash as used, in one conditional UPDATE so that two requests
   * cannot both use it; returns its record, or undefined when there is no such link.
   */
  use(kind: AccountTokenKind, tokenHash: string, at: Date): Promise<AccountTokenRecord | undefined>;
  /**
   * Deletes the user's links of `kind`: a new invite or reset replaces the old ones, so that a user has at most one of
   * each however often a reset is asked for. A deleted link answers like a used one.
   */
  deleteAllOf(userId: string, kind: AccountTokenKind): Promise<void>;
}

export interface SignInAttemptRepository {
  /** Records an attempt for each scope (a hashed e-mail or client address) and prunes attempts older than `pruneBefore`. */
  record(scopes: readonly string[], at: Date, pruneBefore: Date): Promise<void>;
  /** The times of the newest `limit` attempts of the scope since `since`, newest first. */
  recent(scope: string, since: Date, limit: number): Promise<Date[]>;
  /** Forgets the scope's attempts (a successful sign-in). */
  clear(scope: string): Promise<void>;
}

export type { ApiKeyRole, RollupMetric };

/** A recorded click. Money is in minor units of the offer currency. The campaign fields are null or absent off campaigns. */
export interface ClickRecord extends Partial<CampaignClickFields> {
  id: string;
  offerId: string;
  /** The offer the link named, when a fallback sent the visitor elsewhere. */
  requestedOfferId: string | null;
  publisherId: string | null;
  sub1: string | null;
  sub2: string | null;
  sub3: string | null;
  sub4: string | null;
  sub5: string | null;
  source: 'redirect' | 'direct' | 'campaign';
  country: string | null;
  device: Device;
  referrer: string | null;
  landingUrl: string | null;
  adClickIds: AdClickIds;
  ipPrefix: string | null;
  status: 'accepted' | 'rejected';
  reason: string | null;
  /** CPC payout booked at click time. */
  payout: number;
  revenue: number;
  createdAt: Date;
  /**
   * Every keyword the click drew from its offer's keyword set, for `{kw1}`…`{kw5}` wherever the click is expanded later
   * (a local page, the lander's click URL); stored when there are two or more (the first is also `keyword`).
   */
  keywords?: string[] | null | undefined;
}

export interface ClickFilter {
  offerId?: string | undefined;
  publisherId?: string | undefined;
  source?: 'redirect' | 'direct' | 'campaign' | undefined;
  campaignId?: string | undefined;
  landerId?: string | undefined;
  trafficSourceId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /** Only clicks on offers of these workspaces. */
  workspaces?: WorkspaceFilter | undefined;
}

export interface ClickRepository {
  insert(click: ClickRecord): Promise<void>;
  get(id: string): Promise<ClickRecord | undefined>;
  list(filter: ClickFilter, page: ListQuery): Promise<List<ClickRecord>>;
  addVisit(visit: { id: string; clickId: string; landingUrl: string | null; referrer: string | null; createdAt: Date }): Promise<void>;
  count(filter: ClickFilter): Promise<number>;
}

export type PayoutState = 'accruing' | 'payable' | 'paid' | 'forfeited';

/** A recorded conversion. `amount` is in `currency`; payout and revenue in `offerCurrency`; `*Account` in the account currency. */
/** The campaign fields are absent on conversions made by code that knows no campaigns (they then count as none). */
export interface ConversionRecord extends Partial<CampaignConversionFields> {
  id: string;
  offerId: string;
  publisherId: string | null;
  clickId: string | null;
  couponCode: string | null;
  transactionId: string | null;
  event: string | null;
  status: ConversionStatus;
  reason: string | null;
  kind: 'conversion' | 'rebill';
  source: 'postback' | 'pixel' | 'browser' | 'api' | 'manual';
  amount: number | null;
  currency: string;
  payout: number;
  revenue: number;
  offerCurrency: string;
  fxRate: string | null;
  payoutAccount: number;
  revenueAccount: number;
  payoutState: PayoutState;
  /** The threshold period it counts toward, such as `2026-03-08` or `2026-W10`. */
  thresholdPeriod: string | null;
  /** The cap day it was counted on, in the cap timezone. */
  capDay: string | null;
  /** Whether it counts toward the offer's caps and the publisher's threshold (non-rejected conversions). */
  counted: boolean;
  country: string | null;
  sub1: string | null;
  sub2: string | null;
  sub3: string | null;
  sub4: string | null;
  sub5: string | null;
  note: string | null;
  paymentId: string | null;
  /**
   * The currency whose FX rate its money waits for: payout, revenue and their account figures are 0 until that rate is
   * stored, and then computed. Null once priced.
   */
  awaitingFx: string | null;
  /** The payout the report carried (auto mode), in minor units of `currency`, kept to price the conversion later. */
  reportedPayout: number | null;
  /** When its click was made, for reports by click date; null without a click. */
  clickAt: Date | null;
  /** Its click's device, for reports by device; null without a click (and for those recorded before reports had devices). */
  device: Device | null;
  /**
   * `amount` in the account currency at the rates it was priced with (the reports' `sales`), 0 without an amount and
   * while its rate is awaited.
   */
  amountAccount: number;
  createdAt: Date;
  updatedAt: Date;
}

/** The identity the database enforces (README, How conversions are decided): see conversions/identity in the engine. */
/** What a status change, a repricing or a forfeiture may change on a stored conversion. */
export type ConversionChanges = Partial<
  Pick<
    ConversionRecord,
    | 'status' | 'reason' | 'counted' | 'payoutState' | 'amount' | 'currency' | 'payout' | 'revenue' | 'fxRate' | 'payoutAccount' | 'revenueAccount'
    | 'offerCurrency' | 'awaitingFx' | 'reportedPayout' | 'amountAccount' | 'costAccount' | 'updatedAt'
  >
>;

export interface ConversionIdentity {
  clickKey: string;
  dedupeKey: string;
  /** The click's one primary conversion under the `ignore` and `rebill` policies. */
  isPrimary: boolean;
}

export interface ConversionFilter {
  offerId?: string | undefined;
  publisherId?: string | undefined;
  status?: ConversionStatus | undefined;
  country?: string | undefined;
  transactionId?: string | undefined;
  couponCode?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /** Only conversions on offers of these workspaces. */
  workspaces?: WorkspaceFilter | undefined;
}

export interface ConversionRepository {
  /** Inserts unless a unique key already holds; false when it did. */
  insert(conversion: ConversionRecord & ConversionIdentity): Promise<boolean>;
  /**
   * The conversions a new report for (offer, click, dedupe key) could be: the one with that key, and the click's
   * primary conversion. One statement, so PostgreSQL reads both from one snapshot.
   */
  findTwins(offerId: string, clickKey: string, dedupeKey: string): Promise<{ sameKey?: ConversionRecord; primary?: ConversionRecord }>;
  get(id: string): Promise<ConversionRecord | undefined>;
  list(filter: ConversionFilter, page: ListQuery, order: 'asc' | 'desc'): Promise<List<ConversionRecord>>;
  /**
   * Writes `changes` to a conversion if it still has the `expected` status, payout state and awaited FX currency
   * (null: none) — a compare-and-set: two processes changing one conversion at once cannot both succeed. Fields not
   * named, such as the payment a payout was gathered into, are left as they are. Returns whether it was written.
   */
  update(id: string, changes: ConversionChanges, expected: Partial<Pick<ConversionRecord, 'status' | 'payoutState' | 'awaitingFx'>>): Promise<boolean>;
  /** Conversions waiting for the rate of one of `currencies`, by id after `afterId`, at most `limit`. */
  awaitingFx(currencies: string[], afterId: string | undefined, limit: number): Promise<ConversionRecord[]>;
  /** Conversions of one publisher on one offer in one threshold period. */
  inThresholdPeriod(offerId: string, publisherId: string, period: string): Promise<ConversionRecord[]>;
  /** Moves accruing payouts to `payable` for one threshold period; returns how many moved. */
  releaseThreshold(offerId: string, publisherId: string, period: string, at: Date): Promise<number>;
  /** Accruing conversions of one offer, oldest first (for forfeiture at period end). */
  accruing(offerId: string, limit: number): Promise<ConversionRecord[]>;
  /** Pending conversions of one offer created before `before`, oldest first (for automatic approval). */
  pendingBefore(offerId: string, before: Date, limit: number): Promise<ConversionRecord[]>;
}

export interface CounterRepository {
  /**
   * Adds one to each scope, all or nothing: when any scope is already at its limit nothing changes and the
   * answer is false. The check and the count are one statement per scope, inside the caller's transaction.
   */
  incrementAll(scopes: { scope: string; limit?: number | undefined }[]): Promise<boolean>;
  /** Adds one with no limit; returns the new count and whether the scope was released. */
  increment(scope: string): Promise<{ count: number; released: boolean }>;
  decrement(scope: string): Promise<void>;
  /** Marks a scope released; true only for the caller that released it. */
  release(scope: string): Promise<boolean>;
  get(scope: string): Promise<{ count: number; released: boolean } | undefined>;
}

/** Additive changes to the report rollups for one event. Keys use '' for "none". */
export interface RollupDelta {
  /** Calendar day in the account timezone, `YYYY-MM-DD`. */
  day: string;
  at: Date;
  offerId: string;
  publisherId: string | null;
  country: string | null;
  /** The click's device; absent for impressions and for conversions without one. */
  device?: string | null | undefined;
  sub1: string | null;
  sub2: string | null;
  sub3: string | null;
  sub4: string | null;
  sub5: string | null;
  couponCode: string | null;
  /** The campaign side of a campaign visit and its conversions; absent or null on other traffic. */
  campaignId?: string | null | undefined;
  streamId?: string | null | undefined;
  landerId?: string | null | undefined;
  trafficSourceId?: string | null | undefined;
  keyword?: string | null | undefined;
  os?: string | null | undefined;
  browser?: string | null | undefined;
  /**
   * True books conversion metrics at the time of the conversion's click (`day` and `at` are the click's), for reports
   * by click date; every event is also booked at its own time without it.
   */
  byClick?: boolean | undefined;
  metrics: Partial<Record<RollupMetric, number>>;
}

export interface RollupQuery {
  /** `daily`: account-timezone days, no sub ids or coupon; `detail`: 15-minute buckets with every dimension. */
  source: 'daily' | 'detail';
  /** Inclusive day range (daily) — or, for detail, the local days and their UTC bounds. */
  days: { day: string; start: Date; end: Date }[];
  groupBy: ReportDimension[];
  filters: {
    offerId?: string | undefined;
    publisherId?: string | undefined;
    country?: string | undefined;
    couponCode?: string | undefined;
    campaignId?: string | undefined;
    trafficSourceId?: string | undefined;
    landerId?: string | undefined;
    /** Only offers of these workspaces. */
    workspaces?: WorkspaceFilter | undefined;
  };
  /** The day a conversion counts on: its own (the default) or its click's. Clicks and impressions count on their own. */
  dateBasis?: 'conversion' | 'click' | undefined;
}

/** A group of a rollup query: its dimensions (with the offer's and publisher's names when grouped by them) and sums. */
export type RollupRow = Partial<Record<ReportDimension, string | null>> & {
  offerName?: string | null;
  publisherName?: string | null;
} & Record<RollupMetric, number>;

export interface RollupRepository {
  add(delta: RollupDelta): Promise<void>;
  query(query: RollupQuery): Promise<RollupRow[]>;
  /** Rebuilds the daily rollup from the detail rollup for a new account timezone. */
  rebuildDaily(dayOf: (bucketStart: Date) => string): Promise<void>;
}

export interface FxRateRepository {
  all(): Promise<{ currency: string; rate: string; updatedAt: Date }[]>;
  put(rates: Record<string, string>, at: Date): Promise<void>;
}

export interface PostbackLogRecord {
  id: string;
  channel: 'postback' | 'pixel' | 'browser' | 'api' | 'manual';
  method: string;
  params: Record<string, unknown>;
  ip: string | null;
  httpStatus: number;
  outcome: string;
  reason: string | null;
  offerId: string | null;
  clickId: string | null;
  conversionId: string | null;
  createdAt: Date;
}

export interface PostbackLogRepository {
  insert(entry: PostbackLogRecord): Promise<void>;
  list(
    filter: { offerId?: string | undefined; outcome?: string | undefined; from?: Date | undefined; to?: Date | undefined; workspaces?: WorkspaceFilter | undefined },
    page: ListQuery,
  ): Promise<List<PostbackLogRecord>>;
  /** Deletes up to `limit` entries created before `before`, oldest first, in one statement; returns how many. */
  deleteBefore(before: Date, limit: number): Promise<number>;
}

export interface IdempotencyRepository {
  /** Claims a key; when it is already claimed, returns what was stored for it. */
  claim(scopeKey: string, requestHash: string, at: Date): Promise<{ claimed: true } | { claimed: false; requestHash: string; status: number | null; body: string | null }>;
  complete(scopeKey: string, status: number, body: string): Promise<void>;
  release(scopeKey: string): Promise<void>;
}

export interface PromoCodeRepository {
  insert(code: PromoCode & { requestId: string | null }): Promise<void>;
  find(offerId: string, code: string): Promise<PromoCode | undefined>;
  list(
    filter: { publisherId?: string | undefined; offerId?: string | undefined; workspaces?: WorkspaceFilter | undefined },
    page: ListQuery,
  ): Promise<List<PromoCode>>;
}

export interface SettingsRepository {
  get(name: string): Promise<string | undefined>;
  /** The value, with its row locked until the transaction ends: a second caller waits, then reads what the first set. */
  lock(name: string): Promise<string | undefined>;
  set(name: string, value: string): Promise<void>;
}

/** What an outbound delivery sends: the publisher's postback URL (macros expanded), or a rendered e-mail. */
/** A postback is a publisher's, or a traffic source's when it names one (README, Campaigns: traffic sources). */
export type DeliveryMessage =
  | { kind: 'postback'; url: string; trafficSourceId?: string | undefined }
  | { kind: 'email'; to: string[]; subject: string; text: string };

/**
 * One outbound publisher postback or conversion e-mail (README, Publisher postbacks and e-mails) and the state of its
 * tries.
 */
export interface DeliveryRecord {
  /** The delivery id, stable across retries (`X-Waypost-Delivery`). */
  id: string;
  trigger: DeliveryTrigger;
  conversionId: string;
  offerId: string;
  publisherId: string | null;
  /** The conversion's status when the delivery was made (`{status}`). */
  conversionStatus: ConversionStatus;
  message: DeliveryMessage;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  lastAttemptAt: Date | null;
  lastResponseStatus: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface DeliveryFilter {
  conversionId?: string | undefined;
  publisherId?: string | undefined;
  kind?: DeliveryKind | undefined;
  status?: DeliveryStatus | undefined;
  /** Only deliveries of conversions on offers of these workspaces. */
  workspaces?: WorkspaceFilter | undefined;
}

/** The outcome of one try: `retry` is due again at `nextAttemptAt`; `failed` gave up. */
export interface DeliveryAttempt {
  at: Date;
  outcome: 'delivered' | 'retry' | 'failed';
  nextAttemptAt: Date | null;
  responseStatus: number | null;
  error: string | null;
}

export interface OutboxRepository {
  /** Adds deliveries, inside the caller's transaction; the store signals them once it commits. */
  enqueue(deliveries: DeliveryRecord[]): Promise<void>;
  get(id: string): Promise<DeliveryRecord | undefined>;
  list(filter: DeliveryFilter, page: ListQuery): Promise<List<DeliveryRecord>>;
  /**
   * Claims up to `limit` pending deliveries of `kinds` that are due at `now`, for the sender `token`, until
   * `leaseUntil`. Each row is taken by one conditional UPDATE, so two senders (two processes on one PostgreSQL
   * database) never hold the same delivery; a sender that dies loses its claims when the lease runs out.
   */
  claimDue(claim: { now: Date; leaseUntil: Date; token: string; limit: number; kinds: DeliveryKind[] }): Promise<DeliveryRecord[]>;
  /** Records a claimed try and releases the claim; false when the claim was lost meanwhile. */
  recordAttempt(id: string, token: string, attempt: DeliveryAttempt): Promise<boolean>;
  /** Gives a claim back untried (the sender is shutting down), so that the next sender takes it at once. */
  release(id: string, token: string): Promise<void>;
  /**
   * Deletes up to `limit` finished deliveries (`delivered` or `failed`) last changed before `before`, oldest first,
   * in one statement; returns how many. Pending deliveries are never deleted, however old.
   */
  deleteFinishedBefore(before: Date, limit: number): Promise<number>;
  /** Pending deliveries by kind, retries waiting included: what is still to be sent. */
  countPending(): Promise<Record<DeliveryKind, number>>;
}

export interface PromoCodeRequestFilter {
  status?: PromoCodeRequest['status'] | undefined;
  publisherId?: string | undefined;
  offerId?: string | undefined;
  /** Leaves out requests decided before this time; requests in moderation always show. */
  decidedSince?: Date | undefined;
  /** Only requests for offers of these workspaces. */
  workspaces?: WorkspaceFilter | undefined;
}

export interface PromoCodeRequestRepository {
  /** Refused with `UniqueViolationError` while the publisher has a request for the offer and platform in moderation. */
  insert(request: PromoCodeRequest): Promise<void>;
  get(id: string): Promise<PromoCodeRequest | undefined>;
  list(filter: PromoCodeRequestFilter, page: ListQuery): Promise<List<PromoCodeRequest>>;
  /** Records the decision on a request still in moderation; false when it was decided already. */
  decide(id: string, decision: { status: 'confirmed' | 'rejected'; code: string | null; reason: string | null; at: Date }): Promise<boolean>;
}

/** A payment. Money is in minor units of `currency`, the account currency when it was gathered. */
export interface PaymentRecord {
  id: string;
  publisherId: string;
  status: PaymentStatus;
  currency: string;
  total: number;
  conversionCount: number;
  adjustmentCount: number;
  adjustmentTotal: number;
  createdAt: Date;
  approvedAt: Date | null;
}

export interface PaymentItemRecord {
  paymentId: string;
  conversionId: string;
  kind: 'payout' | 'adjustment';
  /** Minor units of the payment currency; negative for an adjustment. */
  amount: number;
  createdAt: Date;
}

/** A publisher's money by stage, in minor units of the account currency (see `PaymentRepository.balance`). */
export interface BalanceTotals {
  accruing: number;
  pending: number;
  approved: number;
  paid: number;
}

export interface PaymentRepository {
  /**
   * Creates a pending payment holding every approved, payable payout of the publisher that no payment holds yet,
   * and the negative adjustment of every conversion rejected after an approved payment paid it. Each line is
   * claimed through the unique index on (conversion, kind), so a line claimed by a concurrent payment is skipped.
   * Returns the payment with its totals; the caller rolls back a payment that claimed nothing payable.
   */
  gather(payment: { id: string; publisherId: string; currency: string; at: Date }): Promise<PaymentRecord>;
  get(id: string): Promise<PaymentRecord | undefined>;
  list(filter: { publisherId?: string | undefined; status?: PaymentStatus | undefined }, page: ListQuery): Promise<List<PaymentRecord>>;
  /** The lines of one payment, newest conversion first; the cursor is a conversion id. */
  items(paymentId: string, page: ListQuery): Promise<List<PaymentItemRecord>>;
  /** Marks a pending payment approved and its payouts paid; false when it was not pending. */
  approve(id: string, at: Date): Promise<boolean>;
  /**
   * - `accruing`: non-rejected payouts a threshold still holds;
   * - `pending`: payouts of pending conversions;
   * - `approved`: payable, not yet paid: approved payouts in no payment, pending payments, and adjustments owed;
   * - `paid`: the total of approved payments.
   */
  balance(publisherId: string): Promise<BalanceTotals>;
}
