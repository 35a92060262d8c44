import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startTestServer, type TestServer } from './support/harness.js';

interface Entry {
  id: string;
  actor: { type: string; id: string };
  recordType: string;
  recordId: string;
  action: string;
  changes: Record<string, { before: unknown; after: unknown }>;
  createdAt: string;
}

describe.each(backends())('the audit log on %s', (backend) => {
  let server: TestServer;
  let adminKeyId: string;

  beforeAll(async () => {
    server = await startTestServer(backend);
    const keys = await server.json('/v1/api-keys');
    adminKeyId = keys.body.data.find((key: { name: string }) => key.name === 'test admin').id;
  });
  afterAll(() => server?.close());

  const entries = async (query = ''): Promise<Entry[]> => {
    const answer = await server.json(`/v1/audit?limit=500${query}`);
    expect(answer.status).toBe(200);
    return answer.body.data;
  };
  const entriesOf = async (recordId: string) => entries(`&recordId=${recordId}`);

  it('records every write route family with who made the change, on which record, and the changed fields', async () => {
    const offer = await server.createOffer({ name: 'Audited offer' });
    await server.json(`/v1/offers/${offer.id}`, { method: 'PATCH', json: { name: 'Audited offer, renamed' } });
    await server.json(`/v1/offers/${offer.id}/rotate-token`, { method: 'POST' });
    const publisher = (await server.json('/v1/publishers', { method: 'POST', json: { name: 'Audited publisher' } })).body;
    await server.json(`/v1/publishers/${publisher.id}`, { method: 'PATCH', json: { email: 'audited@example.com' } });
    const network = (await server.json('/v1/affiliate-networks', { method: 'POST', json: { template: 'affise' } })).body;
    await server.json(`/v1/affiliate-networks/${network.id}`, { method: 'PATCH', json: { name: 'Affise, renamed' } });
    const payout = (await server.json(`/v1/offers/${offer.id}/personal-payouts`, { method: 'POST', json: { publisherId: publisher.id, amount: '2.00' } })).body;
    await server.json(`/v1/offers/${offer.id}/personal-payouts/${payout.id}`, { method: 'DELETE' });
    const key = (await server.json('/v1/api-keys', { method: 'POST', json: { role: 'admin', name: 'audited key' } })).body;
    await server.json(`/v1/api-keys/${key.id}`, { method: 'DELETE' });
    const conversion = (await server.json('/v1/transactions', { method: 'POST', json: { offerId: offer.id, publisherId: publisher.id, amount: '10.00', status: 'pending' } })).body;
    await server.json(`/v1/conversions/${conversion.id}`, { method: 'PATCH', json: { status: 'approved' } });
    const code = (await server.json('/v1/promo-codes', { method: 'POST', json: { offerId: offer.id, publisherId: publisher.id, code: 'AUDIT10' } })).body;
    const request = (await server.json('/v1/promo-codes/requests', { method: 'POST', json: { offerId: offer.id, publisherId: publisher.id, platform: 'Blog' } })).body;
    await server.json(`/v1/promo-codes/requests/${request.id}/decision`, { method: 'POST', json: { decision: 'reject', reason: 'not now' } });
    const payment = (await server.json('/v1/payments', { method: 'POST', json: { publisherId: publisher.id } })).body;
    await server.json(`/v1/payments/${payment.id}/approve`, { method: 'POST' });
    await server.json('/v1/fx-rates', { method: 'PUT', json: { rates: { EUR: '1.1' } } });
    const workspace = (await server.json('/v1/workspaces', { method: 'POST', json: { name: 'Audited workspace' } })).body;
    await server.json(`/v1/workspaces/${workspace.id}`, { method: 'PATCH', json: { visibility: 'public' } });
    await server.json(`/v1/workspaces/${workspace.id}`, { method: 'DELETE' });

    const actions = (await entries()).map((entry) => `${entry.recordType} ${entry.recordId} ${entry.action}`);
    const expected = [
      `offer ${offer.id} create`,
      `offer ${offer.id} update`,
      `offer ${offer.id} rotate_token`,
      `publisher ${publisher.id} create`,
      `publisher ${publisher.id} update`,
      `affiliate_network ${network.id} create`,
      `affiliate_network ${network.id} update`,
      `personal_payout ${payout.id} create`,
      `personal_payout ${payout.id} delete`,
      `api_key ${key.id} create`,
      `api_key ${key.id} revoke`,
      `conversion ${conversion.id} create`,
      `conversion ${conversion.id} status_change`,
      `promo_code ${code.id} create`,
      `promo_code_request ${request.id} create`,
      `promo_code_request ${request.id} reject`,
      `payment ${payment.id} create`,
      `payment ${payment.id} approve`,
      'fx_rate EUR create',
      `workspace ${workspace.id} create`,
      `workspace ${workspace.id} update`,
      `workspace ${workspace.id} delete`,
    ];
    // Newest first.
    expect(actions).toEqual(expected.reverse());

    const [rename] = (await entriesOf(offer.id)).filter((entry) => entry.action === 'update');
    expect(rename!.actor).toEqual({ type: 'key', id: adminKeyId });
    expect(rename!.changes).toEqual({ name: { before: 'Audited offer', after: 'Audited offer, renamed' } });
    const [status] = (await entriesOf(conversion.id)).filter((entry) => entry.action === 'status_change');
    expect(status!.changes.status).toEqual({ before: 'pending', after: 'approved' });
  });

  it('never keeps a secret: tokens, webhook secrets and key hashes show as "[redacted]"', async () => {
    const offer = await server.createOffer();
    const rotated = (await server.json(`/v1/offers/${offer.id}/rotate-token`, { method: 'POST' })).body;
    const network = (await server.json('/v1/affiliate-networks', { method: 'POST', json: { template: 'clickbank', secret: 'S3CRETKEY0123456' } })).body;
    const publisher = (await server.json('/v1/publishers', { method: 'POST', json: { name: 'Signed', postbackSecret: 'publisher-signing-secret-1' } })).body;
    const key = (await server.json('/v1/api-keys', { method: 'POST', json: { role: 'admin', name: 'secret key' } })).body;

    const [created, rotation] = [...(await entriesOf(offer.id))].reverse();
    expect(created!.changes.postbackToken).toEqual({ before: null, after: '[redacted]' });
    expect(rotation!.changes).toEqual({ postbackToken: { before: '[redacted]', after: '[redacted]' } });
    expect((await entriesOf(network.id))[0]!.changes.secret).toEqual({ before: null, after: '[redacted]' });
    expect((await entriesOf(publisher.id))[0]!.changes.postbackSecret).toEqual({ before: null, after: '[redacted]' });
    const log = JSON.stringify(await entries());
    for (const secret of [offer.postbackToken, rotated.postbackToken, 'S3CRETKEY0123456', 'publisher-signing-secret-1', key.key]) {
      expect(log).not.toContain(secret);
    }
  });

  it('leaves no entry when the change fails after its entry was written', async () => {
    // An offer's entry is written before the offer, so a duplicate name fails after it, in the same transaction.
    await server.createOffer({ name: 'Only once' });
    const before = await entries('&recordType=offer');
    const duplicate = await server.json('/v1/offers', { method: 'POST', json: { name: 'only once', url: 'https://shop.example.com/', payout: { model: 'cpa', amount: '1.00' } } });
    expect(duplicate.status).toBe(409);
    expect(await entries('&recordType=offer')).toEqual(before);
    // A refused status change leaves none either.
    const conversions = await entries('&recordType=conversion');
    const approved = (await server.json('/v1/conversions?status=approved')).body.data[0];
    expect((await server.json(`/v1/conversions/${approved.id}`, { method: 'PATCH', json: { status: 'pending' } })).status).toBe(409);
    expect(await entries('&recordType=conversion')).toEqual(conversions);
  });

  it('names the signed-in user who made a change', async () => {
    const password = 'a long passphrase for audit tests';
    const { id: userId } = await server.addUser({ email: 'admin-user@example.com', role: 'admin' }, password);
    const user = await server.signIn('admin-user@example.com', password);
    const publisher = await user.json('/v1/publishers', { method: 'POST', json: { name: 'Made by a user' } });
    expect(publisher.status).toBe(201);
    const [entry] = await entriesOf(publisher.body.id);
    expect(entry!.actor).toEqual({ type: 'user', id: userId });
    expect((await entries(`&actorId=${userId}`)).map((found) => found.recordId)).toContain(publisher.body.id);

    // The user's own changes of its account: accepting the invite, and a new password (only that it changed).
    const changed = await user.json('/v1/session/password', { method: 'PUT', json: { currentPassword: password, password: 'another long passphrase for audits' } });
    expect(changed.status).toBe(204);
    const own = await entriesOf(userId);
    expect(own.map((found) => `${found.actor.type} ${found.actor.id} ${found.action}`)).toEqual([
      `user ${userId} password_change`,
      `user ${userId} accept_invite`,
      `key ${adminKeyId} create`,
    ]);
    expect(own[0]!.changes).toEqual({ passwordHash: { before: '[redacted]', after: '[redacted]' } });
    expect(own[1]!.changes.status).toEqual({ before: 'invited', after: 'active' });
  });

  it('records the changes made to users, without their password hashes', async () => {
    const invited = await server.json('/v1/users', { method: 'POST', json: { email: 'audited-user@example.com', role: 'member' } });
    expect(invited.status).toBe(201);
    const id = invited.body.id;
    await server.json(`/v1/users/${id}`, { method: 'PATCH', json: { role: 'analyst' } });
    await server.json(`/v1/users/${id}`, { method: 'DELETE' });
    const found = await entriesOf(id);
    expect(found.map((entry) => entry.action)).toEqual(['delete', 'update', 'create']);
    expect(found[1]!.changes.role).toEqual({ before: 'member', after: 'analyst' });
    expect(JSON.stringify(found)).not.toContain('passwordHash');
  });

  it('filters by record type, record, actor and time, and pages with a cursor', async () => {
    const other = (await server.json('/v1/api-keys', { method: 'POST', json: { role: 'admin', name: 'second actor' } })).body;
    server.clock.advance(60_000);
    const later = server.clock.now().toISOString();
    const made = (await server.json('/v1/publishers', { method: 'POST', key: other.key, json: { name: 'By the second key' } })).body;

    const byActor = await entries(`&actorId=${other.id}`);
    expect(byActor.map((entry) => entry.recordId)).toEqual([made.id]);
    expect(byActor[0]!.actor).toEqual({ type: 'key', id: other.id });
    expect((await entries(`&from=${encodeURIComponent(later)}`)).map((entry) => entry.recordId)).toEqual([made.id]);
    expect((await entries(`&to=${encodeURIComponent(later)}`)).some((entry) => entry.recordId === made.id)).toBe(false);
    expect((await entries('&recordType=publisher')).every((entry) => entry.recordType === 'publisher')).toBe(true);

    const all = await entries();
    const first = await server.json('/v1/audit?limit=2');
    expect(first.body.data.map((entry: Entry) => entry.id)).toEqual(all.slice(0, 2).map((entry) => entry.id));
    const second = await server.json(`/v1/audit?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.data.map((entry: Entry) => entry.id)).toEqual(all.slice(2, 4).map((entry) => entry.id));
    expect((await server.json('/v1/audit?from=yesterday')).status).toBe(400);
  });
});
