import {
  BalanceSchema,
  CreatePaymentParamsSchema,
  ListPaymentsQuerySchema,
  ListQuerySchema,
  listOf,
  PaymentItemSchema,
  PaymentSchema,
} from '@waypost/schema';
import type { AppContext } from '../context.js';
import { recordAudit } from '../engine/audit.js';
import { approvePayment, createPayment, paymentItemToWire, paymentToWire, publisherBalance } from '../engine/payments.js';
import { assertReachesAll } from '../engine/workspaces.js';
import type { Api } from '../http/api.js';
import type { Auth } from '../http/auth.js';
import { ApiError } from '../http/errors.js';
import type { PaymentRecord } from '../storage/index.js';
import { canSee, scopedPublisherId } from './scope.js';

export function paymentRoutes(api: Api, context: AppContext): void {
  const { store } = context;
  const tag = 'Payments';
  const findPayment = async (id: string, auth: Auth): Promise<PaymentRecord> => {
    assertReachesAll(auth, 'payments');
    const payment = await store.payments.get(id);
    if (!payment || !canSee(auth, payment.publisherId)) throw ApiError.notFound('payment');
    return payment;
  };

  api.route(
    {
      method: 'get',
      path: '/v1/publishers/:id/balance',
      tag: 'Publishers',
      access: 'key',
      summary: "A publisher's balance: accruing, pending, approved (payable, not yet paid) and paid",
      description:
        'In the account currency. accruing: non-rejected payouts a threshold still holds. pending: payouts of pending conversions. approved: approved payouts in no payment yet, plus pending payments, plus negative adjustments owed. paid: the total of approved payments.',
      response: BalanceSchema,
    },
    async ({ params, auth }) => {
      assertReachesAll(auth, 'balances');
      const publisherId = scopedPublisherId(auth, params.id)!;
      if (!(await store.publishers.get(publisherId))) throw ApiError.notFound('publisher');
      return publisherBalance(context, publisherId);
    },
  );

  api.route(
    {
      method: 'post',
      path: '/v1/payments',
      tag,
      access: 'admin',
      summary: "Gather a publisher's approved, unpaid payouts into a pending payment",
      description: 'Negative adjustments (conversions rejected after an approved payment paid them) are carried into it. 409 nothing_payable when there is nothing to pay.',
      body: CreatePaymentParamsSchema,
      response: PaymentSchema,
      status: 201,
    },
    async ({ body, auth }) =>
      paymentToWire(
        await createPayment(context, body.publisherId, (tx, payment) =>
          recordAudit(tx, auth, { recordType: 'payment', recordId: payment.id, action: 'create', after: paymentToWire(payment), at: context.clock.now() }),
        ),
      ),
  );

  api.route(
    { method: 'get', path: '/v1/payments', tag, access: 'key', summary: 'List payments (a publisher key sees its own)', query: ListQuerySchema.extend(ListPaymentsQuerySchema.shape), response: listOf(PaymentSchema) },
    async ({ query, auth }) => {
      assertReachesAll(auth, 'payments');
      const { limit, cursor, ...filter } = query;
      const page = await store.payments.list({ ...filter, publisherId: scopedPublisherId(auth, filter.publisherId) }, { limit, cursor });
      return { data: page.data.map(paymentToWire), nextCursor: page.nextCursor };
    },
  );

  api.route(
    { method: 'get', path: '/v1/payments/:id', tag, access: 'key', summary: 'Retrieve a payment', response: PaymentSchema },
    async ({ params, auth }) => paymentToWire(await findPayment(params.id!, auth)),
  );

  api.route(
    { method: 'get', path: '/v1/payments/:id/items', tag, access: 'key', summary: 'The payouts and adjustments in a payment', query: ListQuerySchema, response: listOf(PaymentItemSchema) },
    async ({ params, query, auth }) => {
      const payment = await findPayment(params.id!, auth);
      const page = await store.payments.items(payment.id, query);
      return { data: page.data.map((item) => paymentItemToWire(item, payment.currency)), nextCursor: page.nextCursor };
    },
  );

  api.route(
    {
      method: 'post',
      path: '/v1/payments/:id/approve',
      tag,
      access: 'admin',
      summary: 'Mark a payment approved: paid through your own payment system',
      description: 'Its payouts become paid. Approving an approved payment again returns it unchanged.',
      response: PaymentSchema,
    },
    async ({ params, auth }) =>
      paymentToWire(
        await approvePayment(context, await findPayment(params.id!, auth), (tx, payment) =>
          recordAudit(tx, auth, { recordType: 'payment', recordId: payment.id, action: 'approve', before: { status: payment.status }, after: { status: 'approved' }, at: context.clock.now() }),
        ),
      ),
  );
}
