import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startTestServer, type TestServer } from './support/harness.js';

describe.each(backends())('a publisher’s own postback settings on %s', (backend) => {
  let server: TestServer;
  const mine = { id: '', key: '' };
  let otherId: string;

  beforeAll(async () => {
    // The default rule, whatever the machine's environment says: no private destinations.
    server = await startTestServer(backend, { env: { WAYPOST_ALLOW_PRIVATE_DESTINATIONS: 'false' } });
    mine.id = (await server.json('/v1/publishers', { method: 'POST', json: { name: 'Deal Hunters', postbackSecret: 'merchant-secret-0123456789' } })).body.id;
    mine.key = (await server.json('/v1/api-keys', { method: 'POST', json: { role: 'publisher', publisherId: mine.id } })).body.key;
    otherId = (await server.json('/v1/publishers', { method: 'POST', json: { name: 'Clicks Inc', postbackUrl: 'https://clicks.example/pb' } })).body.id;
  });
  afterAll(() => server.close());

  const put = (id: string, json: unknown, key: string | undefined = mine.key) => server.json(`/v1/publishers/${id}/postback`, { method: 'PUT', key, json });

  it('lets a publisher key set and clear its own postback URL, keeping the merchant’s secret from it', async () => {
    const set = await put(mine.id, { postbackUrl: 'https://tracker.deal-hunters.example/pb?cid={sub1}&payout={payout}' });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ id: mine.id, postbackUrl: 'https://tracker.deal-hunters.example/pb?cid={sub1}&payout={payout}', postbackSecret: null });
    const stored = (await server.json(`/v1/publishers/${mine.id}`)).body;
    expect(stored).toMatchObject({ name: 'Deal Hunters', status: 'active', postbackUrl: 'https://tracker.deal-hunters.example/pb?cid={sub1}&payout={payout}', postbackSecret: 'merchant-secret-0123456789' });
    const audit = (await server.json(`/v1/audit?recordType=publisher&recordId=${mine.id}`)).body.data;
    expect(audit[0]).toMatchObject({ action: 'update', recordId: mine.id });

    const cleared = await put(mine.id, { postbackUrl: null });
    expect(cleared.status).toBe(200);
    expect((await server.json(`/v1/publishers/${mine.id}`)).body.postbackUrl).toBeNull();
  });

  it('answers 404 for another publisher’s settings and leaves them as they were', async () => {
    const refused = await put(otherId, { postbackUrl: 'https://evil.example/pb' });
    expect(refused.status).toBe(404);
    expect((await server.json(`/v1/publishers/${otherId}`)).body.postbackUrl).toBe('https://clicks.example/pb');
  });

  it('refuses a URL that is no URL, another field, or a private address, naming postbackUrl', async () => {
    const bad = await put(mine.id, { postbackUrl: 'not a url' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.issues).toEqual([expect.objectContaining({ path: 'postbackUrl' })]);
    const secret = await put(mine.id, { postbackUrl: null, postbackSecret: 'mine-now-0123456789' });
    expect(secret.status).toBe(422);
    expect((await server.json(`/v1/publishers/${mine.id}`)).body.postbackSecret).toBe('merchant-secret-0123456789');
    const loopback = await put(mine.id, { postbackUrl: 'http://127.0.0.1:8080/pb' });
    expect(loopback.status).toBe(422);
    expect(loopback.body.error.issues).toEqual([expect.objectContaining({ path: 'postbackUrl' })]);
  });

  it('lets an admin key set any publisher’s postback URL', async () => {
    const set = await put(otherId, { postbackUrl: 'https://clicks.example/pb2' }, server.adminKey);
    expect(set.status).toBe(200);
    expect(set.body.postbackUrl).toBe('https://clicks.example/pb2');
  });
});
