import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiKey, createApp, listen, loadConfig, openStore, type Store, systemClock } from '@waypost/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Waypost } from '../src/index.js';

// The SDK against the real reference server on port 0, over a real SQLite file: no mocks.
describe('the Node SDK against the real server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'waypost-sdk-'));
  let store: Store;
  let server: Server;
  let baseUrl: string;
  let waypost: Waypost;
  let offer: { id: string; postbackToken: string };
  let publisherId: string;

  beforeAll(async () => {
    const config = loadConfig({ WAYPOST_DATABASE_URL: `file:${join(dir, 'sdk.db')}` });
    store = openStore(config.databaseUrl);
    await store.migrate();
    server = await listen(createApp({ store, config, log: () => {} }), 0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { key } = await createApiKey({ store, clock: systemClock }, { role: 'admin' });
    waypost = new Waypost({ apiKey: key, baseUrl });
    publisherId = (await waypost.publishers.create({ name: 'SDK publisher' })).id;
    const created = await waypost.offers.create({ name: 'SDK offer', url: 'https://shop.example.com/?c={click_id}', payout: { model: 'cps', percent: '10' } });
    offer = created as typeof offer;
  });
  afterAll(async () => {
    server.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const newClick = async () => {
    const response = await fetch(`${baseUrl}/c/${offer.id}?pub=${publisherId}`, { redirect: 'manual' });
    return { clickId: /waypost_cid=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')![1]!, cookie: response.headers.get('set-cookie')!.split(';')[0]! };
  };

  it('creates a conversion once when the same idempotency key is sent twice', async () => {
    const { clickId } = await newClick();
    const params = { clickId, amount: '49.90', currency: 'USD' };
    const first = await waypost.conversions.create(params, { idempotencyKey: 'order-1001' });
    const second = await waypost.conversions.create(params, { idempotencyKey: 'order-1001' });
    expect(first.status).toBe('accepted');
    expect(second).toEqual(first);
    const page = await waypost.conversions.list({ offerId: offer.id });
    expect(page.data.filter((conversion) => conversion.clickId === clickId)).toHaveLength(1);
    await expect(waypost.conversions.create({ ...params, amount: '50.00' }, { idempotencyKey: 'order-1001' })).rejects.toMatchObject({ status: 409 });
  });

  it('returns the conversion the API recorded along with the outcome, as the API answers', async () => {
    const { clickId } = await newClick();
    const created = await waypost.conversions.create({ clickId, amount: '49.90', currency: 'USD', transactionId: 'order-1002' });
    expect(created).toMatchObject({ status: 'accepted', conversionId: expect.any(String) });
    expect(created.conversion).toMatchObject({ id: created.conversionId, clickId, offerId: offer.id, publisherId, amount: '49.90', payout: '4.99', status: 'approved', transactionId: 'order-1002' });
    expect(created.conversion).toEqual(await waypost.conversions.retrieve(created.conversionId!));
  });

  it("books a manual transaction with the offer's payout", async () => {
    const conversion = await waypost.transactions.create({ publisherId, offerId: offer.id, amount: '120.00', note: 'phone order' });
    expect(conversion).toMatchObject({ source: 'manual', publisherId, clickId: null, amount: '120.00', payout: '12.00', note: 'phone order' });
  });

  it("walks a publisher's promo code from request to a coupon sale, then pays it", async () => {
    const payee = (await waypost.publishers.create({ name: 'SDK payee' })).id;
    const { key } = await createApiKey({ store, clock: systemClock }, { role: 'publisher', publisherId: payee });
    const asPublisher = new Waypost({ apiKey: key, baseUrl });

    const request = await asPublisher.promoCodes.requests.create({ offerId: offer.id, publisherId: payee, platform: 'YouTube' });
    expect(request.status).toBe('moderation');
    expect((await waypost.promoCodes.requests.decide(request.id, { decision: 'confirm', code: 'SDK10' })).code).toBe('SDK10');
    expect((await asPublisher.promoCodes.requests.retrieve(request.id)).status).toBe('confirmed');
    expect((await asPublisher.promoCodes.list()).data.map((code) => code.code)).toEqual(['SDK10']);

    const sale = await waypost.conversions.create({ couponCode: 'sdk10', offerId: offer.id, amount: '50.00', transactionId: 'SDK-COUPON-1' });
    expect(sale.status).toBe('accepted');
    expect(await asPublisher.publishers.balance(payee)).toMatchObject({ pending: '0.00', approved: '5.00', paid: '0.00' });

    const payment = await waypost.payments.create({ publisherId: payee });
    expect(payment).toMatchObject({ status: 'pending', total: '5.00', conversionCount: 1 });
    await expect(waypost.payments.create({ publisherId: payee })).rejects.toMatchObject({ name: 'WaypostConflictError', code: 'nothing_payable' });
    expect((await waypost.payments.approve(payment.id)).status).toBe('approved');

    const items = [];
    for await (const item of asPublisher.payments.items(payment.id)) items.push(item);
    expect(items).toEqual([expect.objectContaining({ conversionId: sale.conversionId, kind: 'payout', amount: '5.00' })]);
    expect((await asPublisher.payments.list()).data.map((p) => p.id)).toEqual([payment.id]);
    expect(await asPublisher.publishers.balance(payee)).toMatchObject({ approved: '0.00', paid: '5.00' });
    await expect(asPublisher.payments.approve(payment.id)).rejects.toMatchObject({ status: 403 });
  });

  it('reads the click id from an Express-style request, a node:http request and a Fetch Request', async () => {
    const { clickId, cookie } = await newClick();
    const seen = await new Promise<IncomingMessage>((resolve) => {
      const probe = createServer((req, res) => {
        resolve(req);
        res.end();
        probe.close();
      }).listen(0, '127.0.0.1', () => {
        void fetch(`http://127.0.0.1:${(probe.address() as AddressInfo).port}/checkout`, { headers: { cookie } });
      });
    });
    expect(Waypost.clickIdFrom(seen)).toBe(clickId);
    expect(Waypost.clickIdFrom({ headers: { cookie }, query: {}, url: '/checkout' } as never)).toBe(clickId);
    expect(Waypost.clickIdFrom(new Request(`https://shop.example.com/thanks?click_id=${clickId}`))).toBe(clickId);
    const sale = await waypost.conversions.create({ clickId: Waypost.clickIdFrom(seen)!, amount: '10.00', transactionId: 'T-fetch' });
    expect(sale.status).toBe('accepted');
  });
});
