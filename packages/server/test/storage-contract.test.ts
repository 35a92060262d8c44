import { afterEach, describe, expect, it } from 'vitest';
import { CONFIG_CACHE_MS } from '../src/storage/cache.js';
import { FIRST_WORKSPACE_ID, MIGRATIONS } from '../src/storage/migrations.js';
import { openStore, type Store, UniqueViolationError } from '../src/storage/index.js';
import { clickRecord, conversionRecord, offerRecord, publisherRecord, testId } from './support/fixtures.js';
import { backends, freshDatabaseUrl, runCli } from './support/harness.js';

const ALL_VERSIONS = MIGRATIONS.map((migration) => migration.version);

// One contract, every database: what passes here on SQLite must pass on PostgreSQL.
describe.each(backends())('the %s store', (backend) => {
  const open: Store[] = [];
  const openFresh = async (url?: string) => {
    const store = openStore(url ?? (await freshDatabaseUrl(backend)));
    open.push(store);
    await store.migrate();
    return store;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((store) => store.close().catch(() => {})));
  });

  it('applies migrations once and is idempotent when run again', async () => {
    const url = await freshDatabaseUrl(backend);
    const store = openStore(url);
    open.push(store);
    expect(await store.migrate()).toEqual(ALL_VERSIONS);
    expect(await store.migrate()).toEqual([]);
  });

  it('lets two processes migrate the same database at once without applying anything twice', async () => {
    const url = await freshDatabaseUrl(backend);
    const outputs = await Promise.all([runCli(['migrate', '--database-url', url]), runCli(['migrate', '--database-url', url])]);
    // Each migration takes the lock in its own transaction, so the two may share the work: what matters is that
    // every migration is applied by exactly one of them.
    for (const output of outputs) expect(output).toMatch(/^(applied migrations \d+(, \d+)*|database is up to date)$/);
    const applied = outputs.flatMap((output) => output.replace(/^applied migrations |^database is up to date$/g, '').split(', ').filter(Boolean));
    expect(applied.map(Number).sort((a, b) => a - b)).toEqual(ALL_VERSIONS);
    const store = await openFresh(url);
    expect(await store.migrate()).toEqual([]);
  });

  it('reports an empty database until something is stored', async () => {
    const store = await openFresh();
    expect(await store.isEmpty()).toBe(true);
    await store.publishers.insert(publisherRecord());
    expect(await store.isEmpty()).toBe(false);
  });

  it('stores and returns an offer with every field intact', async () => {
    const store = await openFresh();
    const offer = offerRecord({
      revenue: { mode: 'fixed', amount: '20.00' },
      cap: { daily: 50, total: 1000, timezone: 'Europe/Berlin' },
      payout: { model: 'cps', mode: 'fixed', percent: '7.5', geo: [{ countries: ['DE', 'AT'], percent: '9' }] },
      email: { enabled: true, to: ['ops@example.com'], subject: 'Sale {offer_id}', template: 'Payout {payout}' },
      tags: ['a', 'b'],
      allowedOrigins: ['https://shop.example.com'],
      expiresAt: '2027-01-01T00:00:00.000Z',
    });
    await store.offers.insert(offer);
    expect(await store.offers.get(offer.id)).toEqual(offer);
    expect(await store.offers.get('off_missing')).toBeUndefined();
  });

  it('refuses a second offer with the same name, whatever its case', async () => {
    const store = await openFresh();
    await store.offers.insert(offerRecord({ name: 'Solar US' }));
    await expect(store.offers.insert(offerRecord({ name: 'solar us' }))).rejects.toBeInstanceOf(UniqueViolationError);
  });

  it('filters offers by status, lead type, name and archive state', async () => {
    const store = await openFresh();
    const solar = offerRecord({ name: 'Solar Panels', leadType: 'Solar' });
    const payday = offerRecord({ name: 'Payday Loans', leadType: 'Payday', status: 'inactive' });
    const archived = offerRecord({ name: 'Old Solar', leadType: 'Solar', archivedAt: new Date().toISOString() });
    for (const offer of [solar, payday, archived]) await store.offers.insert(offer);
    const ids = async (filter: Parameters<Store['offers']['list']>[0]) =>
      (await store.offers.list(filter, { limit: 50 })).data.map((offer) => offer.id).sort();
    expect(await ids({})).toEqual([solar.id, payday.id].sort());
    expect(await ids({ includeArchived: true })).toEqual([solar.id, payday.id, archived.id].sort());
    expect(await ids({ status: 'inactive' })).toEqual([payday.id]);
    expect(await ids({ leadType: 'solar' })).toEqual([solar.id]);
    expect(await ids({ q: 'PANEL' })).toEqual([solar.id]);
    expect(await ids({ q: '100%_' })).toEqual([]);
  });

  it('shows a publisher only public offers and private offers shared with it', async () => {
    const store = await openFresh();
    const publisher = publisherRecord();
    const other = publisherRecord();
    const open = offerRecord();
    const shared = offerRecord({ visibility: 'private', publisherIds: [publisher.id] });
    const hidden = offerRecord({ visibility: 'private', publisherIds: [other.id] });
    for (const offer of [open, shared, hidden]) await store.offers.insert(offer);
    const visible = await store.offers.list({ visibleTo: publisher.id }, { limit: 50 });
    expect(visible.data.map((offer) => offer.id).sort()).toEqual([open.id, shared.id].sort());
    await store.offers.update({ ...shared, publisherIds: [] });
    expect((await store.offers.list({ visibleTo: publisher.id }, { limit: 50 })).data.map((o) => o.id)).toEqual([open.id]);
  });

  it('pages through a list newest first with a cursor', async () => {
    const store = await openFresh();
    const publishers = Array.from({ length: 7 }, () => publisherRecord());
    for (const publisher of publishers) await store.publishers.insert(publisher);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.publishers.list({}, { limit: 3, ...(cursor ? { cursor } : {}) });
      expect(page.data.length).toBeLessThanOrEqual(3);
      seen.push(...page.data.map((p) => p.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(publishers.map((p) => p.id).reverse());
  });

  it('updates a publisher and reports a missing one', async () => {
    const store = await openFresh();
    const publisher = publisherRecord();
    await store.publishers.insert(publisher);
    const paused = { ...publisher, status: 'paused' as const, postbackUrl: 'https://tracker.example.com/pb?c={click_id}' };
    expect(await store.publishers.update(paused)).toBe(true);
    expect(await store.publishers.get(publisher.id)).toEqual(paused);
    expect(await store.publishers.update(publisherRecord())).toBe(false);
    expect((await store.publishers.list({ status: 'paused' }, { limit: 10 })).data).toHaveLength(1);
  });

  it('stores affiliate network templates', async () => {
    const store = await openFresh();
    const now = new Date().toISOString();
    const network = {
      id: testId('net_'),
      name: 'HasOffers',
      clickIdParam: 'aff_sub',
      macros: { clickId: '{aff_sub}', amount: '{sale_amount}', status: '{status}' },
      params: { currency: 'cnv_currency' },
      statusMap: { '2': 'pending' as const, reversed: 'rejected' as const },
      workspaceId: FIRST_WORKSPACE_ID,
      createdAt: now,
      updatedAt: now,
    };
    await store.affiliateNetworks.insert(network);
    expect(await store.affiliateNetworks.get(network.id)).toEqual(network);
    expect(await store.affiliateNetworks.update({ ...network, name: 'TUNE' })).toBe(true);
    expect((await store.affiliateNetworks.list({}, { limit: 5 })).data[0]?.name).toBe('TUNE');
  });

  it('keeps one personal payout per offer, publisher and coupon', async () => {
    const store = await openFresh();
    const offerId = testId('off_');
    const base = { offerId, amount: '5.00', percent: null, createdAt: new Date().toISOString() };
    await store.personalPayouts.insert({ ...base, id: testId('pp_'), publisherId: 'pub_1', couponCode: null });
    await store.personalPayouts.insert({ ...base, id: testId('pp_'), publisherId: null, couponCode: 'SAVE10' });
    await store.personalPayouts.insert({ ...base, id: testId('pp_'), publisherId: 'pub_1', couponCode: 'SAVE10' });
    await expect(
      store.personalPayouts.insert({ ...base, id: testId('pp_'), publisherId: null, couponCode: 'save10' }),
    ).rejects.toBeInstanceOf(UniqueViolationError);
    const all = await store.personalPayouts.allForOffer(offerId);
    expect(all).toHaveLength(3);
    expect(await store.personalPayouts.delete(offerId, all[0]!.id)).toBe(true);
    expect(await store.personalPayouts.delete(offerId, all[0]!.id)).toBe(false);
  });

  it('finds an API key by hash until it is revoked', async () => {
    const store = await openFresh();
    const key = {
      id: testId('key_'),
      name: 'ci',
      role: 'publisher' as const,
      publisherId: 'pub_1',
      workspaceId: null,
      prefix: 'wp_pk_abcdef',
      hash: 'a'.repeat(64),
      createdAt: new Date().toISOString(),
      revokedAt: null,
    };
    await store.apiKeys.insert(key);
    const { hash, ...visible } = key;
    expect(await store.apiKeys.findByHash(hash)).toEqual(visible);
    expect(await store.apiKeys.revoke(key.id, new Date())).toBe(true);
    expect(await store.apiKeys.findByHash(hash)).toBeUndefined();
    expect((await store.apiKeys.list({ limit: 5 })).data[0]?.revokedAt).not.toBeNull();
  });

  it('keeps every record across a restart on the same database', async () => {
    const url = await freshDatabaseUrl(backend);
    const first = openStore(url);
    await first.migrate();
    const offer = offerRecord();
    const publisher = publisherRecord();
    await first.offers.insert(offer);
    await first.publishers.insert(publisher);
    await first.close();

    const second = await openFresh(url);
    expect(await second.migrate()).toEqual([]);
    expect(await second.offers.get(offer.id)).toEqual(offer);
    expect(await second.publishers.get(publisher.id)).toEqual(publisher);
  });

  it('stores a conversion once per offer, click and dedupe key, and one primary conversion per click', async () => {
    const store = await openFresh();
    const first = conversionRecord({ transactionId: 'T1' });
    expect(await store.conversions.insert({ ...first, clickKey: 'click_1', dedupeKey: 'tx:T1', isPrimary: true })).toBe(true);
    expect(await store.conversions.get(first.id)).toEqual(first);
    // The same key again, even as another row, is refused by the database.
    expect(await store.conversions.insert({ ...conversionRecord(), clickKey: 'click_1', dedupeKey: 'tx:T1', isPrimary: false })).toBe(false);
    // A second primary conversion for the click is refused too; a non-primary one (a rebill) is not.
    expect(await store.conversions.insert({ ...conversionRecord(), clickKey: 'click_1', dedupeKey: 'tx:T2', isPrimary: true })).toBe(false);
    const rebill = conversionRecord({ kind: 'rebill', transactionId: 'T3' });
    expect(await store.conversions.insert({ ...rebill, clickKey: 'click_1', dedupeKey: 'tx:T3', isPrimary: false })).toBe(true);
    expect(await store.conversions.findTwins('off_1', 'click_1', 'tx:T1')).toEqual({ sameKey: first, primary: first });
    expect(await store.conversions.findTwins('off_1', 'click_1', 'tx:T3')).toEqual({ sameKey: rebill, primary: first });
    expect(await store.conversions.findTwins('off_1', 'click_1', 'tx:T9')).toEqual({ primary: first });
    expect(await store.conversions.findTwins('off_1', 'click_2', 'tx:T1')).toEqual({});
    const listed = await store.conversions.list({ offerId: 'off_1' }, { limit: 10 }, 'asc');
    expect(listed.data.map((c) => c.id)).toEqual([first.id, rebill.id]);
    // A compare-and-set on the status: a change based on a stale read is refused, and fields not named stay.
    expect(await store.conversions.update(first.id, { status: 'rejected', reason: 'refund', counted: false }, { status: 'pending' })).toBe(false);
    expect(await store.conversions.update(first.id, { status: 'rejected', reason: 'refund', counted: false }, { status: first.status })).toBe(true);
    expect(await store.conversions.get(first.id)).toMatchObject({ status: 'rejected', reason: 'refund', counted: false, transactionId: first.transactionId, payoutState: first.payoutState });
  });

  it('lets exactly one of many concurrent inserts of the same conversion land', async () => {
    const store = await openFresh();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => store.conversions.insert({ ...conversionRecord(), clickKey: 'click_9', dedupeKey: 'ev:', isPrimary: true })),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('counts against limits atomically and all or nothing', async () => {
    const store = await openFresh();
    const scopes = [{ scope: 'cap:o:day:2026-03-01', limit: 2 }, { scope: 'cap:o:total', limit: 3 }];
    expect(await store.transaction((tx) => tx.counters.incrementAll(scopes))).toBe(true);
    expect(await store.transaction((tx) => tx.counters.incrementAll(scopes))).toBe(true);
    expect(await store.transaction((tx) => tx.counters.incrementAll(scopes))).toBe(false);
    expect(await store.counters.get('cap:o:total')).toEqual({ count: 2, released: false });
    const nextDay = [{ scope: 'cap:o:day:2026-03-02', limit: 2 }, { scope: 'cap:o:total', limit: 3 }];
    expect(await store.transaction((tx) => tx.counters.incrementAll(nextDay))).toBe(true);
    // The total is now full, so the day's count must not move either.
    expect(await store.transaction((tx) => tx.counters.incrementAll(nextDay))).toBe(false);
    expect(await store.counters.get('cap:o:day:2026-03-02')).toEqual({ count: 1, released: false });
    await store.transaction((tx) => tx.counters.decrement('cap:o:total'));
    expect((await store.counters.get('cap:o:total'))?.count).toBe(2);
    expect(await store.transaction((tx) => tx.counters.release('thr:x'))).toBe(false);
    await store.transaction((tx) => tx.counters.increment('thr:x'));
    expect(await store.transaction((tx) => tx.counters.release('thr:x'))).toBe(true);
    expect(await store.transaction((tx) => tx.counters.release('thr:x'))).toBe(false);
    // Without limits every scope counts, new or not.
    const uncapped = [{ scope: 'cap:u:day:2026-03-01' }, { scope: 'cap:o:total' }];
    expect(await store.transaction((tx) => tx.counters.incrementAll(uncapped))).toBe(true);
    expect(await store.counters.get('cap:u:day:2026-03-01')).toEqual({ count: 1, released: false });
    expect((await store.counters.get('cap:o:total'))?.count).toBe(3);
  });

  it('never lets concurrent increments pass a limit', async () => {
    const store = await openFresh();
    const results = await Promise.all(
      Array.from({ length: 30 }, () => store.transaction((tx) => tx.counters.incrementAll([{ scope: 'cap:race', limit: 7 }]))),
    );
    expect(results.filter(Boolean)).toHaveLength(7);
    expect((await store.counters.get('cap:race'))?.count).toBe(7);
  });

  it('rolls back every write of a transaction that throws', async () => {
    const store = await openFresh();
    const publisher = publisherRecord();
    await expect(
      store.transaction(async (tx) => {
        await tx.publishers.insert(publisher);
        await tx.counters.increment('cap:rollback');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await store.publishers.get(publisher.id)).toBeUndefined();
    expect(await store.counters.get('cap:rollback')).toBeUndefined();
  });

  it('keeps the clicks and log entries of the transactions that commit, however many share a batch', async () => {
    const store = await openFresh();
    const kept: string[] = [];
    const dropped: string[] = [];
    // Started together, so that SQLite commits them as one batch, its appended rows as multi-row inserts.
    const results = await Promise.allSettled(
      Array.from({ length: 90 }, (_, i) => {
        const click = clickRecord();
        (i % 5 === 4 ? dropped : kept).push(click.id);
        return store.transaction(async (tx) => {
          await tx.clicks.insert(click);
          await tx.postbackLog.insert({
            id: testId('pbl_'), channel: 'postback', method: 'GET', params: { click_id: click.id }, ip: null, httpStatus: 200,
            outcome: 'accepted', reason: null, offerId: 'off_1', clickId: click.id, conversionId: null, createdAt: new Date(),
          });
          // One in five fails: some after a write made through a read (an upsert with RETURNING), some after appends only.
          if (i % 10 === 9) await tx.counters.increment(`cap:append:${i}`);
          if (i % 5 === 4) throw new Error('boom');
        });
      }),
    );
    expect(results.filter((result) => result.status === 'rejected')).toHaveLength(18);
    expect(await store.clicks.count({ offerId: 'off_1' })).toBe(72);
    for (const id of kept) expect(await store.clicks.get(id)).toEqual(clickRecord({ id }));
    for (const id of dropped) expect(await store.clicks.get(id)).toBeUndefined();
    expect(await store.counters.get('cap:append:9')).toBeUndefined();
    const log = await store.postbackLog.list({ offerId: 'off_1' }, { limit: 100 });
    expect(log.data.map((entry) => entry.clickId).sort()).toEqual([...kept].sort());
  });

  it('adds rollup deltas and answers grouped queries from both rollups', async () => {
    const store = await openFresh();
    const base = { offerId: 'off_r', publisherId: 'pub_r', country: 'US', sub1: 's1', sub2: null, sub3: null, sub4: null, sub5: null, couponCode: null };
    await store.rollups.add({ ...base, day: '2026-03-01', at: new Date('2026-03-01T10:00:00Z'), metrics: { clicks: 1 } });
    await store.rollups.add({ ...base, day: '2026-03-01', at: new Date('2026-03-01T10:05:00Z'), metrics: { clicks: 1, approved: 1, payout_approved: 500 } });
    await store.rollups.add({ ...base, sub1: 's2', day: '2026-03-02', at: new Date('2026-03-02T09:00:00Z'), metrics: { clicks: 1 } });
    const days = [
      { day: '2026-03-01', start: new Date('2026-03-01T00:00:00Z'), end: new Date('2026-03-02T00:00:00Z') },
      { day: '2026-03-02', start: new Date('2026-03-02T00:00:00Z'), end: new Date('2026-03-03T00:00:00Z') },
    ];
    const daily = await store.rollups.query({ source: 'daily', days, groupBy: ['day', 'offer'], filters: {} });
    expect(daily.map((row) => [row.day, row.offer, row.clicks, row.approved, row.payout_approved])).toEqual([
      ['2026-03-01', 'off_r', 2, 1, 500],
      ['2026-03-02', 'off_r', 1, 0, 0],
    ]);
    const detail = await store.rollups.query({ source: 'detail', days, groupBy: ['day', 'sub1'], filters: { publisherId: 'pub_r' } });
    expect(detail.map((row) => [row.day, row.sub1, row.clicks])).toEqual([
      ['2026-03-01', 's1', 2],
      ['2026-03-02', 's2', 1],
    ]);
    const totals = await store.rollups.query({ source: 'detail', days: days.slice(0, 1), groupBy: [], filters: { country: 'US' } });
    expect(totals).toEqual([expect.objectContaining({ clicks: 2, approved: 1 })]);
    await store.rollups.rebuildDaily(() => '2026-02-28');
    const rebuilt = await store.rollups.query({ source: 'daily', days: [{ day: '2026-02-28', start: new Date(0), end: new Date(0) }], groupBy: [], filters: {} });
    expect(rebuilt[0]?.clicks).toBe(3);
  });

  it('sums rollup deltas of concurrent transactions and drops those of a transaction that throws', async () => {
    const store = await openFresh();
    const delta = {
      offerId: 'off_sum', publisherId: null, country: null, sub1: null, sub2: null, sub3: null, sub4: null, sub5: null, couponCode: null,
      day: '2026-03-01', at: new Date('2026-03-01T10:00:00Z'),
    };
    // Started together, so that SQLite commits them as one batch.
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) =>
        store.transaction(async (tx) => {
          await tx.rollups.add({ ...delta, metrics: { clicks: 1, click_payout: 25 } });
          if (i % 4 === 3) throw new Error('boom');
        }),
      ),
    );
    expect(results.filter((result) => result.status === 'rejected')).toHaveLength(10);
    const days = [{ day: '2026-03-01', start: new Date('2026-03-01T00:00:00Z'), end: new Date('2026-03-02T00:00:00Z') }];
    for (const source of ['daily', 'detail'] as const) {
      const [row] = await store.rollups.query({ source, days, groupBy: ['offer'], filters: {} });
      expect([row?.clicks, row?.click_payout]).toEqual([30, 750]);
    }
  });

  it('keeps the last saved visitor of a batch and drops those of a transaction that throws', async () => {
    const store = await openFresh();
    const visitor = (name: string, at: number, streamId: string) => ({
      campaignId: 'cmp_put', visitor: name, lastSeenAt: new Date(at), streamId, landerId: null, offerId: 'off_put', streams: { [streamId]: at },
    });
    // The same visitor saved three times, another one saved by a transaction that throws afterwards. On SQLite they
    // start together, so that one batch holds them all and the last put of a key must win; PostgreSQL writes each put
    // at once on its own connection, where only commit order makes one "last", so there each waits for the one before.
    const saves = [
      () => store.transaction((tx) => tx.campaignVisits.saveVisitor(visitor('returning', 1_000, 'str_first'))),
      () => store.transaction((tx) => tx.campaignVisits.saveVisitor(visitor('returning', 2_000, 'str_second'))),
      () =>
        store.transaction(async (tx) => {
          await tx.campaignVisits.saveVisitor(visitor('dropped', 2_500, 'str_any'));
          throw new Error('boom');
        }),
      () => store.transaction((tx) => tx.campaignVisits.saveVisitor(visitor('returning', 3_000, 'str_third'))),
    ];
    const results: PromiseSettledResult<unknown>[] = [];
    if (backend === 'sqlite') results.push(...(await Promise.allSettled(saves.map((save) => save()))));
    else for (const save of saves) results.push(...(await Promise.allSettled([save()])));
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const saved = await store.campaignVisits.getVisitor('cmp_put', 'returning');
    expect([saved?.lastSeenAt.getTime(), saved?.streamId, saved?.streams]).toEqual([3_000, 'str_third', { str_third: 3_000 }]);
    expect(await store.campaignVisits.getVisitor('cmp_put', 'dropped')).toBeUndefined();
  });

  it('serves offers from memory only until this process changes them or the cache expires', async () => {
    const url = await freshDatabaseUrl(backend);
    const store = await openFresh(url);
    const other = await openFresh(url);
    const offer = offerRecord({ name: 'Cached offer' });
    await store.offers.insert(offer);
    // A record another process created is found at once: misses are not remembered.
    expect((await other.offers.get(offer.id))?.name).toBe('Cached offer');
    expect(Object.isFrozen(await other.offers.get(offer.id))).toBe(true);

    await store.offers.update({ ...offer, name: 'Renamed' });
    expect((await store.offers.get(offer.id))?.name).toBe('Renamed');
    await store.transaction((tx) => tx.offers.update({ ...offer, name: 'Renamed in a transaction' }));
    expect((await store.offers.get(offer.id))?.name).toBe('Renamed in a transaction');

    // The other process still has its copy, for at most CONFIG_CACHE_MS.
    expect((await other.offers.get(offer.id))?.name).toBe('Cached offer');
    await new Promise((resolve) => setTimeout(resolve, CONFIG_CACHE_MS + 50));
    expect((await other.offers.get(offer.id))?.name).toBe('Renamed in a transaction');
  });

  it('stores FX rates, the postback log, idempotency keys, promo codes and settings', async () => {
    const store = await openFresh();
    await store.fxRates.put({ EUR: '1.10', JPY: '0.0067' }, new Date('2026-03-01T00:00:00Z'));
    await store.fxRates.put({ EUR: '1.12' }, new Date('2026-03-02T00:00:00Z'));
    expect((await store.fxRates.all()).map((r) => [r.currency, r.rate])).toEqual([['EUR', '1.12'], ['JPY', '0.0067']]);

    const entry = { id: testId('pb_'), channel: 'postback' as const, method: 'GET', params: { click_id: 'x', token: '[redacted]' }, ip: '127.0.0.1', httpStatus: 404, outcome: 'rejected', reason: 'unknown_click', offerId: null, clickId: 'x', conversionId: null, createdAt: new Date() };
    await store.postbackLog.insert(entry);
    expect((await store.postbackLog.list({ outcome: 'rejected' }, { limit: 5 })).data).toEqual([entry]);

    expect(await store.idempotency.claim('key:a', 'h1', new Date())).toEqual({ claimed: true });
    expect(await store.idempotency.claim('key:a', 'h2', new Date())).toEqual({ claimed: false, requestHash: 'h1', status: null, body: null });
    await store.idempotency.complete('key:a', 201, '{"ok":true}');
    expect(await store.idempotency.claim('key:a', 'h1', new Date())).toEqual({ claimed: false, requestHash: 'h1', status: 201, body: '{"ok":true}' });

    const code = { id: testId('pc_'), code: 'Summer10', offerId: 'off_1', publisherId: 'pub_1', createdAt: new Date().toISOString(), requestId: null };
    await store.promoCodes.insert(code);
    expect((await store.promoCodes.find('off_1', 'SUMMER10'))?.publisherId).toBe('pub_1');
    await expect(store.promoCodes.insert({ ...code, id: testId('pc_'), code: 'summer10' })).rejects.toBeInstanceOf(UniqueViolationError);

    await store.settings.set('rollup_timezone', 'UTC');
    await store.settings.set('rollup_timezone', 'Europe/Berlin');
    expect(await store.settings.get('rollup_timezone')).toBe('Europe/Berlin');
  });
});
