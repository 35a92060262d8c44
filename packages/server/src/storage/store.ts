import type {
  AffiliateNetwork,
  ApiKey,
  ApiKeyRole,
  List,
  ListQuery,
  Offer,
  PersonalPayout,
  Publisher,
} from '@waypost/schema';

/**
 * The one storage interface. Everything above storage/ talks to this and never learns which database is behind it.
 * Repositories return plain objects in the wire shape; they do not validate (routes do) but they do enforce
 * uniqueness, and report it as `UniqueViolationError`.
 */
export interface Store {
  /** Applies pending migrations; returns the versions applied now. */
  migrate(): Promise<number[]>;
  close(): Promise<void>;
  /** True when no offer, publisher or API key exists yet (what `waypost demo` needs). */
  isEmpty(): Promise<boolean>;

  offers: OfferRepository;
  publishers: PublisherRepository;
  affiliateNetworks: AffiliateNetworkRepository;
  personalPayouts: PersonalPayoutRepository;
  apiKeys: ApiKeyRepository;
}

export interface OfferFilter {
  status?: Offer['status'] | undefined;
  leadType?: string | undefined;
  /** Case-insensitive substring of the name. */
  q?: string | undefined;
  includeArchived?: boolean | undefined;
  /** Only the offers this publisher may promote. */
  visibleTo?: string | undefined;
}

export interface OfferRepository {
  insert(offer: Offer): Promise<void>;
  get(id: string): Promise<Offer | undefined>;
  list(filter: OfferFilter, page: ListQuery): Promise<List<Offer>>;
  /** Replaces the stored offer with `offer` (same id); returns false when it does not exist. */
  update(offer: Offer): Promise<boolean>;
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

export interface AffiliateNetworkRepository {
  insert(network: AffiliateNetwork): Promise<void>;
  get(id: string): Promise<AffiliateNetwork | undefined>;
  list(page: ListQuery): Promise<List<AffiliateNetwork>>;
  update(network: AffiliateNetwork): Promise<boolean>;
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

export type { ApiKeyRole };
