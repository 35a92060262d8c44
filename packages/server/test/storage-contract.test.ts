import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store, UniqueViolationError } from '../src/storage/index.js';
import { offerRecord, publisherRecord, testId } from './support/fixtures.js';
import { backends, freshDatabaseUrl, runCli } from './support/harness.js';

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
    expect(await store.migrate()).toEqual([1]);
    expect(await store.migrate()).toEqual([]);
  });

  it('lets two processes migrate the same database at once without applying anything twice', async () => {
    const url = await freshDatabaseUrl(backend);
    const outputs = await Promise.all([runCli(['migrate', '--database-url', url]), runCli(['migrate', '--database-url', url])]);
    expect(outputs.sort()).toEqual(['applied migrations 1', 'database is up to date']);
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
      statusMap: { '2': 'pending' as const, reversed: 'rejected' as const },
      createdAt: now,
      updatedAt: now,
    };
    await store.affiliateNetworks.insert(network);
    expect(await store.affiliateNetworks.get(network.id)).toEqual(network);
    expect(await store.affiliateNetworks.update({ ...network, name: 'TUNE' })).toBe(true);
    expect((await store.affiliateNetworks.list({ limit: 5 })).data[0]?.name).toBe('TUNE');
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
});
