import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIRST_WORKSPACE_ID, migrate } from '../src/storage/migrations.js';
import { openPostgres } from '../src/storage/postgres/driver.js';
import { createSqlStore } from '../src/storage/sql-store.js';
import { openSqlite } from '../src/storage/sqlite/driver.js';
import { backends, freshDatabaseUrl, startTestServer, type TestServer } from './support/harness.js';

const NETWORK = { name: 'Network', clickIdParam: 'aff_sub', macros: { clickId: '{aff_sub}' } };

describe.each(backends())('workspaces on %s', (backend) => {
  let server: TestServer;
  /** Two private workspaces, a public one, and the first (public) workspace that holds records by default. */
  const ws = { a: '', b: '', open: '' };
  /** An offer and a network in each workspace, made with the unlimited admin key. */
  const offers = { a: '', b: '', open: '', first: '' };
  const networks = { a: '', b: '', open: '' };
  /** An admin key limited to workspace A. */
  let keyA: string;

  beforeAll(async () => {
    server = await startTestServer(backend);
    for (const [name, visibility] of [['a', 'private'], ['b', 'private'], ['open', 'public']] as const) {
      const created = await server.json('/v1/workspaces', { method: 'POST', json: { name: `Workspace ${name}`, visibility } });
      expect(created.status).toBe(201);
      ws[name] = created.body.id;
      networks[name] = (await server.json('/v1/affiliate-networks', { method: 'POST', json: { ...NETWORK, name: `Network ${name}`, workspaceId: ws[name] } })).body.id;
      offers[name] = (await server.createOffer({ workspaceId: ws[name] })).id;
    }
    offers.first = (await server.createOffer()).id;
    const key = await server.json('/v1/api-keys', { method: 'POST', json: { role: 'admin', workspaceId: ws.a, name: 'workspace A' } });
    expect(key.status).toBe(201);
    expect(key.body.workspaceId).toBe(ws.a);
    keyA = key.body.key;
  });
  afterAll(() => server?.close());

  const ids = (body: { data: { id: string }[] }) => body.data.map((record) => record.id).sort();

  it('puts a record into the first workspace when none is named, and says which on read', async () => {
    const offer = await server.json(`/v1/offers/${offers.first}`);
    expect(offer.body.workspaceId).toBe(FIRST_WORKSPACE_ID);
    const first = await server.json(`/v1/workspaces/${FIRST_WORKSPACE_ID}`);
    expect(first.body).toMatchObject({ id: FIRST_WORKSPACE_ID, visibility: 'public' });
    expect((await server.json(`/v1/affiliate-networks/${networks.b}`)).body.workspaceId).toBe(ws.b);
  });

  it('shows a workspace-limited key the records of its workspace and of public ones, and nothing of another private one', async () => {
    const list = await server.json('/v1/offers', { key: keyA });
    expect(ids(list.body)).toEqual([offers.a, offers.open, offers.first].sort());
    expect(ids((await server.json('/v1/affiliate-networks', { key: keyA })).body)).toEqual([networks.a, networks.open].sort());
    expect(ids((await server.json('/v1/workspaces', { key: keyA })).body)).toEqual([ws.a, ws.open, FIRST_WORKSPACE_ID].sort());
    expect(ids((await server.json(`/v1/offers?workspaceId=${ws.a}`, { key: keyA })).body)).toEqual([offers.a]);
    expect((await server.json(`/v1/offers?workspaceId=${ws.b}`, { key: keyA })).status).toBe(404);
    // The unlimited admin key sees every workspace.
    expect(ids((await server.json(`/v1/offers?workspaceId=${ws.b}`)).body)).toEqual([offers.b]);
  });

  it('answers 404 to a workspace-limited key for the records of another private workspace, reads and writes alike', async () => {
    for (const [method, path, json] of [
      ['GET', `/v1/offers/${offers.b}`, undefined],
      ['PATCH', `/v1/offers/${offers.b}`, { name: 'Taken over' }],
      ['DELETE', `/v1/offers/${offers.b}`, undefined],
      ['POST', `/v1/offers/${offers.b}/rotate-token`, undefined],
      ['GET', `/v1/offers/${offers.b}/links`, undefined],
      ['GET', `/v1/offers/${offers.b}/personal-payouts`, undefined],
      ['GET', `/v1/affiliate-networks/${networks.b}`, undefined],
      ['PATCH', `/v1/affiliate-networks/${networks.b}`, { name: 'Taken over' }],
      ['GET', `/v1/workspaces/${ws.b}`, undefined],
    ] as const) {
      const answer = await server.json(path, { method, key: keyA, ...(json ? { json } : {}) });
      expect({ method, path, status: answer.status }).toEqual({ method, path, status: 404 });
    }
    expect((await server.json(`/v1/offers/${offers.b}`)).body.name).not.toBe('Taken over');
    expect((await server.json(`/v1/offers/${offers.open}`, { key: keyA })).status).toBe(200);
  });

  it('creates a workspace-limited key’s records in its workspace, and refuses a workspace it does not reach with 422', async () => {
    const offer = await server.json('/v1/offers', { method: 'POST', key: keyA, json: { name: 'Made by key A', url: 'https://shop.example.com/', payout: { model: 'cpa', amount: '1.00' } } });
    expect(offer.status).toBe(201);
    expect(offer.body.workspaceId).toBe(ws.a);
    const elsewhere = await server.json('/v1/offers', {
      method: 'POST',
      key: keyA,
      json: { name: 'Made by key A in B', url: 'https://shop.example.com/', payout: { model: 'cpa', amount: '1.00' }, workspaceId: ws.b },
    });
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.body.error.issues[0].path).toBe('workspaceId');
    const unknown = await server.json('/v1/affiliate-networks', { method: 'POST', json: { ...NETWORK, workspaceId: 'ws_nowhere' } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.issues[0].path).toBe('workspaceId');
    const moved = await server.json(`/v1/offers/${offer.body.id}`, { method: 'PATCH', key: keyA, json: { workspaceId: ws.b } });
    expect(moved.status).toBe(422);
  });

  it('keeps a workspace-limited key off the routes that span every workspace', async () => {
    expect((await server.json('/v1/publishers', { method: 'POST', key: keyA, json: { name: 'Nope' } })).status).toBe(403);
    expect((await server.json('/v1/workspaces', { method: 'POST', key: keyA, json: { name: 'Mine' } })).status).toBe(403);
    expect((await server.json('/v1/api-keys', { key: keyA })).status).toBe(403);
    expect((await server.json('/v1/audit', { key: keyA })).status).toBe(403);
    expect((await server.json('/v1/fx-rates', { key: keyA })).status).toBe(403);
  });

  it('refuses a reference from one private workspace to another with 422, and allows one to a public workspace', async () => {
    const crossNetwork = await server.json(`/v1/offers/${offers.a}`, { method: 'PATCH', json: { affiliateNetworkId: networks.b } });
    expect(crossNetwork.status).toBe(422);
    expect(crossNetwork.body.error.issues[0]).toMatchObject({ path: 'affiliateNetworkId', code: 'cross_workspace_reference' });
    const crossFallback = await server.json(`/v1/offers/${offers.a}`, { method: 'PATCH', json: { cap: { daily: 5, fallbackOfferId: offers.b } } });
    expect(crossFallback.status).toBe(422);
    expect(crossFallback.body.error.issues[0].path).toBe('cap.fallbackOfferId');
    // A public workspace's records may be referred to from anywhere; the same workspace's too.
    expect((await server.json(`/v1/offers/${offers.a}`, { method: 'PATCH', json: { affiliateNetworkId: networks.open } })).status).toBe(200);
    expect((await server.json(`/v1/offers/${offers.a}`, { method: 'PATCH', json: { affiliateNetworkId: networks.a, cap: { daily: 5, fallbackOfferId: offers.first } } })).status).toBe(200);
    // A limited key is told that an unreachable record does not exist, not where it is.
    const hidden = await server.json(`/v1/offers/${offers.a}`, { method: 'PATCH', key: keyA, json: { affiliateNetworkId: networks.b } });
    expect(hidden.status).toBe(422);
    expect(hidden.body.error.issues[0].message).toBe(`no affiliate network "${networks.b}"`);
    // A network that offers of private workspace A use cannot move into private workspace B.
    const move = await server.json(`/v1/affiliate-networks/${networks.a}`, { method: 'PATCH', json: { workspaceId: ws.b } });
    expect(move.status).toBe(422);
    // A public workspace whose records others use cannot turn private: offer A's fallback is in the first workspace.
    const closed = await server.json(`/v1/workspaces/${FIRST_WORKSPACE_ID}`, { method: 'PATCH', json: { visibility: 'private' } });
    expect(closed.status).toBe(409);
    expect(closed.body.error).toMatchObject({ code: 'workspace_referenced', message: expect.stringContaining(offers.a) });
    // An offer that another workspace's offer falls back to cannot move into a private workspace.
    const fallback = await server.createOffer({ workspaceId: ws.open });
    expect((await server.json(`/v1/offers/${offers.open}`, { method: 'PATCH', json: { cap: { daily: 5, fallbackOfferId: fallback.id } } })).status).toBe(200);
    const hide = await server.json(`/v1/offers/${fallback.id}`, { method: 'PATCH', json: { workspaceId: ws.b } });
    expect(hide.status).toBe(422);
    expect(hide.body.error.issues[0]).toMatchObject({ path: 'workspaceId', code: 'cross_workspace_reference' });
    expect((await server.json(`/v1/offers/${fallback.id}`, { method: 'PATCH', json: { workspaceId: FIRST_WORKSPACE_ID } })).status).toBe(200);
    const quiet = await server.json('/v1/workspaces', { method: 'POST', json: { name: 'Quiet', visibility: 'public' } });
    expect((await server.json(`/v1/workspaces/${quiet.body.id}`, { method: 'PATCH', json: { visibility: 'private' } })).body.visibility).toBe('private');
  });

  it('refuses to move a traffic source, lander or campaign into a private workspace while a campaign of another workspace uses it', async () => {
    const post = async (path: string, json: unknown) => {
      const response = await server.json(path, { method: 'POST', json });
      expect(response.status).toBe(201);
      return response.body.id as string;
    };
    const flow = (landerIds: string[]) => ({ type: 'flow', landers: landerIds.map((landerId) => ({ landerId })), offers: [{ offerId: offers.open }] });
    const source = await post('/v1/traffic-sources', { name: 'Shared source', workspaceId: ws.open });
    const lander = await post('/v1/landers', { name: 'Shared lander', url: 'https://lander.example.com/', workspaceId: ws.open });
    const target = await post('/v1/campaigns', { name: 'Shared target', workspaceId: ws.open, streams: [{ name: 'Main', action: flow([]) }] });
    const user = await post('/v1/campaigns', {
      name: 'Campaign A',
      workspaceId: ws.a,
      trafficSourceId: source,
      streams: [
        { name: 'Lander', action: flow([lander]) },
        { name: 'Onward', action: { type: 'campaign', campaignId: target } },
      ],
    });
    for (const [path, what] of [
      [`/v1/traffic-sources/${source}`, 'traffic source'],
      [`/v1/landers/${lander}`, 'lander'],
      [`/v1/campaigns/${target}`, 'campaign'],
    ] as const) {
      const hide = await server.json(path, { method: 'PATCH', json: { workspaceId: ws.b } });
      expect({ path, status: hide.status }).toEqual({ path, status: 422 });
      expect(hide.body.error.issues[0]).toMatchObject({ path: 'workspaceId', code: 'cross_workspace_reference', message: `the campaign "${user}" of another workspace refers to this ${what}` });
      expect((await server.json(path)).body.workspaceId).toBe(ws.open);
    }
    // Into the using campaign's own workspace, or into another public one, the references stay allowed.
    expect((await server.json(`/v1/landers/${lander}`, { method: 'PATCH', json: { workspaceId: ws.a } })).body.workspaceId).toBe(ws.a);
    expect((await server.json(`/v1/traffic-sources/${source}`, { method: 'PATCH', json: { workspaceId: FIRST_WORKSPACE_ID } })).body.workspaceId).toBe(FIRST_WORKSPACE_ID);
    // Once the campaign is archived it holds nothing.
    expect((await server.json(`/v1/campaigns/${user}`, { method: 'DELETE' })).status).toBe(200);
    expect((await server.json(`/v1/campaigns/${target}`, { method: 'PATCH', json: { workspaceId: ws.b } })).body.workspaceId).toBe(ws.b);
  });

  it('shows a workspace-limited key the clicks, conversions, reports, promo codes and postback log of its reachable offers only', async () => {
    const publisher = (await server.json('/v1/publishers', { method: 'POST', json: { name: 'Traffic' } })).body.id;
    await server.click(offers.a, { query: `pub=${publisher}` });
    const clickB = await server.click(offers.b, { query: `pub=${publisher}` });
    const manual = async (offerId: string, key?: string) =>
      server.json('/v1/transactions', { method: 'POST', key, json: { offerId, publisherId: publisher, amount: '10.00', transactionId: `tx-${offerId}` } });
    const conversionA = (await manual(offers.a)).body.id;
    const conversionB = (await manual(offers.b)).body.id;

    const clicks = await server.json('/v1/clicks', { key: keyA });
    expect(clicks.body.data.map((click: { offerId: string }) => click.offerId)).toEqual([offers.a]);
    expect((await server.json(`/v1/clicks/${clickB.clickId}`, { key: keyA })).status).toBe(404);
    const conversions = await server.json('/v1/conversions', { key: keyA });
    expect(ids(conversions.body)).toEqual([conversionA]);
    expect((await server.json(`/v1/conversions/${conversionB}`, { key: keyA })).status).toBe(404);
    expect((await server.json(`/v1/conversions/${conversionB}`, { method: 'PATCH', key: keyA, json: { status: 'rejected' } })).status).toBe(404);
    expect((await server.json(`/v1/conversions/${conversionA}`, { method: 'PATCH', key: keyA, json: { status: 'rejected' } })).status).toBe(200);
    const refused = await manual(offers.b, keyA);
    expect(refused.status).toBe(404);
    expect(refused.body.error.code).toBe('unknown_offer');

    const report = await server.json('/v1/reports?from=2026-03-01&to=2026-03-01&groupBy=offer', { key: keyA });
    expect(report.status).toBe(200);
    expect(report.body.rows.map((row: { offerId: string }) => row.offerId)).toEqual([offers.a]);
    const all = await server.json('/v1/reports?from=2026-03-01&to=2026-03-01&groupBy=offer');
    expect(all.body.rows.map((row: { offerId: string }) => row.offerId).sort()).toEqual([offers.a, offers.b].sort());

    for (const [offerId, code] of [[offers.a, 'CODE-A'], [offers.b, 'CODE-B']]) {
      expect((await server.json('/v1/promo-codes', { method: 'POST', json: { offerId, publisherId: publisher, code } })).status).toBe(201);
    }
    expect((await server.json('/v1/promo-codes', { key: keyA })).body.data.map((code: { code: string }) => code.code)).toEqual(['CODE-A']);
    const requestB = (await server.json('/v1/promo-codes/requests', { method: 'POST', json: { offerId: offers.b, publisherId: publisher, platform: 'Blog' } })).body;
    expect((await server.json(`/v1/promo-codes/requests/${requestB.id}`, { key: keyA })).status).toBe(404);
    expect(ids((await server.json('/v1/promo-codes/requests', { key: keyA })).body)).toEqual([]);
    const askB = await server.json('/v1/promo-codes/requests', { method: 'POST', key: keyA, json: { offerId: offers.b, publisherId: publisher, platform: 'Video' } });
    expect(askB.status).toBe(422);
    expect(askB.body.error.issues[0].path).toBe('offerId');
    // Payments and balances add up a publisher's payouts on every offer, whatever its workspace.
    expect((await server.json('/v1/payments', { key: keyA })).status).toBe(403);
    expect((await server.json(`/v1/publishers/${publisher}/balance`, { key: keyA })).status).toBe(403);

    const postback = await server.request(`/postback?click_id=${clickB.clickId}&token=wrong`, { key: null });
    expect(postback.status).toBeGreaterThanOrEqual(400);
    const log = await server.json('/v1/postbacks', { key: keyA });
    expect(log.status).toBe(200);
    expect(log.body.data.every((entry: { offerId: string | null }) => entry.offerId === offers.a)).toBe(true);
    expect((await server.json('/v1/postbacks')).body.data.some((entry: { offerId: string | null }) => entry.offerId === offers.b)).toBe(true);
  });

  it('limits member and analyst users to their workspaces and the public ones, and lets analysts only read', async () => {
    const password = 'a long passphrase for workspace tests';
    await server.addUser({ email: 'member@example.com', role: 'member', workspaceIds: [ws.a] }, password);
    await server.addUser({ email: 'analyst@example.com', role: 'analyst', workspaceIds: [ws.a] }, password);
    const member = await server.signIn('member@example.com', password);
    const analyst = await server.signIn('analyst@example.com', password);
    const unknown = await server.json('/v1/users', { method: 'POST', json: { email: 'lost@example.com', role: 'member', workspaceIds: ['ws_nowhere'] } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.issues[0].path).toBe('workspaceIds.0');

    for (const user of [member, analyst]) {
      const listed = ids((await user.json('/v1/offers')).body);
      expect(listed).toContain(offers.a);
      expect(listed).toContain(offers.open);
      expect(listed).not.toContain(offers.b);
      expect((await user.json(`/v1/offers/${offers.b}`)).status).toBe(404);
      expect((await user.json(`/v1/affiliate-networks/${networks.b}`)).status).toBe(404);
      const session = await user.json('/v1/session');
      expect(session.body.workspaces.map((workspace: { id: string }) => workspace.id).sort()).toEqual([ws.a, ws.open, FIRST_WORKSPACE_ID].sort());
    }
    const made = await member.json('/v1/offers', { method: 'POST', json: { name: 'Made by a member', url: 'https://shop.example.com/', payout: { model: 'cpa', amount: '1.00' } } });
    expect(made.status).toBe(201);
    expect(made.body.workspaceId).toBe(ws.a);
    expect((await member.json(`/v1/offers/${offers.b}`, { method: 'PATCH', json: { name: 'Taken over' } })).status).toBe(404);
    expect((await member.json(`/v1/offers/${offers.a}`, { method: 'PATCH', json: { notes: 'by the member' } })).status).toBe(200);
    expect((await member.json('/v1/publishers', { method: 'POST', json: { name: 'Nope' } })).status).toBe(403);
    expect((await analyst.json('/v1/offers', { method: 'POST', json: { name: 'By an analyst', url: 'https://shop.example.com/', payout: { model: 'cpa', amount: '1.00' } } })).status).toBe(403);
    expect((await analyst.json(`/v1/offers/${offers.a}`, { method: 'PATCH', json: { notes: 'by the analyst' } })).status).toBe(403);
    expect((await analyst.json('/v1/conversions')).status).toBe(200);
  });

  it('refuses to delete a workspace that holds records or the first one with 409, and deletes an empty one', async () => {
    const held = await server.json(`/v1/workspaces/${ws.b}`, { method: 'DELETE' });
    expect(held.status).toBe(409);
    expect(held.body.error.code).toBe('workspace_not_empty');
    expect((await server.json(`/v1/workspaces/${FIRST_WORKSPACE_ID}`, { method: 'DELETE' })).status).toBe(409);
    const empty = await server.json('/v1/workspaces', { method: 'POST', json: { name: 'Empty' } });
    expect(empty.body.visibility).toBe('private');
    expect((await server.json('/v1/workspaces', { method: 'POST', json: { name: 'empty' } })).status).toBe(409);
    // A key limited to the workspace holds it until the key is revoked.
    const key = (await server.json('/v1/api-keys', { method: 'POST', json: { role: 'admin', workspaceId: empty.body.id } })).body;
    expect((await server.json(`/v1/workspaces/${empty.body.id}`, { method: 'DELETE' })).status).toBe(409);
    expect((await server.json(`/v1/api-keys/${key.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await server.json(`/v1/workspaces/${empty.body.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await server.json(`/v1/workspaces/${empty.body.id}`)).status).toBe(404);
  });
});

describe.each(backends())('upgrading to workspaces on %s', (backend) => {
  it('puts the offers and affiliate networks of before into the first workspace, which is public, and leaves keys unlimited', async () => {
    const databaseUrl = await freshDatabaseUrl(backend);
    const driver = backend === 'postgres' ? openPostgres(databaseUrl) : openSqlite(resolve(databaseUrl.slice('file:'.length)));
    await migrate(driver, { until: 9 });
    // Rows as version 9 stored them.
    await driver.run(
      `INSERT INTO offers (id, name, name_key, status, lead_type, visibility, config, postback_token, created_at, updated_at)
       VALUES ('off_old', 'Old offer', 'old offer', 'active', NULL, 'public', ?, 'old-token-1234567890', 1, 1)`,
      [JSON.stringify({ url: 'https://shop.example.com/', payout: { model: 'cpa', mode: 'fixed', amount: '1.00' } })],
    );
    await driver.run(`INSERT INTO affiliate_networks (id, name, config, created_at, updated_at) VALUES ('net_old', 'Old network', ?, 1, 1)`, [
      JSON.stringify({ clickIdParam: 'aff_sub', macros: {}, statusMap: {} }),
    ]);
    await driver.run(`INSERT INTO api_keys (id, name, role, publisher_id, prefix, hash, created_at) VALUES ('key_old', 'old', 'admin', NULL, 'wp_sk_old', ?, 1)`, ['b'.repeat(64)]);
    await driver.close();

    const server = await startTestServer(backend, { databaseUrl });
    try {
      const offer = await server.json('/v1/offers/off_old');
      expect(offer.body.workspaceId).toBe(FIRST_WORKSPACE_ID);
      expect((await server.json('/v1/affiliate-networks/net_old')).body.workspaceId).toBe(FIRST_WORKSPACE_ID);
      const keys = await server.json('/v1/api-keys');
      expect(keys.body.data.find((key: { id: string }) => key.id === 'key_old').workspaceId).toBeNull();
      const workspaces = await server.json('/v1/workspaces');
      expect(workspaces.body.data).toEqual([expect.objectContaining({ id: FIRST_WORKSPACE_ID, name: 'Default', visibility: 'public' })]);
      const store = createSqlStore(backend === 'postgres' ? openPostgres(databaseUrl) : openSqlite(resolve(databaseUrl.slice('file:'.length))));
      expect((await store.workspaces.first()).id).toBe(FIRST_WORKSPACE_ID);
      await store.close();
    } finally {
      await server.close();
    }
  });
});
