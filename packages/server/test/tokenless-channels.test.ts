import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNVERIFIED_NOTE } from '../src/outbox/enqueue.js';
import { backends, startTestServer, type TestServer } from './support/harness.js';

// Channels without a token (README, Security): the pixel and the browser endpoint can be fired by anyone, so they never
// set a status or a payout, never change a conversion that exists, and record new ones with the offer's browserStatus.
describe.each(backends())('channels without a token on %s', (backend) => {
  let server: TestServer;
  let publisher: { id: string };
  beforeAll(async () => {
    server = await startTestServer(backend);
    publisher = (await server.json('/v1/publishers', { method: 'POST', json: { name: 'Token-less publisher' } })).body;
  });
  afterAll(() => server.close());

  const createOffer = (fields: Record<string, unknown> = {}) =>
    server.createOffer({ payout: { model: 'cpa', amount: '12.50' }, approval: { defaultStatus: 'approved' }, ...fields });
  const click = async (offerId: string) => (await server.click(offerId, { query: `pub=${publisher.id}` })).clickId;
  const pixel = async (query: string) => {
    const response = await server.request(`/pixel.gif?${query}`, { key: null });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/gif');
  };
  const conversionsOf = async (offerId: string) =>
    (await server.json(`/v1/conversions?offerId=${offerId}`)).body.data as { id: string; status: string; payout: string; source: string }[];
  const balance = async () => (await server.json(`/v1/publishers/${publisher.id}/balance`)).body as { approved: string; pending: string };

  it('records a pixel that says status=approved as pending', async () => {
    const offer = await createOffer();
    const clickId = await click(offer.id);
    await pixel(`click_id=${clickId}&status=approved`);
    expect(await conversionsOf(offer.id)).toEqual([expect.objectContaining({ status: 'pending', source: 'pixel', payout: '12.50' })]);
  });

  it("ignores the pixel's payout on an auto offer, so nothing reaches the publisher's approved balance", async () => {
    const offer = await createOffer({ payout: { model: 'cpa', mode: 'auto', amount: '3.00' } });
    const before = await balance();
    const clickId = await click(offer.id);
    await pixel(`click_id=${clickId}&payout=99999.99&status=approved`);
    const [conversion] = await conversionsOf(offer.id);
    expect(conversion).toMatchObject({ status: 'pending', payout: '3.00' });
    expect((await balance()).approved).toBe(before.approved);
  });

  it('cannot reject a conversion that a tokened postback accepted', async () => {
    const offer = await createOffer();
    const clickId = await click(offer.id);
    const accepted = await server.json(`/postback?click_id=${clickId}&transaction_id=ORDER-1001&token=${offer.postbackToken}`, { key: null });
    expect(accepted.body).toMatchObject({ status: 'accepted' });
    await pixel(`click_id=${clickId}&transaction_id=ORDER-1001&status=rejected`);
    expect(await conversionsOf(offer.id)).toEqual([expect.objectContaining({ id: accepted.body.conversionId, status: 'approved' })]);
    const entries = (await server.json(`/v1/postbacks?offerId=${offer.id}`)).body.data as { channel: string }[];
    expect(entries.filter((entry) => entry.channel === 'pixel')).toEqual([expect.objectContaining({ outcome: 'duplicate' })]);
  });

  it('cannot add a rebill to a converted click either', async () => {
    const offer = await createOffer({ duplicates: 'rebill', approval: { defaultStatus: 'approved', browserStatus: 'approved' } });
    const clickId = await click(offer.id);
    await server.json(`/postback?click_id=${clickId}&transaction_id=SUB-1&token=${offer.postbackToken}`, { key: null });
    await pixel(`click_id=${clickId}&transaction_id=SUB-2&status=rebill`);
    expect(await conversionsOf(offer.id)).toHaveLength(1);
  });

  it("books a coupon's click-less sale as pending, and its e-mail says the report is unverified on one line per value", async () => {
    const offer = await createOffer({
      payout: { model: 'cps', percent: '10' },
      email: { enabled: true, to: ['merchant@shop.example.com'], template: 'Sale {transaction_id} by {coupon}' },
    });
    expect((await server.json('/v1/promo-codes', { method: 'POST', json: { offerId: offer.id, publisherId: publisher.id, code: 'SPRING10' } })).status).toBe(201);
    const text = encodeURIComponent('X\r\n\r\nURGENT: your account is locked, log in at https://evil.example');
    await pixel(`offer_id=${offer.id}&coupon=SPRING10&status=approved&amount=100.00&transaction_id=${text}`);
    const [conversion] = await conversionsOf(offer.id);
    expect(conversion).toMatchObject({ status: 'pending', source: 'pixel', payout: '10.00' });
    const [delivery] = (await server.json(`/v1/deliveries?conversionId=${conversion!.id}&kind=email`)).body.data;
    const stored = await server.store.outbox.get(delivery.id);
    const message = stored!.message as { text: string };
    expect(message.text.startsWith(UNVERIFIED_NOTE)).toBe(true);
    expect(message.text).toContain('Sale X URGENT: your account is locked, log in at https://evil.example by SPRING10');
  });

  it('lets a pixel that carries the offer token act as a postback', async () => {
    const offer = await createOffer({ approval: { defaultStatus: 'pending' } });
    const clickId = await click(offer.id);
    await pixel(`click_id=${clickId}&transaction_id=T-9&status=approved&token=${offer.postbackToken}`);
    expect(await conversionsOf(offer.id)).toEqual([expect.objectContaining({ status: 'approved', source: 'postback' })]);
    await pixel(`click_id=${clickId}&transaction_id=T-9&status=rejected&token=${offer.postbackToken}`);
    expect(await conversionsOf(offer.id)).toEqual([expect.objectContaining({ status: 'rejected' })]);
  });

  it('refuses a pixel with a wrong token instead of recording it', async () => {
    const offer = await createOffer();
    const clickId = await click(offer.id);
    await pixel(`click_id=${clickId}&status=approved&token=wrong`);
    expect(await conversionsOf(offer.id)).toEqual([]);
    const [entry] = (await server.json(`/v1/postbacks?offerId=${offer.id}`)).body.data;
    expect(entry).toMatchObject({ channel: 'pixel', httpStatus: 403, reason: 'invalid_token' });
  });

  it('records a browser conversion with the browserStatus and never changes a known one', async () => {
    const offer = await createOffer({ approval: { defaultStatus: 'approved', browserStatus: 'pending' }, directTracking: true, allowedOrigins: ['https://shop.example.com'] });
    const clickId = await click(offer.id);
    const send = (json: Record<string, unknown>) =>
      server.json('/v1/conversions/browser', { method: 'POST', key: null, json, headers: { origin: 'https://shop.example.com' } });
    const first = await send({ clickId, transactionId: 'B-1', amount: '20.00' });
    expect(first.body).toMatchObject({ status: 'accepted' });
    await server.json(`/v1/conversions/${first.body.conversionId}`, { method: 'PATCH', json: { status: 'approved' } });
    expect((await send({ clickId, transactionId: 'B-1', amount: '1.00' })).body).toMatchObject({ status: 'duplicate' });
    expect(await conversionsOf(offer.id)).toEqual([expect.objectContaining({ status: 'approved', payout: '12.50' })]);
  });
});
