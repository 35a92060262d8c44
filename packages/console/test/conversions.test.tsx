import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Conversion } from '@waypost/schema';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeApi, offer, OWNER_SESSION, renderConsole, type SeenRequest } from './support.js';

afterEach(() => vi.unstubAllGlobals());

function conversion(fields: Partial<Conversion> = {}): Conversion {
  return {
    id: 'cnv_1',
    offerId: 'off_1',
    publisherId: 'pub_1',
    clickId: null,
    couponCode: null,
    transactionId: 'order-1',
    event: null,
    status: 'pending',
    reason: null,
    kind: 'conversion',
    source: 'postback',
    amount: '120',
    currency: 'JPY',
    payout: '10.00',
    revenue: '12.50',
    offerCurrency: 'USD',
    fxRate: null,
    awaitingFxRate: null,
    payoutState: 'accruing',
    country: 'US',
    sub1: null,
    sub2: null,
    sub3: null,
    sub4: null,
    sub5: null,
    note: null,
    paymentId: null,
    createdAt: '2026-11-02T10:00:00.000Z',
    updatedAt: '2026-11-02T10:00:00.000Z',
    ...fields,
  };
}

const publishers = { body: { data: [{ id: 'pub_1', name: 'Blog network', email: null, status: 'active', postbackUrl: null, postbackSecret: null, createdAt: '', updatedAt: '' }], nextCursor: null } };
const offers = { body: { data: [offer({ id: 'off_1', name: 'Solar leads' })], nextCursor: null } };
const lastQuery = (requests: SeenRequest[]) => Object.fromEntries(requests.filter((request) => request.method === 'GET' && request.path === '/v1/conversions').at(-1)!.query);

describe('the conversions screen', () => {
  it('shows each conversion with names for ids and money in the right currency', async () => {
    fakeApi({
      'GET /v1/session': { body: OWNER_SESSION },
      'GET /v1/offers': offers,
      'GET /v1/publishers': publishers,
      'GET /v1/conversions': { body: { data: [conversion()], nextCursor: null } },
    });
    renderConsole('/app/conversions');
    const table = await screen.findByRole('table', { name: 'Conversions' });
    const row = within(table).getAllByRole('row')[1]!;
    await waitFor(() => expect(row.textContent).toContain('Solar leads'));
    expect(row.textContent).toContain('Blog network');
    expect(row.textContent).toContain('$10.00');
    expect(row.textContent).toContain('$12.50');
    // The sale in yen has no decimals.
    expect(row.textContent!.replace(/\u00a0/g, ' ')).toContain('¥120');
    expect(row.textContent).not.toContain('¥120.');
  });

  it('keeps the filters in the URL, asks the API for them, and exports the same filters as CSV', async () => {
    const { requests } = fakeApi({
      'GET /v1/session': { body: OWNER_SESSION },
      'GET /v1/offers': offers,
      'GET /v1/publishers': publishers,
      'GET /v1/conversions': { body: { data: [], nextCursor: null } },
    });
    const { router } = renderConsole('/app/conversions');
    await screen.findByText(/No conversions yet/);
    await screen.findByRole('option', { name: 'Blog network' });
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'pending');
    await waitFor(() => expect(router.state.location.search).toEqual({ status: 'pending' }));
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Publisher' }), 'pub_1');
    await userEvent.type(screen.getByRole('textbox', { name: 'Transaction ID' }), 'order-9{Enter}');
    await waitFor(() => expect(router.state.location.search).toEqual({ status: 'pending', publisherId: 'pub_1', transactionId: 'order-9' }));
    await userEvent.type(screen.getByLabelText('From'), '2026-11-01');
    await userEvent.click(screen.getByRole('button', { name: 'Filter' }));
    await waitFor(() => expect(lastQuery(requests)).toMatchObject({ status: 'pending', publisherId: 'pub_1', transactionId: 'order-9', from: '2026-11-01T00:00:00.000Z' }));
    expect(await screen.findByText('No conversions match these filters.')).toBeTruthy();
    const exportLink = screen.getByRole('link', { name: 'Export CSV' });
    expect(new URL(exportLink.getAttribute('href')!, 'http://x').searchParams.toString()).toBe(
      'format=csv&publisherId=pub_1&status=pending&transactionId=order-9&from=2026-11-01T00%3A00%3A00.000Z',
    );
  });

  it('approves a pending conversion and rejects an approved one with a reason', async () => {
    const rows = [conversion({ id: 'cnv_pending' }), conversion({ id: 'cnv_approved', status: 'approved' })];
    const { requests } = fakeApi({
      'GET /v1/session': { body: OWNER_SESSION },
      'GET /v1/offers': offers,
      'GET /v1/publishers': publishers,
      'GET /v1/conversions': () => ({ body: { data: rows, nextCursor: null } }),
      'PATCH /v1/conversions/cnv_pending': (request) => {
        rows[0] = conversion({ id: 'cnv_pending', status: 'approved' });
        return { body: { ...rows[0], ...(request.body as object) } };
      },
      'PATCH /v1/conversions/cnv_approved': { body: conversion({ id: 'cnv_approved', status: 'rejected' }) },
    });
    renderConsole('/app/conversions');
    await userEvent.click(await screen.findByRole('button', { name: 'Approve conversion cnv_pending' }));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Approve conversion cnv_pending' })).toBeNull());

    await userEvent.click(screen.getByRole('button', { name: 'Refund conversion cnv_approved' }));
    const confirm = screen.getByRole('group', { name: 'Reject conversion cnv_approved?' });
    await userEvent.type(within(confirm).getByLabelText('Reason'), 'Chargeback');
    await userEvent.click(within(confirm).getByRole('button', { name: 'Confirm rejection' }));
    await waitFor(() => expect(requests.filter((request) => request.method === 'PATCH').map((request) => [request.path, request.body, request.headers.get('X-CSRF-Token')])).toEqual([
      ['/v1/conversions/cnv_pending', { status: 'approved' }, 'csrf-token-1'],
      ['/v1/conversions/cnv_approved', { status: 'rejected', reason: 'Chargeback' }, 'csrf-token-1'],
    ]));
  });

  it('shows an analyst no status buttons and no Add transaction', async () => {
    fakeApi({
      'GET /v1/session': { body: { ...OWNER_SESSION, user: { ...OWNER_SESSION.user, role: 'analyst' } } },
      'GET /v1/offers': offers,
      'GET /v1/publishers': publishers,
      'GET /v1/conversions': { body: { data: [conversion()], nextCursor: null } },
    });
    renderConsole('/app/conversions');
    await screen.findByRole('table', { name: 'Conversions' });
    expect(screen.queryByRole('button', { name: /Approve/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /Reject/ })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Add transaction' })).toBeNull();
    expect(screen.getByRole('link', { name: 'Export CSV' })).toBeTruthy();
  });
});

