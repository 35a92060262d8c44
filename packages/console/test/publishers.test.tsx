import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Payment, Publisher } from '@waypost/schema';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeApi, OWNER_SESSION, renderConsole } from './support.js';

afterEach(() => vi.unstubAllGlobals());

const publisher: Publisher = {
  id: 'pub_1',
  name: 'Blog network',
  email: 'ads@blog.example',
  status: 'active',
  postbackUrl: null,
  postbackSecret: null,
  createdAt: '2026-11-02T10:00:00.000Z',
  updatedAt: '2026-11-02T10:00:00.000Z',
};
const payment: Payment = {
  id: 'pay_1',
  publisherId: 'pub_1',
  status: 'pending',
  total: '1500',
  currency: 'JPY',
  conversionCount: 2,
  adjustmentCount: 0,
  adjustmentTotal: '0',
  createdAt: '2026-11-03T10:00:00.000Z',
  approvedAt: null,
};

describe('the publishers screens', () => {
  it('keeps the search in the URL and hides Add publisher from a member, whom the API does not let add one', async () => {
    const { requests } = fakeApi({
      'GET /v1/session': { body: { ...OWNER_SESSION, user: { ...OWNER_SESSION.user, role: 'member' } } },
      'GET /v1/publishers': { body: { data: [publisher], nextCursor: null } },
    });
    const { router } = renderConsole('/app/publishers');
    await screen.findByRole('link', { name: 'Blog network' });
    expect(screen.queryByRole('button', { name: 'Add publisher' })).toBeNull();
    await userEvent.type(screen.getByRole('textbox', { name: 'Search' }), 'blog{Enter}');
    await waitFor(() => expect(router.state.location.search).toEqual({ q: 'blog' }));
    await waitFor(() => expect(requests.at(-1)!.query.get('q')).toBe('blog'));
  });

  it('adds a publisher, shows the server refusing its postback URL at the field, then opens its page with its balance', async () => {
    const { requests } = fakeApi({
      'GET /v1/session': { body: OWNER_SESSION },
      'GET /v1/publishers': { body: { data: [], nextCursor: null } },
      'POST /v1/publishers': (request) =>
        (request.body as { postbackUrl?: string }).postbackUrl
          ? { status: 422, body: { error: { code: 'validation_error', message: 'bad', issues: [{ path: 'postbackUrl', code: 'destination_refused', message: 'points to a private address' }] } } }
          : { status: 201, body: publisher },
      'GET /v1/publishers/pub_1': { body: publisher },
      'GET /v1/publishers/pub_1/balance': { body: { publisherId: 'pub_1', currency: 'JPY', accruing: '100', pending: '0', approved: '1500', paid: '0' } },
      'GET /v1/api-keys': { body: { data: [], nextCursor: null } },
    });
    const { router } = renderConsole('/app/publishers/new');
    await userEvent.type(await screen.findByLabelText('Publisher name'), 'Blog network');
    await userEvent.type(screen.getByLabelText('Postback URL'), 'http://10.0.0.1/pb');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.getByLabelText('Postback URL').getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getByText('Points to a private address')).toBeTruthy();

    await userEvent.clear(screen.getByLabelText('Postback URL'));
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/publishers/pub_1'));
    expect(requests.filter((request) => request.method === 'POST').at(-1)!.body).toEqual({ name: 'Blog network', status: 'active' });
    const balance = await screen.findByRole('region', { name: 'Balance' });
    await waitFor(() => expect(balance.textContent!.replace(/\u00a0/g, ' ')).toContain('¥1,500'));
  });
});

describe('the payments screens', () => {
  it('creates a payment for a publisher and approves it', async () => {
    let current = payment;
    const { requests } = fakeApi({
      'GET /v1/session': { body: OWNER_SESSION },
      'GET /v1/publishers': { body: { data: [publisher], nextCursor: null } },
      'GET /v1/payments': { body: { data: [], nextCursor: null } },
      'POST /v1/payments': { status: 201, body: payment },
      'GET /v1/payments/pay_1': () => ({ body: current }),
      'GET /v1/payments/pay_1/items': {
        body: {
          data: [
            { paymentId: 'pay_1', conversionId: 'cnv_1', kind: 'payout', amount: '1000', createdAt: '2026-11-03T10:00:00.000Z' },
            { paymentId: 'pay_1', conversionId: 'cnv_2', kind: 'payout', amount: '500', createdAt: '2026-11-03T10:00:00.000Z' },
          ],
          nextCursor: null,
        },
      },
      'POST /v1/payments/pay_1/approve': () => {
        current = { ...payment, status: 'approved', approvedAt: '2026-11-04T10:00:00.000Z' };
        return { body: current };
      },
    });
    const { router } = renderConsole('/app/payments');
    const form = await screen.findByRole('form', { name: 'Create payment' });
    await within(form).findByRole('option', { name: 'Blog network' });
    await userEvent.selectOptions(within(form).getByLabelText('Publisher to pay'), 'pub_1');
    await userEvent.click(within(form).getByRole('button', { name: 'Create payment' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/payments/pay_1'));
    const items = await screen.findByRole('table', { name: 'Payment items' });
    expect(within(items).getAllByRole('row')).toHaveLength(3);
    await userEvent.click(screen.getByRole('button', { name: 'Approve payment' }));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Approve payment' })).toBeNull());
    expect(screen.getByRole('heading', { name: 'Payment to Blog network' }).parentElement!.textContent).toContain('Approved');
    expect(requests.filter((request) => request.method === 'POST').map((request) => [request.path, request.body])).toEqual([
      ['/v1/payments', { publisherId: 'pub_1' }],
      ['/v1/payments/pay_1/approve', undefined],
    ]);
  });
});
