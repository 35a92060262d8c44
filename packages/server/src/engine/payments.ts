import { type Balance, formatMoney, type Payment, type PaymentItem } from '@waypost/schema';
import type { AppContext } from '../context.js';
import { ApiError } from '../http/errors.js';
import { newId } from '../ids.js';
import type { PaymentItemRecord, PaymentRecord, Repositories } from '../storage/store.js';

/** More work in the transaction that makes a change, such as its audit entry. */
type InTransaction<T> = (tx: Repositories, result: T) => Promise<void>;

/**
 * Gathers a publisher's approved, unpaid payouts and the adjustments it owes into a `pending` payment. The lines are
 * claimed by the database (see `PaymentRepository.gather`), so two concurrent requests never pay one payout twice:
 * the later one finds nothing left and answers 409 `nothing_payable`.
 */
export async function createPayment(
  { store, config, clock }: AppContext,
  publisherId: string,
  inTransaction?: InTransaction<PaymentRecord>,
): Promise<PaymentRecord> {
  if (!(await store.publishers.get(publisherId))) throw ApiError.field('publisherId', `no publisher "${publisherId}"`);
  const now = clock.now();
  return store.transaction(async (tx) => {
    const payment = await tx.payments.gather({ id: newId('pay_', now), publisherId, currency: config.currency, at: now });
    if (payment.conversionCount === 0 && payment.adjustmentCount === 0) {
      throw new ApiError(409, 'nothing_payable', 'this publisher has no approved, unpaid payouts');
    }
    // A payment never asks the publisher for money: adjustments owed wait until payouts exceed them.
    if (payment.total <= 0) {
      throw new ApiError(
        409,
        'nothing_payable',
        `this publisher's payable balance is ${formatMoney(payment.total, payment.currency)} ${payment.currency}: the adjustments it owes exceed its payouts, and carry over to its next payment`,
      );
    }
    if (inTransaction) await inTransaction(tx, payment);
    return payment;
  });
}

/** Marks a pending payment approved (paid through the merchant's own system); approving it again changes nothing. */
export async function approvePayment({ store, clock }: AppContext, payment: PaymentRecord, inTransaction?: InTransaction<PaymentRecord>): Promise<PaymentRecord> {
  if (payment.status === 'approved') return payment;
  await store.transaction(async (tx) => {
    // Only the request that moved it from pending records the change.
    if ((await tx.payments.approve(payment.id, clock.now())) && inTransaction) await inTransaction(tx, payment);
  });
  return (await store.payments.get(payment.id))!;
}

/**
 * A publisher's balance in the account currency (README, Payments and balances; the buckets are defined at
 * `PaymentRepository.balance`).
 */
export async function publisherBalance({ store, config }: AppContext, publisherId: string): Promise<Balance> {
  const totals = await store.payments.balance(publisherId);
  const money = (minor: number) => formatMoney(minor, config.currency);
  return {
    publisherId,
    currency: config.currency,
    accruing: money(totals.accruing),
    pending: money(totals.pending),
    approved: money(totals.approved),
    paid: money(totals.paid),
  };
}

export function paymentToWire(payment: PaymentRecord): Payment {
  return {
    id: payment.id,
    publisherId: payment.publisherId,
    status: payment.status,
    total: formatMoney(payment.total, payment.currency),
    currency: payment.currency,
    conversionCount: payment.conversionCount,
    adjustmentCount: payment.adjustmentCount,
    adjustmentTotal: formatMoney(payment.adjustmentTotal, payment.currency),
    createdAt: payment.createdAt.toISOString(),
    approvedAt: payment.approvedAt?.toISOString() ?? null,
  };
}

export function paymentItemToWire(item: PaymentItemRecord, currency: string): PaymentItem {
  return { ...item, amount: formatMoney(item.amount, currency), createdAt: item.createdAt.toISOString() };
}