describe('the manual transaction form', () => {
  it('says what is missing next to the field, then books the transaction and shows it in the list', async () => {
    const { requests } = fakeApi({
      'GET /v1/session': { body: OWNER_SESSION },
      'GET /v1/offers': { body: { data: [offer({ id: 'off_jpy', name: 'Yen offer', currency: 'JPY' })], nextCursor: null } },
      'GET /v1/publishers': publishers,
      'GET /v1/conversions': { body: { data: [], nextCursor: null } },
      'POST /v1/transactions': (request) => {
        const body = request.body as { amount: string };
        if (body.amount === '1500') return { status: 201, body: conversion({ transactionId: 'phone-7', source: 'manual' }) };
        return { status: 422, body: { error: { code: 'validation_error', message: 'amount: bad', issues: [{ path: 'amount', code: 'custom', message: 'has more decimals than JPY allows' }] } } };
      },
    });
    const { router } = renderConsole('/app/conversions/new-transaction');
    await screen.findByRole('option', { name: 'Yen offer (JPY)' });
    await userEvent.click(screen.getByRole('button', { name: 'Book transaction' }));
    await waitFor(() => expect(screen.getByLabelText('Offer').getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getByLabelText('Amount').getAttribute('aria-invalid')).toBe('true');

    // Neither a publisher nor a promo code: the sale would be nobody's.
    await userEvent.selectOptions(screen.getByLabelText('Offer'), 'off_jpy');
    await userEvent.type(screen.getByLabelText('Amount'), '1500');
    await userEvent.click(screen.getByRole('button', { name: 'Book transaction' }));
    await waitFor(() => expect(screen.getByLabelText('Publisher').getAttribute('aria-invalid')).toBe('true'));
    expect(requests.filter((request) => request.method === 'POST')).toEqual([]);

    await userEvent.selectOptions(screen.getByLabelText('Publisher'), 'pub_1');
    await userEvent.type(screen.getByLabelText('Transaction ID'), 'phone-7');
    await userEvent.click(screen.getByRole('button', { name: 'Book transaction' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/conversions'));
    expect(router.state.location.search).toEqual({ transactionId: 'phone-7' });
    expect(requests.find((request) => request.method === 'POST')!.body).toEqual({ offerId: 'off_jpy', publisherId: 'pub_1', amount: '1500', transactionId: 'phone-7' });
  });
});
