import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../src/storage/index.js';
import type { ConversionRecord } from '../src/storage/store.js';
import { conversionRecord, testId } from './support/fixtures.js';
import { backends, freshDatabaseUrl } from './support/harness.js';

// The payments part of the storage contract, on every database.
describe.each(backends())('payments in the %s store', (backend) => {
  const open: Store[] = [];
  const openFresh = async () => {
    const store = openStore(await freshDatabaseUrl(backend));
    open.push(store);
    await store.migrate();
    return store;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((store) => store.close().catch(() => {})));
  });

  const at = new Date('2026-03-10T12:00:00Z');
  const insert = async (store: Store, overrides: Partial<ConversionRecord>) => {
    const conversion = conversionRecord({ publisherId: 'pub_a', ...overrides });
    await store.conversions.insert({ ...conversion, clickKey: conversion.id, dedupeKey: 'ev:', isPrimary: false });
    return conversion;
  };
  const gather = (store: Store, publisherId = 'pub_a') =>
    store.transaction((tx) => tx.payments.gather({ id: testId('pay_'), publisherId, currency: 'USD', at }));

  it('gathers only approved, payable payouts of the publisher, each once, and books the balance by stage', async () => {
    const store = await openFresh();
    const payable = await insert(store, { payoutAccount: 500 });
    await insert(store, { status: 'pending', payoutAccount: 300 });
    await insert(store, { payoutState: 'accruing', payoutAccount: 200 });
    await insert(store, { status: 'pending', payoutState: 'accruing', payoutAccount: 100 });
    await insert(store, { status: 'rejected', payoutAccount: 900 });
    await insert(store, { payoutState: 'forfeited', payoutAccount: 900 });
    await insert(store, { payoutAccount: 0 });
    await insert(store, { publisherId: 'pub_b', payoutAccount: 700 });
    expect(await store.payments.balance('pub_a')).toEqual({ accruing: 300, pending: 300, approved: 500, paid: 0 });

    const payment = await gather(store);
    expect(payment).toMatchObject({ publisherId: 'pub_a', status: 'pending', total: 500, conversionCount: 1, adjustmentCount: 0, approvedAt: null });
    expect((await store.payments.items(payment.id, { limit: 10 })).data).toEqual([
      { paymentId: payment.id, conversionId: payable.id, kind: 'payout', amount: 500, createdAt: at },
    ]);
    expect(await store.conversions.get(payable.id)).toMatchObject({ paymentId: payment.id, payoutState: 'payable' });
    expect((await gather(store)).conversionCount).toBe(0);
    // Gathered is not paid: the payout stays in `approved` until the payment is approved.
    expect((await store.payments.balance('pub_a')).approved).toBe(500 + 0);

    const paidAt = new Date('2026-03-11T09:00:00Z');
    expect(await store.transaction((tx) => tx.payments.approve(payment.id, paidAt))).toBe(true);
    expect(await store.transaction((tx) => tx.payments.approve(payment.id, paidAt))).toBe(false);
    expect(await store.payments.get(payment.id)).toMatchObject({ status: 'approved', approvedAt: paidAt });
    expect((await store.conversions.get(payable.id))?.payoutState).toBe('paid');
    expect(await store.payments.balance('pub_a')).toEqual({ accruing: 300, pending: 300, approved: 0, paid: 500 });
    expect(await store.payments.balance('pub_b')).toEqual({ accruing: 0, pending: 0, approved: 700, paid: 0 });
  });

  it('takes back a payout rejected after its payment was approved, once, in the next payment', async () => {
    const store = await openFresh();
    const refunded = await insert(store, { payoutAccount: 500 });
    const first = await gather(store);
    await store.transaction((tx) => tx.payments.approve(first.id, at));
    await store.conversions.update(refunded.id, { status: 'rejected', reason: 'refund' }, {});
    expect(await store.payments.balance('pub_a')).toEqual({ accruing: 0, pending: 0, approved: -500, paid: 500 });

    const later = await insert(store, { payoutAccount: 800 });
    const second = await gather(store);
    expect(second).toMatchObject({ total: 300, conversionCount: 1, adjustmentCount: 1, adjustmentTotal: -500 });
    expect((await store.payments.items(second.id, { limit: 1 })).nextCursor).not.toBeNull();
    const items = (await store.payments.items(second.id, { limit: 10 })).data.map(({ conversionId, kind, amount }) => ({ conversionId, kind, amount }));
    expect(items).toEqual([
      { conversionId: later.id, kind: 'payout', amount: 800 },
      { conversionId: refunded.id, kind: 'adjustment', amount: -500 },
    ]);
    expect(await store.payments.get(first.id)).toMatchObject({ total: 500, adjustmentCount: 0 });
    await store.transaction((tx) => tx.payments.approve(second.id, at));
    expect(await store.payments.balance('pub_a')).toEqual({ accruing: 0, pending: 0, approved: 0, paid: 800 });
    const third = await gather(store);
    expect([third.conversionCount, third.adjustmentCount]).toEqual([0, 0]);
  });

  it('lets a payment that races another one claim none of the payouts the other holds, committed or not', async () => {
    const store = await openFresh();
    for (let i = 0; i < 20; i++) await insert(store, { payoutAccount: 100 + i });
    let gathered!: () => void;
    let release!: () => void;
    const firstGathered = new Promise<void>((resolve) => (gathered = resolve));
    const first = store.transaction(async (tx) => {
      const payment = await tx.payments.gather({ id: testId('pay_'), publisherId: 'pub_a', currency: 'USD', at });
      gathered();
      // Hold the transaction open, its claims uncommitted, while the second payment runs.
      await new Promise<void>((resolve) => (release = resolve));
      return payment;
    });
    await firstGathered;
    const second = gather(store);
    await new Promise((resolve) => setTimeout(resolve, 300));
    release();
    const [a, b] = await Promise.all([first, second]);
    expect(a.conversionCount).toBe(20);
    expect(b.conversionCount).toBe(0);
    expect(b.total).toBe(0);
  });
});
