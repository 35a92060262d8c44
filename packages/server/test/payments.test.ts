import type { ChildProcess } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { backends, spawnSharedServers, startTestServer, type TestServer } from './support/harness.js';

describe.each(backends())('payments and balances on %s', (backend) => {
  let server: TestServer;
  let offerCount = 0;

  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());

  const newPublisher = async () => {
    const id = (await server.json('/v1/publishers', { method: 'POST', json: { name: `Payee ${Math.random()}` } })).body.id as string;
    const key = (await server.json('/v1/api-keys', { method: 'POST', json: { role: 'publisher', publisherId: id } })).body.key as string;
    return { id, key };
  };
  const newOffer = async (json: object) =>
    (await server.json('/v1/offers', { method: 'POST', json: { name: `Paying offer ${++offerCount}`, url: 'https://shop.example.com', ...json } })).body.id as string;
  const sale = async (publisherId: string, offerId: string, status?: string) => {
    const created = await server.json('/v1/transactions', { method: 'POST', json: { publisherId, offerId, amount: '1.00', ...(status ? { status } : {}) } });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };
  const setStatus = async (id: string, status: string, reason?: string) =>
    expect((await server.json(`/v1/conversions/${id}`, { method: 'PATCH', json: { status, ...(reason ? { reason } : {}) } })).status).toBe(200);
  const balance = async (publisher: { id: string; key: string }) => {
    const { body } = await server.json(`/v1/publishers/${publisher.id}/balance`, { key: publisher.key });
    return [body.accruing, body.pending, body.approved, body.paid];
  };
  const pay = (publisherId: string) => server.json('/v1/payments', { method: 'POST', json: { publisherId } });
  const approve = (id: string) => server.json(`/v1/payments/${id}/approve`, { method: 'POST' });

  it('moves payouts through accruing, pending, approved and paid as conversions are released, approved and paid', async () => {
    const publisher = await newPublisher();
    const held = await newOffer({ payout: { model: 'cpa', amount: '10.00' }, approval: { defaultStatus: 'pending' } });
    const accumulated = await newOffer({ payout: { model: 'cpa', amount: '4.00', threshold: { count: 3, period: 'total' } } });
    expect(await balance(publisher)).toEqual(['0.00', '0.00', '0.00', '0.00']);

    const [first, second] = [await sale(publisher.id, held), await sale(publisher.id, held)];
    await sale(publisher.id, accumulated);
    await sale(publisher.id, accumulated);
    expect(await balance(publisher)).toEqual(['8.00', '20.00', '0.00', '0.00']);

    await setStatus(first, 'approved');
    expect(await balance(publisher)).toEqual(['8.00', '10.00', '10.00', '0.00']);
    await sale(publisher.id, accumulated);
    expect(await balance(publisher)).toEqual(['0.00', '10.00', '22.00', '0.00']);

    const payment = await pay(publisher.id);
    expect(payment.status).toBe(201);
    expect(payment.body).toMatchObject({ publisherId: publisher.id, status: 'pending', total: '22.00', currency: 'USD', conversionCount: 4, adjustmentCount: 0, adjustmentTotal: '0.00', approvedAt: null });
    // Gathered but not yet paid: still approved.
    expect(await balance(publisher)).toEqual(['0.00', '10.00', '22.00', '0.00']);
    expect((await server.json(`/v1/conversions/${first}`)).body).toMatchObject({ paymentId: payment.body.id, payoutState: 'payable' });
    const again = await pay(publisher.id);
    expect([again.status, again.body.error.code]).toEqual([409, 'nothing_payable']);

    server.clock.advance(60_000);
    const approved = await approve(payment.body.id);
    expect(approved.body).toMatchObject({ status: 'approved', total: '22.00', approvedAt: server.clock.now().toISOString() });
    expect((await approve(payment.body.id)).body).toEqual(approved.body);
    expect(await balance(publisher)).toEqual(['0.00', '10.00', '0.00', '22.00']);
    expect((await server.json(`/v1/conversions/${first}`)).body.payoutState).toBe('paid');

    await setStatus(second, 'rejected');
    expect(await balance(publisher)).toEqual(['0.00', '0.00', '0.00', '22.00']);
    const mine = await server.json('/v1/payments', { key: publisher.key });
    expect(mine.body.data).toEqual([approved.body]);
    const items = await server.json(`/v1/payments/${payment.body.id}/items`, { key: publisher.key });
    expect(items.body.data.map((item: { kind: string; amount: string }) => `${item.kind} ${item.amount}`).sort()).toEqual(
      ['payout 10.00', 'payout 4.00', 'payout 4.00', 'payout 4.00'],
    );
  });

  it('books a rejection after an approved payment as a negative adjustment in the next payment, leaving the approved one as it was', async () => {
    const publisher = await newPublisher();
    const offer = await newOffer({ payout: { model: 'cpa', amount: '10.00' } });
    const refunded = await sale(publisher.id, offer);
    await sale(publisher.id, offer);
    const first = (await pay(publisher.id)).body;
    await approve(first.id);
    expect(await balance(publisher)).toEqual(['0.00', '0.00', '0.00', '20.00']);

    await setStatus(refunded, 'rejected', 'refund');
    expect((await server.json(`/v1/conversions/${refunded}`)).body).toMatchObject({ status: 'rejected', reason: 'refund', payoutState: 'paid', paymentId: first.id });
    expect(await balance(publisher)).toEqual(['0.00', '0.00', '-10.00', '20.00']);
    const owing = await pay(publisher.id);
    expect([owing.status, owing.body.error.code]).toEqual([409, 'nothing_payable']);
    expect(owing.body.error.message).toContain('-10.00 USD');

    const larger = await newOffer({ payout: { model: 'cpa', amount: '15.00' } });
    const later = await sale(publisher.id, larger);
    expect(await balance(publisher)).toEqual(['0.00', '0.00', '5.00', '20.00']);
    const second = (await pay(publisher.id)).body;
    expect(second).toMatchObject({ total: '5.00', conversionCount: 1, adjustmentCount: 1, adjustmentTotal: '-10.00' });
    const items = (await server.json(`/v1/payments/${second.id}/items`)).body.data;
    expect(items.map(({ conversionId, kind, amount }: Record<string, string>) => ({ conversionId, kind, amount }))).toEqual([
      { conversionId: later, kind: 'payout', amount: '15.00' },
      { conversionId: refunded, kind: 'adjustment', amount: '-10.00' },
    ]);
    expect((await server.json(`/v1/payments/${first.id}`)).body).toMatchObject({ status: 'approved', total: '20.00', adjustmentCount: 0 });

    await approve(second.id);
    expect(await balance(publisher)).toEqual(['0.00', '0.00', '0.00', '25.00']);
    expect((await pay(publisher.id)).status).toBe(409);
  });

  it('keeps a pending payment as gathered when one of its conversions is rejected, and takes the payout back in the next one', async () => {
    const publisher = await newPublisher();
    const offer = await newOffer({ payout: { model: 'cpa', amount: '10.00' } });
    const rejected = await sale(publisher.id, offer);
    await sale(publisher.id, offer);
    const payment = (await pay(publisher.id)).body;
    await setStatus(rejected, 'rejected');
    expect(await balance(publisher)).toEqual(['0.00', '0.00', '20.00', '0.00']);
    expect((await approve(payment.id)).body.total).toBe('20.00');
    expect(await balance(publisher)).toEqual(['0.00', '0.00', '-10.00', '20.00']);
  });

  it('answers 409 when nothing is payable, 422 for an unknown publisher, and 404 for an unknown payment', async () => {
    const publisher = await newPublisher();
    const empty = await pay(publisher.id);
    expect([empty.status, empty.body.error.code]).toEqual([409, 'nothing_payable']);
    const unknown = await pay('pub_missing');
    expect([unknown.status, unknown.body.error.issues[0].path]).toEqual([422, 'publisherId']);
    expect((await server.json('/v1/payments/pay_missing')).status).toBe(404);
    expect((await approve('pay_missing')).status).toBe(404);
    expect((await server.json('/v1/publishers/pub_missing/balance')).status).toBe(404);
    expect((await server.json('/v1/payments?status=paid')).status).toBe(400);
  });
});

