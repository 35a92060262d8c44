import { createHmac } from 'node:crypto';
import type { TrafficSource } from '@waypost/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../src/ids.js';
import { OutboxDispatcher } from '../src/outbox/dispatcher.js';
import { backends, startTestServer, type TestServer } from './support/harness.js';
import { createCampaign, toOffer, visit } from './support/campaigns.js';
import { type PostbackReceiver, startPostbackReceiver } from './support/receivers.js';

const HOUR = 3_600_000;
const SECRET = 'source-secret-0123456789';
const RETRIES = { WAYPOST_DELIVERY_ATTEMPTS: '3', WAYPOST_DELIVERY_BACKOFF_MS: '1000', WAYPOST_DELIVERY_TIMEOUT_MS: '2000', WAYPOST_DELIVERY_POLL_MS: String(HOUR) };

/** Whether `X-Waypost-Signature` is the HMAC of the request as the README tells a receiver to check it, under `secret`. */
function signedWith(request: { url: string; headers: Record<string, unknown> }, secret: string): boolean {
  const signature = String(request.headers['x-waypost-signature']);
  const t = /^t=(\d{10}),v1=[0-9a-f]{64}$/.exec(signature)?.[1];
  return t !== undefined && signature === `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${request.url}`).digest('hex')}`;
}

/** A traffic source whose `cid` parameter is its click id, with this postback URL, signing with `SECRET`. */
async function sourceWithPostback(server: TestServer, postbackUrl: string | null): Promise<TrafficSource> {
  const now = server.clock.now().toISOString();
  const source: TrafficSource = {
    id: newId('trs_', server.clock.now()),
    name: 'Push network',
    params: [{ field: 'externalId', param: 'cid', macro: '{clickid}' }],
    postbackUrl,
    postbackSecret: SECRET,
    notes: null,
    workspaceId: 'ws_first',
    archivedAt: null,
    createdAt: now,
    updatedAt: now,
  };
  await server.store.trafficSources.insert(source);
  return source;
}

describe.each(backends())("the traffic source's postback (%s)", (backend) => {
  let server: TestServer;
  let outbox: OutboxDispatcher;
  let receiver: PostbackReceiver;

  beforeAll(async () => {
    server = await startTestServer(backend, { env: RETRIES });
    // No poll runs during a test: each one runs the dispatcher's pass itself.
    outbox = new OutboxDispatcher(server.context, {}, () => {}).start();
    receiver = await startPostbackReceiver();
  });
  afterAll(async () => {
    await outbox.stop();
    await server.close();
    await receiver.close();
  });

  type Offer = { id: string; postbackToken: string };
  const funnel = async (postbackUrl: string | null, offerFields: Record<string, unknown> = {}) => {
    const offer = await server.createOffer<Offer>({ payout: { model: 'cpa', amount: '3.00' }, revenue: { amount: '4.20' }, ...offerFields });
    const source = await sourceWithPostback(server, postbackUrl);
    const campaign = await createCampaign(server, { trafficSourceId: source.id, streams: [{ name: 's', action: toOffer(offer.id) }] });
    return { offer, source, campaign };
  };
  const convert = async (offer: Offer, query: string) => {
    const response = await server.json(`/postback?${query}&token=${offer.postbackToken}`, { key: null });
    expect(response.status).toBe(200);
    return response.body.conversionId as string;
  };
  const deliveriesOf = async (conversionId: string) => (await server.json(`/v1/deliveries?conversionId=${conversionId}`)).body.data as any[];

  it('calls the postback URL with the external id, the campaign and the revenue as payout and revenue', async () => {
    const { offer, campaign } = await funnel(
      `${receiver.url}/conv?clickid={external_id}&camp={campaign_id}&payout={payout}&revenue={revenue}&status={status}&tx={transaction_id}&cid={click_id}&cc={country_code}&x={unknown}`,
    );
    const landed = await visit(server, campaign.id, { query: 'cid=src%20click%261', headers: { 'cf-ipcountry': 'DE' } });
    const before = receiver.received.length;
    const conversionId = await convert(offer, `click_id=${landed.clickId}&transaction_id=T-9`);
    await outbox.tick();

    const requests = receiver.received.slice(before);
    expect(requests).toHaveLength(1);
    const url = new URL(requests[0]!.url);
    expect(url.pathname).toBe('/conv');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      clickid: 'src click&1',
      camp: campaign.id,
      payout: '4.20',
      revenue: '4.20',
      status: 'approved',
      tx: 'T-9',
      cid: landed.clickId,
      cc: 'DE',
      x: '',
    });
    expect(requests[0]!.url).not.toMatch(/[{}]|%7B/i);
    const [delivery] = await deliveriesOf(conversionId);
    expect(delivery).toMatchObject({ kind: 'postback', trigger: 'conversion', status: 'delivered', publisherId: null, target: requests[0]!.url });
    expect(requests[0]!.headers['x-waypost-delivery']).toBe(delivery.id);
    // Signed as a publisher postback is, with the source's secret and nothing else.
    expect(signedWith(requests[0]!, SECRET)).toBe(true);
    expect(signedWith(requests[0]!, 'another-secret-0123456789')).toBe(false);
  });

  it('signs with the secret made on create, which the team reads, a replacement keeps, a rotation changes and the audit log never shows', async () => {
    const offer = await server.createOffer<Offer>({ payout: { model: 'cpa', amount: '3.00' } });
    const created = await server.json('/v1/traffic-sources', {
      method: 'POST',
      json: { name: 'Signed network', params: [{ field: 'externalId', param: 'cid', macro: '{clickid}' }], postbackUrl: `${receiver.url}/signed?clickid={external_id}&status={status}` },
    });
    expect(created.status).toBe(201);
    const secret: string = created.body.postbackSecret;
    expect(secret).toMatch(/^\S{16,}$/);
    expect((await server.json(`/v1/traffic-sources/${created.body.id}`)).body.postbackSecret).toBe(secret);
    const { id: _, postbackSecret: _secret, archivedAt: _archived, createdAt: _created, updatedAt: _updated, ...fields } = created.body;
    const replaced = await server.json(`/v1/traffic-sources/${created.body.id}`, { method: 'PUT', json: { ...fields, name: 'Signed network, renamed' } });
    expect(replaced.body.postbackSecret).toBe(secret);

    const campaign = await createCampaign(server, { trafficSourceId: created.body.id, streams: [{ name: 's', action: toOffer(offer.id) }] });
    const before = receiver.received.length;
    const conversionId = await convert(offer, `click_id=${(await visit(server, campaign.id, { query: 'cid=signed' })).clickId}&status=pending`);
    await outbox.tick();
    const rotated = 'rotated-secret-0123456789';
    expect((await server.json(`/v1/traffic-sources/${created.body.id}`, { method: 'PATCH', json: { postbackSecret: rotated } })).body.postbackSecret).toBe(rotated);
    expect((await server.json(`/v1/conversions/${conversionId}`, { method: 'PATCH', json: { status: 'approved' } })).status).toBe(200);
    await outbox.tick();

    const [pending, approved] = receiver.received.slice(before);
    expect([pending, approved].map((request) => new URL(request!.url).searchParams.get('status'))).toEqual(['pending', 'approved']);
    expect([signedWith(pending!, secret), signedWith(approved!, secret), signedWith(approved!, rotated)]).toEqual([true, false, true]);

    const audit = JSON.stringify((await server.json(`/v1/audit?recordId=${created.body.id}`)).body.data);
    expect(audit).toContain('postbackSecret');
    expect(audit).not.toContain(secret);
    expect(audit).not.toContain(rotated);
  });

  it('sends it again on each status change, and retries a receiver that is down', async () => {
    const { offer, campaign } = await funnel(`${receiver.url}/status?clickid={external_id}&status={status}&revenue={revenue}`);
    const landed = await visit(server, campaign.id, { query: 'cid=abc' });
    const before = receiver.received.length;
    const conversionId = await convert(offer, `click_id=${landed.clickId}&status=pending`);
    await outbox.tick();
    receiver.failNext(1);
    expect((await server.json(`/v1/conversions/${conversionId}`, { method: 'PATCH', json: { status: 'approved' } })).status).toBe(200);
    await outbox.tick();
    server.clock.advance(HOUR);
    await outbox.tick();
    expect((await server.json(`/v1/conversions/${conversionId}`, { method: 'PATCH', json: { status: 'rejected' } })).status).toBe(200);
    await outbox.tick();

    const seen = receiver.received.slice(before).map((request) => [new URL(request.url).searchParams.get('status'), request.answered]);
    expect(seen).toEqual([
      ['pending', 200],
      ['approved', 500],
      ['approved', 200],
      ['rejected', 200],
    ]);
    const triggers = (await deliveriesOf(conversionId)).map((delivery) => [delivery.trigger, delivery.conversionStatus, delivery.status]);
    expect(triggers).toEqual(
      expect.arrayContaining([
        ['conversion', 'pending', 'delivered'],
        ['status_change', 'approved', 'delivered'],
        ['status_change', 'rejected', 'delivered'],
      ]),
    );
    server.clock.set('2026-03-01T12:00:00Z');
  });

  it('sends nothing for a source without a postback URL, and nothing for a conversion refused over the cap', async () => {
    const silent = await funnel(null);
    const before = receiver.received.length;
    const landed = await visit(server, silent.campaign.id, { query: 'cid=quiet' });
    const conversionId = await convert(silent.offer, `click_id=${landed.clickId}`);
    await outbox.tick();
    expect(await deliveriesOf(conversionId)).toEqual([]);

    const capped = await funnel(`${receiver.url}/capped?clickid={external_id}`, { cap: { daily: 1 } });
    await convert(capped.offer, `click_id=${(await visit(server, capped.campaign.id, { query: 'cid=first' })).clickId}`);
    const over = await convert(capped.offer, `click_id=${(await visit(server, capped.campaign.id, { query: 'cid=second' })).clickId}`);
    await outbox.tick();
    expect(await deliveriesOf(over)).toEqual([]);
    expect(receiver.received.slice(before).map((request) => new URL(request.url).searchParams.get('clickid'))).toEqual(['first']);
  });

  it("keeps a publisher key from seeing the source's deliveries", async () => {
    const { offer, campaign } = await funnel(`${receiver.url}/private?clickid={external_id}`);
    const conversionId = await convert(offer, `click_id=${(await visit(server, campaign.id, { query: 'cid=p' })).clickId}`);
    await outbox.tick();
    const publisher = (await server.json('/v1/publishers', { method: 'POST', json: { name: 'Nosy publisher' } })).body;
    const key = (await server.json('/v1/api-keys', { method: 'POST', json: { role: 'publisher', publisherId: publisher.id } })).body.key;
    expect((await server.json(`/v1/deliveries?conversionId=${conversionId}`, { key })).body.data).toEqual([]);
  });
});

describe.each(backends())("the traffic source's postback under the outbound policy (%s)", (backend) => {
  it('refuses a postback URL on a private address like a publisher postback, and logs why', async () => {
    const server = await startTestServer(backend, { env: { ...RETRIES, WAYPOST_ALLOW_PRIVATE_DESTINATIONS: 'false' } });
    const outbox = new OutboxDispatcher(server.context, {}, () => {}).start();
    const receiver = await startPostbackReceiver();
    try {
      const offer = await server.createOffer<{ id: string; postbackToken: string }>();
      const source = await sourceWithPostback(server, `${receiver.url}/internal?clickid={external_id}`);
      const campaign = await createCampaign(server, { trafficSourceId: source.id, streams: [{ name: 's', action: toOffer(offer.id) }] });
      const landed = await visit(server, campaign.id, { query: 'cid=x' });
      const conversionId = (await server.json(`/postback?click_id=${landed.clickId}&token=${offer.postbackToken}`, { key: null })).body.conversionId;
      await outbox.tick();
      const [delivery] = (await server.json(`/v1/deliveries?conversionId=${conversionId}`)).body.data;
      expect(receiver.received).toEqual([]);
      expect(delivery.lastError).toMatch(/private|loopback|not allowed/i);
    } finally {
      await outbox.stop();
      await server.close();
      await receiver.close();
    }
  });
});
