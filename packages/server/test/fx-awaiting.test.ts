import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repriceAwaitingFx } from '../src/engine/fx-rates.js';
import { runMaintenance } from '../src/engine/maintenance.js';
import { backends, startTestServer, type TestServer } from './support/harness.js';

// A sale is never lost for want of an FX rate: it is recorded, its money waits for the rate, and it is priced when
// the rate is stored. Each test uses currencies no other test of the file sets a rate for, on one server.
describe.each(backends())('sales that wait for an FX rate on %s', (backend) => {
  let server: TestServer;
  let publisher: { id: string };
  beforeAll(async () => {
    server = await startTestServer(backend);
    publisher = (await server.json('/v1/publishers', { method: 'POST', json: { name: 'FX publisher' } })).body;
  });
  afterAll(() => server.close());

  let counter = 0;
  const createOffer = async (json: Record<string, unknown>) => {
    counter += 1;
    const response = await server.json('/v1/offers', { method: 'POST', json: { name: `FX offer ${counter}`, url: 'https://shop.example.com/?c={click_id}', ...json } });
    expect(response.status).toBe(201);
    return response.body as { id: string; postbackToken: string };
  };
  const click = async (offerId: string) => {
    const response = await server.request(`/c/${offerId}?pub=${publisher.id}`, { key: null });
    return /waypost_cid=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')![1]!;
  };
  const putRates = async (rates: Record<string, string>) => expect((await server.json('/v1/fx-rates', { method: 'PUT', json: { rates } })).status).toBe(200);
  const conversion = async (id: string) => (await server.json(`/v1/conversions/${id}`)).body;
  const totals = async (offerId: string) => {
    const { body } = await server.json(`/v1/reports?from=2026-03-01&to=2026-03-01&offerId=${offerId}`);
    return { payout: body.totals.payout, revenue: body.totals.revenue, conversions: body.totals.conversions };
  };

  it('keeps a sale in a currency without a rate, says so in the reply, and prices it when the rate is stored', async () => {
    const offer = await createOffer({ payout: { model: 'cps', percent: '10' }, revenue: { percent: '30' } });
    const clickId = await click(offer.id);
    const sale = await server.json('/v1/conversions', { method: 'POST', json: { clickId, amount: '49.90', currency: 'EUR', transactionId: 'FX-1' } });
    expect(sale.status).toBe(201);
    expect(sale.body).toMatchObject({
      status: 'accepted',
      reason: 'fx_rate_missing',
      conversion: { amount: '49.90', currency: 'EUR', payout: '0.00', revenue: '0.00', fxRate: null, awaitingFxRate: 'EUR', status: 'approved' },
    });
    expect(await totals(offer.id)).toMatchObject({ payout: '0.00', revenue: '0.00', conversions: { approved: 1 } });

    await putRates({ EUR: '1.10' });
    // 49.90 EUR is 54.89 USD: 10 % is 5.489, rounded once to 5.49; 30 % is 16.467, 16.47.
    expect(await conversion(sale.body.conversionId)).toMatchObject({ payout: '5.49', revenue: '16.47', fxRate: '1.1', awaitingFxRate: null, offerCurrency: 'USD' });
    expect(await totals(offer.id)).toMatchObject({ payout: '5.49', revenue: '16.47', conversions: { approved: 1 } });
    // A repeat of the report is a duplicate of the priced conversion, as for any other.
    const again = await server.json('/v1/conversions', { method: 'POST', json: { clickId, amount: '49.90', currency: 'EUR', transactionId: 'FX-1' } });
    expect(again.body).toMatchObject({ status: 'duplicate', conversionId: sale.body.conversionId });
  });

  it('takes a postback in a currency without a rate with 200 instead of refusing it, and prices its reported payout later', async () => {
    const offer = await createOffer({ payout: { model: 'cpa', mode: 'auto' } });
    const clickId = await click(offer.id);
    const reply = await server.json(`/postback?click_id=${clickId}&amount=100&payout=5.00&currency=GBP&transaction_id=FX-2&token=${offer.postbackToken}`, { key: null });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ status: 'accepted', conversionId: expect.any(String), reason: 'fx_rate_missing' });
    expect(await conversion(reply.body.conversionId)).toMatchObject({ payout: '0.00', awaitingFxRate: 'GBP' });

    await putRates({ GBP: '1.25' });
    // In auto mode the reported payout is the payout: 5.00 GBP is 6.25 USD.
    expect(await conversion(reply.body.conversionId)).toMatchObject({ payout: '6.25', fxRate: '1.25', awaitingFxRate: null });
    expect(await totals(offer.id)).toMatchObject({ payout: '6.25' });
  });

  it("waits for the offer currency's rate for the account figures, then counts the payout in reports and payments", async () => {
    const offer = await createOffer({ currency: 'CHF', payout: { model: 'cpa', amount: '10.00' } });
    // A publisher of its own, so that the payment holds this sale alone.
    const payee = (await server.json('/v1/publishers', { method: 'POST', json: { name: 'FX payee' } })).body as { id: string };
    const sale = await server.json('/v1/transactions', { method: 'POST', json: { publisherId: payee.id, offerId: offer.id, amount: '80.00', transactionId: 'FX-3' } });
    expect(sale.status).toBe(201);
    expect(sale.body).toMatchObject({ payout: '10.00', offerCurrency: 'CHF', awaitingFxRate: 'CHF' });
    expect(await totals(offer.id)).toMatchObject({ payout: '0.00' });
    const nothing = await server.json('/v1/payments', { method: 'POST', json: { publisherId: payee.id } });
    expect(nothing.body.error?.code).toBe('nothing_payable');

    await putRates({ CHF: '1.20' });
    expect(await conversion(sale.body.id)).toMatchObject({ payout: '10.00', awaitingFxRate: null });
    expect(await totals(offer.id)).toMatchObject({ payout: '12.00' });
    const payment = await server.json('/v1/payments', { method: 'POST', json: { publisherId: payee.id } });
    expect(payment.status).toBe(201);
    expect(payment.body.total).toBe('12.00');
  });

  it('moves a waiting conversion that changed status meanwhile in the columns of its new status', async () => {
    const offer = await createOffer({ payout: { model: 'cps', percent: '10' }, approval: { defaultStatus: 'pending' } });
    const sale = await server.json('/v1/conversions', { method: 'POST', json: { clickId: await click(offer.id), amount: '200', currency: 'SEK', transactionId: 'FX-4' } });
    expect(sale.body.conversion).toMatchObject({ status: 'pending', awaitingFxRate: 'SEK' });
    expect((await server.json(`/v1/conversions/${sale.body.conversionId}`, { method: 'PATCH', json: { status: 'rejected', reason: 'refund' } })).status).toBe(200);

    await putRates({ SEK: '0.10' });
    expect(await conversion(sale.body.conversionId)).toMatchObject({ status: 'rejected', reason: 'refund', payout: '2.00', awaitingFxRate: null });
    const report = await server.json(`/v1/reports?from=2026-03-01&to=2026-03-01&offerId=${offer.id}&status=rejected`);
    expect(report.body.totals).toMatchObject({ payout: '2.00', conversions: { rejected: 1, pending: 0 } });
    expect(await totals(offer.id)).toMatchObject({ payout: '0.00' });
  });

  it('prices in batches, and the maintenance sweep prices what a rate stored elsewhere left waiting', async () => {
    const offer = await createOffer({ payout: { model: 'cps', percent: '50' } });
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const sale = await server.json('/v1/conversions', { method: 'POST', json: { clickId: await click(offer.id), amount: '10.00', currency: 'NOK', transactionId: `FX-5-${i}` } });
      ids.push(sale.body.conversionId);
    }
    const danish = await server.json('/v1/conversions', { method: 'POST', json: { clickId: await click(offer.id), amount: '10.00', currency: 'DKK', transactionId: 'FX-5-dk' } });

    // Another process stored the NOK rate (the store alone: nothing priced yet).
    await server.store.fxRates.put({ NOK: '0.10' }, server.clock.now());
    expect(await repriceAwaitingFx(server.context, ['NOK'], { batch: 2 })).toBe(5);
    for (const id of ids) expect(await conversion(id)).toMatchObject({ payout: '0.50', awaitingFxRate: null });

    await server.store.fxRates.put({ DKK: '0.15' }, server.clock.now());
    expect((await runMaintenance(server.context)).repriced).toBe(1);
    expect(await conversion(danish.body.conversionId)).toMatchObject({ payout: '0.75', awaitingFxRate: null });
    expect(await totals(offer.id)).toMatchObject({ payout: '3.25', conversions: { approved: 6 } });
    expect((await runMaintenance(server.context)).repriced).toBe(0);
  });
});