/**
 * Payment requests racing in real server processes: two on one PostgreSQL database, one on SQLite (embedded, one
 * process). However they interleave, no payout lands in two payments.
 */
describe.each(backends())('concurrent payment requests on %s', (backend) => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
  });

  it('puts each payout in exactly one payment when payments for one publisher are requested at once', async () => {
    const { urls, adminKey, children: started } = await spawnSharedServers(backend);
    children.push(...started);
    const api = async (url: string, path: string, body?: object) => {
      const response = await fetch(`${url}${path}`, {
        method: body ? 'POST' : 'GET',
        headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return { status: response.status, body: (await response.json()) as any };
    };
    const first = urls[0]!;
    const publisherId = (await api(first, '/v1/publishers', { name: 'Racing payee' })).body.id;
    const offerId = (await api(first, '/v1/offers', { name: 'Race offer', url: 'https://shop.example.com', payout: { model: 'cpa', amount: '1.00' } })).body.id;
    const sales = 60;
    for (let i = 0; i < sales; i++) await api(urls[i % urls.length]!, '/v1/transactions', { publisherId, offerId, amount: '1.00', transactionId: `R-${i}` });

    // Rounds of simultaneous requests, with more sales landing between rounds, so that claims interleave.
    const created: string[] = [];
    for (let round = 0; round < 3; round++) {
      const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => api(urls[i % urls.length]!, '/v1/payments', { publisherId })));
      expect(answers.map((answer) => answer.status).filter((status) => status !== 201 && status !== 409)).toEqual([]);
      expect(answers.filter((answer) => answer.status === 409).every((answer) => answer.body.error.code === 'nothing_payable')).toBe(true);
      created.push(...answers.filter((answer) => answer.status === 201).map((answer) => answer.body.id));
      for (let i = 0; i < 5; i++) await api(first, '/v1/transactions', { publisherId, offerId, amount: '1.00', transactionId: `R-${round}-${i}` });
    }

    const claimed: string[] = [];
    let total = 0;
    for (const id of created) {
      const payment = (await api(first, `/v1/payments/${id}`)).body;
      const items = (await api(first, `/v1/payments/${id}/items?limit=500`)).body.data as { conversionId: string }[];
      expect(items).toHaveLength(payment.conversionCount);
      claimed.push(...items.map((item) => item.conversionId));
      total += Number(payment.total);
    }
    const paidOut = sales + 10;
    expect(new Set(claimed).size).toBe(claimed.length);
    expect(claimed).toHaveLength(paidOut);
    expect(total).toBe(paidOut);
    const balance = (await api(first, `/v1/publishers/${publisherId}/balance`)).body;
    // 5 sales arrived after the last round and are unpaid.
    expect(balance).toMatchObject({ approved: '75.00', paid: '0.00' });
  });
});
