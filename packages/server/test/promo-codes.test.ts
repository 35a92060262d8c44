import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startTestServer, type TestServer } from './support/harness.js';

const DAY = 24 * 60 * 60 * 1000;

describe.each(backends())('promo codes on %s', (backend) => {
  let server: TestServer;
  const publisher = { id: '', key: '' };
  let otherPublisherId: string;
  let offerCount = 0;

  beforeAll(async () => {
    server = await startTestServer(backend);
    publisher.id = (await server.json('/v1/publishers', { method: 'POST', json: { name: 'Deal Hunters' } })).body.id;
    publisher.key = (await server.json('/v1/api-keys', { method: 'POST', json: { role: 'publisher', publisherId: publisher.id } })).body.key;
    otherPublisherId = (await server.json('/v1/publishers', { method: 'POST', json: { name: 'Clicks Inc' } })).body.id;
  });
  afterAll(() => server.close());

  const createOffer = async (payout: object = { model: 'cpa', amount: '5.00' }) =>
    (await server.json('/v1/offers', { method: 'POST', json: { name: `Promo offer ${++offerCount}`, url: 'https://shop.example.com/?c={click_id}', payout } })).body as {
      id: string;
      postbackToken: string;
    };
  const request = (offerId: string, platform: string, key = publisher.key) =>
    server.json('/v1/promo-codes/requests', { method: 'POST', key, json: { offerId, publisherId: publisher.id, platform } });
  const decide = (id: string, json: object) => server.json(`/v1/promo-codes/requests/${id}/decision`, { method: 'POST', json });
  const postback = (query: string) => server.json(`/postback?${query}`, { key: null });
  const conversion = async (id: string) => (await server.json(`/v1/conversions/${id}`)).body;

  it("walks a publisher's request through confirmation to click-less sales attributed to it, by postback, SDK and manual transaction", async () => {
    const offer = await createOffer();
    const requested = await request(offer.id, 'YouTube');
    expect(requested.status).toBe(201);
    expect(requested.body).toMatchObject({ offerId: offer.id, publisherId: publisher.id, platform: 'YouTube', status: 'moderation', code: null, decidedAt: null });
    const mine = await server.json('/v1/promo-codes/requests', { key: publisher.key });
    expect(mine.body.data.map((r: { id: string }) => r.id)).toContain(requested.body.id);

    const confirmed = await decide(requested.body.id, { decision: 'confirm', code: 'SPRING10' });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'confirmed', code: 'SPRING10', decidedAt: server.clock.now().toISOString() });
    expect((await server.json(`/v1/promo-codes/requests/${requested.body.id}`, { key: publisher.key })).body.status).toBe('confirmed');
    const myCodes = await server.json(`/v1/promo-codes?offerId=${offer.id}`, { key: publisher.key });
    expect(myCodes.body.data).toEqual([expect.objectContaining({ code: 'SPRING10', offerId: offer.id, publisherId: publisher.id })]);

    const personal = await server.json(`/v1/offers/${offer.id}/personal-payouts`, { method: 'POST', json: { couponCode: 'spring10', amount: '7.00' } });
    expect(personal.status).toBe(201);

    const byPostback = await postback(`coupon=Spring10&offer_id=${offer.id}&transaction_id=PB-1&token=${offer.postbackToken}`);
    expect(byPostback.body.status).toBe('accepted');
    const bySdk = await server.json('/v1/conversions', { method: 'POST', json: { couponCode: 'SPRING10', offerId: offer.id, transactionId: 'SDK-1' } });
    expect(bySdk.status).toBe(201);
    const manual = await server.json('/v1/transactions', { method: 'POST', json: { couponCode: 'spring10', offerId: offer.id, amount: '10.00', transactionId: 'PHONE-1' } });
    expect(manual.status).toBe(201);

    for (const id of [byPostback.body.conversionId, bySdk.body.conversionId, manual.body.id]) {
      expect(await conversion(id)).toMatchObject({ publisherId: publisher.id, clickId: null, couponCode: expect.stringMatching(/^spring10$/i), payout: '7.00' });
    }
    const seen = await server.json(`/v1/conversions?offerId=${offer.id}`, { key: publisher.key });
    expect(seen.body.data).toHaveLength(3);
  });

  it('generates a code when the merchant gives none, and refuses a code already taken on the offer whatever its case', async () => {
    const offer = await createOffer();
    const first = await request(offer.id, 'Instagram');
    const generated = await decide(first.body.id, { decision: 'confirm' });
    expect(generated.body.code).toMatch(/^[0-9A-Z]{8}$/);

    const second = await request(offer.id, 'TikTok');
    const clash = await decide(second.body.id, { decision: 'confirm', code: generated.body.code.toLowerCase() });
    expect(clash.status).toBe(409);
    expect(clash.body.error.issues[0].path).toBe('code');
    // The clash rolled the decision back: the request can still be confirmed with another code.
    expect((await server.json(`/v1/promo-codes/requests/${second.body.id}`)).body.status).toBe('moderation');
    expect((await decide(second.body.id, { decision: 'confirm', code: 'TIKTOK-5' })).body.code).toBe('TIKTOK-5');
    const again = await decide(second.body.id, { decision: 'reject', reason: 'changed my mind' });
    expect([again.status, again.body.error.code]).toEqual([409, 'already_decided']);

    const bad = await decide((await request(offer.id, 'Blog')).body.id, { decision: 'confirm', code: 'no spaces!' });
    expect([bad.status, bad.body.error.issues[0].path]).toEqual([422, 'code']);
  });

  it('refuses a second request for the same offer and platform while the first is in moderation', async () => {
    const offer = await createOffer();
    expect((await request(offer.id, 'Podcast')).status).toBe(201);
    const twin = await request(offer.id, 'podcast');
    expect([twin.status, twin.body.error.code]).toEqual([409, 'request_pending']);
    expect((await request(offer.id, 'Newsletter')).status).toBe(201);
  });

  it('lists a rejected request for 14 days after the decision, and afterwards only with includeExpired=true', async () => {
    const offer = await createOffer();
    const waiting = await request(offer.id, 'Forum');
    const rejectedRequest = await request(offer.id, 'Cashback site');
    const rejected = await decide(rejectedRequest.body.id, { decision: 'reject', reason: 'cashback sites are not allowed' });
    expect(rejected.body).toMatchObject({ status: 'rejected', code: null, reason: 'cashback sites are not allowed' });
    const listed = async (query = '') =>
      (await server.json(`/v1/promo-codes/requests?offerId=${offer.id}${query}`, { key: publisher.key })).body.data.map((r: { id: string }) => r.id);

    server.clock.advance(14 * DAY - 60_000);
    expect(await listed()).toEqual([rejectedRequest.body.id, waiting.body.id]);
    expect(await listed('&status=rejected')).toEqual([rejectedRequest.body.id]);
    server.clock.advance(2 * 60_000);
    expect(await listed()).toEqual([waiting.body.id]);
    expect(await listed('&status=rejected')).toEqual([]);
    expect(await listed('&includeExpired=true')).toEqual([rejectedRequest.body.id, waiting.body.id]);
  });

  it("gives the sale to the click when a click and another publisher's coupon arrive together, and keeps the coupon for reports", async () => {
    const offer = await createOffer();
    await server.json('/v1/promo-codes', { method: 'POST', json: { offerId: offer.id, publisherId: publisher.id, code: 'MINE20' } });
    const click = await server.request(`/c/${offer.id}?pub=${otherPublisherId}`, { key: null });
    const clickId = /waypost_cid=([^;]+)/.exec(click.headers.get('set-cookie') ?? '')![1]!;
    const sale = await postback(`click_id=${clickId}&coupon=MINE20&transaction_id=BOTH-1&token=${offer.postbackToken}`);
    expect(await conversion(sale.body.conversionId)).toMatchObject({ publisherId: otherPublisherId, clickId, couponCode: 'MINE20' });
    const day = server.clock.now().toISOString().slice(0, 10);
    const report = await server.json(`/v1/reports?from=${day}&to=${day}&offerId=${offer.id}&groupBy=publisher,couponCode`);
    expect(report.body.rows).toContainEqual(
      expect.objectContaining({ publisherId: otherPublisherId, couponCode: expect.stringMatching(/^mine20$/i), conversions: expect.objectContaining({ total: 1 }) }),
    );
  });

  it('picks the payout of a coupon sale by precedence: coupon and publisher, coupon, publisher, then the offer', async () => {
    const offer = await createOffer();
    await server.json('/v1/promo-codes', { method: 'POST', json: { offerId: offer.id, publisherId: publisher.id, code: 'LEVELS' } });
    let sales = 0;
    const payoutOfSale = async () => {
      const sale = await postback(`coupon=levels&offer_id=${offer.id}&transaction_id=LV-${++sales}&token=${offer.postbackToken}`);
      return (await conversion(sale.body.conversionId)).payout;
    };
    const personal = (json: object) => server.json(`/v1/offers/${offer.id}/personal-payouts`, { method: 'POST', json });
    expect(await payoutOfSale()).toBe('5.00');
    await personal({ publisherId: publisher.id, amount: '6.00' });
    expect(await payoutOfSale()).toBe('6.00');
    await personal({ couponCode: 'LEVELS', amount: '7.00' });
    expect(await payoutOfSale()).toBe('7.00');
    await personal({ couponCode: 'Levels', publisherId: publisher.id, amount: '8.00' });
    expect(await payoutOfSale()).toBe('8.00');
    // A personal payout for the coupon with another publisher does not apply to this publisher's sales.
    await personal({ couponCode: 'LEVELS', publisherId: otherPublisherId, amount: '9.00' });
    expect(await payoutOfSale()).toBe('8.00');
  });

  it("lets a publisher key request codes only for itself and on offers it may promote, and never decide", async () => {
    const offer = await createOffer();
    const privateOffer = (await server.json('/v1/offers', {
      method: 'POST',
      json: { name: `Private promo ${++offerCount}`, url: 'https://shop.example.com', payout: { model: 'cpa', amount: '1' }, visibility: 'private', publisherIds: [otherPublisherId] },
    })).body;
    const forOther = await server.json('/v1/promo-codes/requests', { method: 'POST', key: publisher.key, json: { offerId: offer.id, publisherId: otherPublisherId, platform: 'X' } });
    expect(forOther.status).toBe(404);
    expect((await request(privateOffer.id, 'X')).status).toBe(404);
    const own = await request(offer.id, 'X');
    const decision = await server.json(`/v1/promo-codes/requests/${own.body.id}/decision`, { method: 'POST', key: publisher.key, json: { decision: 'confirm' } });
    expect(decision.status).toBe(403);
    const unknownOffer = await request('off_missing', 'X', server.adminKey);
    expect([unknownOffer.status, unknownOffer.body.error.issues[0].path]).toEqual([422, 'offerId']);
  });
});
