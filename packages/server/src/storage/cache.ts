import type { Repositories, Store } from './store.js';

/**
 * How long a configuration read may be served from memory. Writes made through this process invalidate at once;
 * this bounds how late a change made by another server process sharing the database is seen.
 */
export const CONFIG_CACHE_MS = 1000;

/**
 * The configuration reads on the tracking hot path (every click and postback needs its offer, publisher, personal
 * payouts, network and FX rates), keyed by repository and the read methods served from memory.
 */
const CACHED_READS = {
  offers: ['get'],
  publishers: ['get'],
  affiliateNetworks: ['get'],
  // `/t/:campaign` reads its campaign, and the campaign's landers and source, on every paid visit.
  campaigns: ['get', 'getByIdOrAlias'],
  landers: ['get'],
  trafficSources: ['get'],
  // An offer with keywords reads its set on every click.
  keywordSets: ['get'],
  // Nothing cached, but switching an archive changes the cached lander or offer: its writes must clear the cache.
  localArchives: [],
  personalPayouts: ['allForOffer'],
  fxRates: ['all'],
} as const satisfies { [K in keyof Repositories]?: readonly (keyof Repositories[K])[] };

/** Reads on those repositories that neither use nor clear the cache; every other method is a write. */
const UNCACHED_READS = new Set(['list', 'listForOffer', 'usedBy', 'files', 'serve']);

type CachedRepository = keyof typeof CACHED_READS;
const cachedRepositories = Object.keys(CACHED_READS) as CachedRepository[];

/**
 * Wraps a store so that configuration reads come from a short-lived in-memory copy. Misses are not remembered (a
 * record created by another process is found at once), values are frozen (a caller that edits one in place fails
 * loudly instead of corrupting the copy), and any write to those repositories, inside a transaction or not, drops
 * the whole cache; a read that raced a write is not stored.
 */
export function withConfigCache(store: Store, ttlMs = CONFIG_CACHE_MS): Store {
  const entries = new Map<string, { value: unknown; expires: number }>();
  let generation = 0;
  const invalidate = () => {
    generation += 1;
    entries.clear();
  };

  const cachedRead = (key: string, read: () => Promise<unknown>) => {
    const hit = entries.get(key);
    const now = performance.now();
    if (hit && hit.expires > now) return Promise.resolve(hit.value);
    const started = generation;
    return read().then((value) => {
      if (value !== undefined && generation === started) entries.set(key, { value: deepFreeze(value), expires: now + ttlMs });
      return value;
    });
  };

  /** The repository with its writes made to invalidate, and with its reads cached while `cache()` says so. */
  const wrap = <R extends object>(name: CachedRepository, repository: R, cache: () => boolean, onWrite: () => void): R =>
    new Proxy(repository, {
      get(target, property, receiver) {
        const member = Reflect.get(target, property, receiver);
        if (typeof member !== 'function' || typeof property !== 'string' || UNCACHED_READS.has(property)) return member;
        if ((CACHED_READS[name] as readonly string[]).includes(property)) {
          return (...args: unknown[]) =>
            cache() ? cachedRead(`${name}.${property}:${args.join('\u0000')}`, () => member.apply(target, args)) : member.apply(target, args);
        }
        return async (...args: unknown[]) => {
          onWrite();
          try {
            return await member.apply(target, args);
          } finally {
            onWrite();
          }
        };
      },
    });

  const cached = { ...store } as Store;
  for (const name of cachedRepositories) (cached as unknown as Record<string, object>)[name] = wrap(name, store[name], () => true, invalidate);
  cached.transaction = async (fn) => {
    let wrote = false;
    try {
      return await store.transaction((tx) => {
        const onWrite = () => ((wrote = true), invalidate());
        // Inside a transaction the cache serves reads (a miss reads through the transaction) until the transaction
        // writes configuration; from then on they go to the database, to see its own writes. The other repositories
        // pass through untouched.
        const wrapped = new Map<string, object>();
        return fn(
          new Proxy(tx, {
            get(target, property) {
              if (typeof property !== 'string' || !(property in CACHED_READS)) return Reflect.get(target, property);
              let repository = wrapped.get(property);
              if (!repository) wrapped.set(property, (repository = wrap(property as CachedRepository, target[property as CachedRepository], () => !wrote, onWrite)));
              return repository;
            },
          }),
        );
      });
    } finally {
      // Once more after the commit, so that a read made between the write and the commit is not kept.
      if (wrote) invalidate();
    }
  };
  return cached;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}
