import { createHmac } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readmeQuotes } from '../../../scripts/test-support/readme.js';
import { verifyWaypostSignature } from '../examples/verify-postback.js';
import { createApiKey } from '../src/keys.js';
import { OutboxDispatcher } from '../src/outbox/dispatcher.js';
import { openStore } from '../src/storage/index.js';
import { backends, startTestServer, type TestServer } from './support/harness.js';
import { type PostbackReceiver, startPostbackReceiver } from './support/receivers.js';

const HOUR = 3_600_000;
const SECRET = 'publisher-secret-0123456789';

describe.each(backends())('outbound publisher postbacks on %s', (backend) => {
  let server: TestServer;
  let outbox: OutboxDispatcher;
  let receiver: PostbackReceiver;
  let publisher: { id: string };
  beforeAll(async () => {
    // Small, fixed retry settings; the test clock decides when a retry is due, and no poll runs during a test.
    server = await startTestServer(backend, {
      env: {
        WAYPOST_DELIVERY_ATTEMPTS: '5',
        WAYPOST_DELIVERY_BACKOFF_MS: '1000',
        WAYPOST_DELIVERY_BACKOFF_MAX_MS: '60000',
        WAYPOST_DELIVERY_TIMEOUT_MS: '2000',
        WAYPOST_DELIVERY_POLL_MS: String(HOUR),
      },
    });
    outbox = new OutboxDispatcher(server.context, {}, () => {}).start();
    receiver = await startPostbackReceiver();
    publisher = await createPublisher('Tracker publisher');
  });
  afterAll(async () => {
    await outbox.stop();
    await server.close();
    await receiver.close();
  });
  afterEach(() => receiver.failNext(0));

  async function createPublisher(name: string, postbackUrl = `${receiver.url}/pb?cid={click_id}&status={status}&tx={transaction_id}`) {
    const response = await server.json('/v1/publishers', { method: 'POST', json: { name, postbackUrl, postbackSecret: SECRET } });
    expect(response.status).toBe(201);
    return response.body as { id: string };
  }
  let counter = 0;
  async function createOffer(json: Record<string, unknown> = {}) {
    counter += 1;
    const response = await server.json('/v1/offers', {
      method: 'POST',
      json: { name: `Postback offer ${counter}`, url: 'https://shop.example.com/?cid={click_id}', payout: { model: 'cpa', amount: '12.50' }, ...json },
    });
    expect(response.status).toBe(201);
    return response.body as { id: string; postbackToken: string };
  }
  async function click(offerId: string, publisherId = publisher.id, query = '') {
    const response = await server.request(`/c/${offerId}?pub=${publisherId}${query}`, { key: null, headers: { 'cf-ipcountry': 'DE' } });
    expect(response.status).toBe(302);
    return /waypost_cid=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')![1]!;
  }
  async function convert(offer: { id: string; postbackToken: string }, query: string) {
    const response = await server.json(`/postback?${query}&token=${offer.postbackToken}`, { key: null });
    expect(response.status).toBe(200);
    return response.body as { status: string; conversionId: string };
  }
  const deliveriesOf = async (conversionId: string) => (await server.json(`/v1/deliveries?conversionId=${conversionId}`)).body.data as any[];
  /** Moves the clock past any backoff and runs one dispatcher pass. */
  const retryDue = async () => {
    server.clock.advance(HOUR);
    await outbox.tick();
  };

  it('calls the publisher postback URL with every macro expanded and encoded, signed with its secret', async () => {
    const tracker = await createPublisher(
      'Macro publisher',
      `${receiver.url}/track/{publisher_id}?cid={click_id}&tx={transaction_id}&amount={amount}&cur={currency}&payout={payout}&status={status}&s1={sub1}&o={offer_id}&cc={country_code}&ts={timestamp}&e={event}&x={unknown}`,
    );
    const offer = await createOffer();
    const clickId = await click(offer.id, tracker.id, '&sub1=a%20b%26c');
    const before = receiver.received.length;
    const conversion = await convert(offer, `click_id=${clickId}&amount=49.90&transaction_id=T%201`);
    await outbox.tick();

    const [request] = receiver.received.slice(before);
    expect(receiver.received.length - before).toBe(1);
    const url = new URL(request!.url);
    expect(url.pathname).toBe(`/track/${tracker.id}`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      cid: clickId,
      tx: 'T 1',
      amount: '49.90',
      cur: 'USD',
      payout: '12.50',
      status: 'approved',
      s1: 'a b&c',
      o: offer.id,
      cc: 'DE',
      ts: String(Math.floor(server.clock.now().getTime() / 1000)),
      e: '',
      x: '',
    });
    expect(request!.url).not.toMatch(/[{}]|%7B/i);

    const [delivery] = await deliveriesOf(conversion.conversionId);
    expect(delivery).toMatchObject({ kind: 'postback', trigger: 'conversion', status: 'delivered', attempts: 1, lastResponseStatus: 200, conversionStatus: 'approved', publisherId: tracker.id, target: request!.url, lastError: null });
    expect(request!.headers['x-waypost-delivery']).toBe(delivery.id);

    // The signature verifies with the publisher's secret (the README's snippet), and with nothing else.
    const signature = String(request!.headers['x-waypost-signature']);
    expect(signature).toMatch(/^t=\d{10},v1=[0-9a-f]{64}$/);
    const now = server.clock.now().getTime();
    expect(verifyWaypostSignature(signature, request!.url, SECRET, now)).toBe(true);
    expect(verifyWaypostSignature(signature, request!.url, 'another-secret-0123456789', now)).toBe(false);
    expect(verifyWaypostSignature(signature, request!.url.replace('49.90', '99.90'), SECRET, now)).toBe(false);
    expect(verifyWaypostSignature(signature, request!.url, SECRET, now + 3_600_000)).toBe(false);
    const t = /t=(\d+)/.exec(signature)![1];
    expect(signature).toBe(`t=${t},v1=${createHmac('sha256', SECRET).update(`${t}.${request!.url}`).digest('hex')}`);
  });

  it('delivers exactly once, under one delivery id, to a receiver that answers 500 to the first three tries', async () => {
    const offer = await createOffer();
    const clickId = await click(offer.id);
    const before = receiver.received.length;
    receiver.failNext(3);
    const conversion = await convert(offer, `click_id=${clickId}&transaction_id=R-1`);
    await outbox.tick();

    let [delivery] = await deliveriesOf(conversion.conversionId);
    expect(delivery).toMatchObject({ status: 'pending', attempts: 1, lastResponseStatus: 500, lastError: 'HTTP 500: tracker is down' });
    // The retry waits for its backoff: 1 s, stretched by up to a quarter.
    const wait = Date.parse(delivery.nextAttemptAt) - Date.parse(delivery.lastAttemptAt);
    expect(wait).toBeGreaterThanOrEqual(1000);
    expect(wait).toBeLessThanOrEqual(1250);
    await outbox.tick();
    expect(receiver.received.length - before).toBe(1);

    for (let i = 0; i < 4; i++) await retryDue();
    const requests = receiver.received.slice(before);
    expect(requests.map((r) => r.answered)).toEqual([500, 500, 500, 200]);
    expect(new Set(requests.map((r) => r.headers['x-waypost-delivery']))).toEqual(new Set([delivery.id]));
    [delivery] = await deliveriesOf(conversion.conversionId);
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 4, lastResponseStatus: 200, nextAttemptAt: null, lastError: null });
  });

  it('gives up after the cap of tries and marks the delivery failed', async () => {
    const offer = await createOffer();
    const clickId = await click(offer.id);
    const before = receiver.received.length;
    receiver.failNext(100);
    const conversion = await convert(offer, `click_id=${clickId}&transaction_id=F-1`);
    await outbox.tick();
    for (let i = 0; i < 6; i++) await retryDue();
    expect(receiver.received.length - before).toBe(5);
    const [delivery] = await deliveriesOf(conversion.conversionId);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 5, nextAttemptAt: null, lastResponseStatus: 500 });
    const failed = await server.json(`/v1/deliveries?status=failed&conversionId=${conversion.conversionId}`);
    expect(failed.body.data.map((d: { id: string }) => d.id)).toEqual([delivery.id]);
  });

  it('sends a new postback with the new status when a conversion is approved, then rejected', async () => {
    const offer = await createOffer({ approval: { defaultStatus: 'pending' } });
    const clickId = await click(offer.id);
    const before = receiver.received.length;
    const conversion = await convert(offer, `click_id=${clickId}&transaction_id=S-1`);
    await outbox.tick();
    // The same status again changes nothing, so it notifies nobody.
    expect((await convert(offer, `click_id=${clickId}&transaction_id=S-1`)).status).toBe('duplicate');
    expect((await server.json(`/v1/conversions/${conversion.conversionId}`, { method: 'PATCH', json: { status: 'approved' } })).status).toBe(200);
    await outbox.tick();
    expect((await server.json(`/v1/conversions/${conversion.conversionId}`, { method: 'PATCH', json: { status: 'rejected', reason: 'refund' } })).status).toBe(200);
    await outbox.tick();

    const requests = receiver.received.slice(before);
    expect(requests.map((r) => new URL(r.url).searchParams.get('status'))).toEqual(['pending', 'approved', 'rejected']);
    expect(new Set(requests.map((r) => r.headers['x-waypost-delivery'])).size).toBe(3);
    const deliveries = await deliveriesOf(conversion.conversionId);
    expect(deliveries.map((d) => [d.trigger, d.conversionStatus, d.status])).toEqual([
      ['status_change', 'rejected', 'delivered'],
      ['status_change', 'approved', 'delivered'],
      ['conversion', 'pending', 'delivered'],
    ]);
  });

  it('notifies nobody of a conversion over the cap, or of a publisher without a postback URL', async () => {
    const offer = await createOffer({ cap: { daily: 1 } });
    const first = await convert(offer, `click_id=${await click(offer.id)}`);
    const second = await convert(offer, `click_id=${await click(offer.id)}`);
    expect(second).toMatchObject({ status: 'rejected', reason: 'cap_reached' });
    expect(await deliveriesOf(first.conversionId)).toHaveLength(1);
    expect(await deliveriesOf(second.conversionId)).toEqual([]);

    const silent = (await server.json('/v1/publishers', { method: 'POST', json: { name: 'Silent publisher' } })).body as { id: string };
    const other = await createOffer();
    const quiet = await convert(other, `click_id=${await click(other.id, silent.id)}`);
    expect(quiet.status).toBe('accepted');
    expect(await deliveriesOf(quiet.conversionId)).toEqual([]);
  });

  it('shows a publisher key only the postbacks sent to its own tracker, with filters and pages', async () => {
    const other = await createPublisher('Other publisher');
    const offer = await createOffer({ email: { enabled: true, to: ['sales@shop.example.com'] } });
    const own = await convert(offer, `click_id=${await click(offer.id)}&transaction_id=L-1`);
    await convert(offer, `click_id=${await click(offer.id)}&transaction_id=L-2`);
    const theirs = await convert(offer, `click_id=${await click(offer.id, other.id)}&transaction_id=L-3`);
    await outbox.tick();
    const { key } = await createApiKey({ store: server.store, clock: server.clock }, { role: 'publisher', publisherId: publisher.id });

    const mine = await server.json('/v1/deliveries?limit=500', { key });
    expect(mine.status).toBe(200);
    expect(mine.body.data.length).toBeGreaterThanOrEqual(2);
    expect(mine.body.data.every((d: any) => d.publisherId === publisher.id && d.kind === 'postback')).toBe(true);
    expect((await server.json(`/v1/deliveries?publisherId=${other.id}`, { key })).status).toBe(404);
    expect((await server.json('/v1/deliveries?kind=email', { key })).body).toEqual({ data: [], nextCursor: null });
    const [theirDelivery] = (await deliveriesOf(theirs.conversionId)).filter((d) => d.kind === 'postback');
    expect((await server.json(`/v1/deliveries/${theirDelivery.id}`, { key })).status).toBe(404);
    const [ownEmail] = (await deliveriesOf(own.conversionId)).filter((d) => d.kind === 'email');
    expect((await server.json(`/v1/deliveries/${ownEmail.id}`, { key })).status).toBe(404);
    const [ownPostback] = (await deliveriesOf(own.conversionId)).filter((d) => d.kind === 'postback');
    expect((await server.json(`/v1/deliveries/${ownPostback.id}`, { key })).body).toMatchObject({ id: ownPostback.id, status: 'delivered' });

    // The admin sees e-mails too; without WAYPOST_SMTP_URL they wait, and say why.
    const emails = await server.json(`/v1/deliveries?kind=email&conversionId=${own.conversionId}`);
    expect(emails.body.data).toEqual([
      expect.objectContaining({ kind: 'email', status: 'pending', attempts: 0, target: 'sales@shop.example.com', subject: `New conversion on ${offer.id}`, lastError: expect.stringContaining('WAYPOST_SMTP_URL') }),
    ]);

    const first = await server.json('/v1/deliveries?limit=1&kind=postback');
    const second = await server.json(`/v1/deliveries?limit=1&kind=postback&cursor=${first.body.nextCursor}`);
    expect(first.body.data).toHaveLength(1);
    expect(second.body.data).toHaveLength(1);
    expect(second.body.data[0].id < first.body.data[0].id).toBe(true);
    expect((await server.json('/v1/deliveries?status=lost')).status).toBe(400);
    const openapi = await server.json('/openapi.json', { key: null });
    expect(Object.keys(openapi.body.paths)).toEqual(expect.arrayContaining(['/v1/deliveries', '/v1/deliveries/{id}']));
  });

  it('never sends one delivery twice when two dispatchers on the same database race for it', async () => {
    const offer = await createOffer();
    receiver.failNext(1_000);
    const conversions = [];
    for (let i = 0; i < 12; i++) conversions.push(await convert(offer, `click_id=${await click(offer.id)}&transaction_id=C-${i}`));
    await outbox.tick();
    receiver.failNext(0);
    const before = receiver.received.length;

    // A second process: its own connection to the same database, its own dispatcher.
    const store = openStore(server.databaseUrl);
    const rival = new OutboxDispatcher({ ...server.context, store }, { batchSize: 3 }, () => {});
    server.clock.advance(HOUR);
    await Promise.all([outbox.tick(), rival.tick(), rival.tick()]);
    await rival.stop();
    await store.close();

    const ids = receiver.received.slice(before).map((r) => String(r.headers['x-waypost-delivery']));
    expect(ids).toHaveLength(12);
    expect(new Set(ids).size).toBe(12);
    for (const conversion of conversions) expect((await deliveriesOf(conversion.conversionId))[0]).toMatchObject({ status: 'delivered', attempts: 2 });
  });
});

it('quotes the signature check it tests in the README, verbatim', () => {
  const example = fileURLToPath(new URL('../examples/verify-postback.ts', import.meta.url));
  expect(readmeQuotes(fileURLToPath(new URL('../../../README.md', import.meta.url)), example)).toBe(true);
});
