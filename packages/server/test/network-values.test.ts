import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startTestServer, type TestServer } from './support/harness.js';

// Values as networks send them (README, Postback parameters and statuses).
describe.each(backends())('postback values as networks send them on %s', (backend) => {
  let server: TestServer;
  let offer: { id: string; postbackToken: string };
  beforeAll(async () => {
    server = await startTestServer(backend);
    offer = await server.createOffer({ name: 'Network values', currency: 'EUR', payout: { model: 'cps', percent: '10' } });
  });
  afterAll(() => server.close());

  const click = async () => (await server.click(offer.id)).clickId;
  const postback = async (query: string) => server.json(`/postback?click_id=${await click()}&token=${offer.postbackToken}&${query}`, { key: null });

  it('takes unfilled placeholders as absent instead of refusing the postback', async () => {
    const reply = await postback('amount=50.00&transaction_id={transaction_id}&payout=%7Bpayout%7D&currency=[currency]&status=%23status%23&coupon={{coupon}}');
    expect(reply.status).toBe(200);
    const conversion = (await server.json(`/v1/conversions/${reply.body.conversionId}`)).body;
    expect(conversion).toMatchObject({ amount: '50.00', currency: 'EUR', transactionId: null, couponCode: null, payout: '5.00' });
  });

  it('reads a decimal comma and refuses a thousands comma', async () => {
    const comma = await postback('amount=12,34');
    expect(comma.status).toBe(200);
    expect((await server.json(`/v1/conversions/${comma.body.conversionId}`)).body).toMatchObject({ amount: '12.34' });
    for (const amount of ['1,234', '1,234.50']) {
      const refused = await postback(`amount=${amount}`);
      expect([amount, refused.status, refused.body.reason]).toEqual([amount, 422, 'invalid_amount']);
    }
  });

  it('reads a currency code in any case', async () => {
    const reply = await postback('amount=10.00&currency=eur');
    expect(reply.status).toBe(200);
    expect((await server.json(`/v1/conversions/${reply.body.conversionId}`)).body).toMatchObject({ currency: 'EUR', amount: '10.00' });
  });
});
