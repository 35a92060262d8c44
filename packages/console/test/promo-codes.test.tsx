import { configure, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeApi, offer, OWNER_SESSION, renderConsole, type SeenRequest } from './support.js';

// The screens load as chunks of their own: the first render waits for an import, slower on a busy machine.
configure({ asyncUtilTimeout: 5000 });

afterEach(() => vi.unstubAllGlobals());

const page = (data: unknown[]) => ({ body: { data, nextCursor: null } });
const request = (fields: Record<string, unknown> = {}) => ({
  id: 'pcr_1',
  offerId: 'off_1',
  publisherId: 'pub_1',
  platform: 'YouTube',
  status: 'moderation',
  code: null,
  reason: null,
  decidedAt: null,
  createdAt: '2026-12-01T10:00:00Z',
  ...fields,
});

function promoApi(extra: Parameters<typeof fakeApi>[0] = {}, session = OWNER_SESSION) {
  return fakeApi({
    'GET /v1/session': { body: session },
    'GET /v1/offers': page([offer({ id: 'off_1', name: 'Solar leads' })]),
    'GET /v1/publishers': page([{ id: 'pub_1', name: 'Blue Media' }]),
    'GET /v1/promo-codes/requests': (seen) => (seen.query.get('status') === 'moderation' ? page([request()]) : page([request({ id: 'pcr_2', status: 'rejected', reason: 'Coupon sites are not allowed.', decidedAt: '2026-12-02T10:00:00Z' })])),
    'GET /v1/promo-codes': page([{ id: 'pc_1', code: 'SUMMER', offerId: 'off_1', publisherId: 'pub_1', createdAt: '2026-11-02T10:00:00Z' }]),
    ...extra,
  });
}

const decisions = (requests: SeenRequest[]) => requests.filter((seen) => seen.method === 'POST' && seen.path === '/v1/promo-codes/requests/pcr_1/decision');

describe('the team’s promo codes screen', () => {
  it('lists the requests awaiting a decision and the issued codes by publisher and offer name', async () => {
    promoApi();
    renderConsole('/app/promo-codes');
    const requests = await screen.findByRole('table', { name: 'Requests' });
    await waitFor(() => expect(within(requests).getByRole('row', { name: /YouTube/ }).textContent).toContain('Blue Media'));
    expect(within(requests).getByRole('row', { name: /YouTube/ }).textContent).toContain('Solar leads');
    const codes = await screen.findByRole('table', { name: 'Issued codes' });
    expect(within(codes).getByRole('row', { name: /SUMMER/ }).textContent).toContain('Blue Media');
  });

  it('confirms a request with the code typed, and says why the server refused one', async () => {
    let attempts = 0;
    const { requests } = promoApi({
      'POST /v1/promo-codes/requests/pcr_1/decision': () =>
        ++attempts === 1
          ? { status: 409, body: { error: { code: 'conflict', message: 'the code is taken', issues: [{ path: 'code', code: 'conflict', message: 'is already used on this offer' }] } } }
          : { body: request({ status: 'confirmed', code: 'BLUE10' }) },
    });
    renderConsole('/app/promo-codes');
    const row = await screen.findByRole('row', { name: /YouTube/ });
    await userEvent.click(within(row).getByRole('button', { name: 'Confirm' }));
    const dialog = await screen.findByRole('dialog', { name: /Confirm the request of Blue Media for Solar leads/ });
    const code = within(dialog).getByRole('textbox', { name: 'Code' });
    await userEvent.type(code, 'no');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Confirm request' }));
    await within(dialog).findByText(/Must be 3–32 characters/);
    expect(decisions(requests)).toHaveLength(0);

    await userEvent.clear(code);
    await userEvent.type(code, 'BLUE10');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Confirm request' }));
    await within(dialog).findByText('Is already used on this offer');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Confirm request' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(decisions(requests).map((seen) => seen.body)).toEqual([
      { decision: 'confirm', code: 'BLUE10' },
      { decision: 'confirm', code: 'BLUE10' },
    ]);
  });

  it('leaves the code to the server when the field is empty, and asks for a reason to reject', async () => {
    const { requests } = promoApi({ 'POST /v1/promo-codes/requests/pcr_1/decision': (seen) => ({ body: request({ status: (seen.body as { decision: string }).decision === 'confirm' ? 'confirmed' : 'rejected' }) }) });
    renderConsole('/app/promo-codes');
    const row = await screen.findByRole('row', { name: /YouTube/ });
    await userEvent.click(within(row).getByRole('button', { name: 'Reject' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Reject request' }));
    await within(dialog).findByText('Is required: the publisher reads it');
    await userEvent.type(within(dialog).getByRole('textbox', { name: 'Reason' }), 'Coupon sites are not allowed.');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Reject request' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    await userEvent.click(within(await screen.findByRole('row', { name: /YouTube/ })).getByRole('button', { name: 'Confirm' }));
    await userEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Confirm request' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(decisions(requests).map((seen) => seen.body)).toEqual([{ decision: 'reject', reason: 'Coupon sites are not allowed.' }, { decision: 'confirm' }]);
  });

  it('keeps the status filter in the URL, with the rejection reason on the status', async () => {
    const { requests } = promoApi();
    const { router } = renderConsole('/app/promo-codes');
    await screen.findByRole('row', { name: /YouTube/ });
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'rejected');
    await waitFor(() => expect(router.state.location.search).toEqual({ status: 'rejected' }));
    const rejected = await screen.findByRole('button', { name: 'Rejected' });
    expect(document.getElementById(rejected.getAttribute('aria-describedby')!)!.textContent).toBe('Coupon sites are not allowed.');
    expect(requests.filter((seen) => seen.path === '/v1/promo-codes/requests').at(-1)!.query.get('status')).toBe('rejected');
  });

  it('issues a code to a publisher without a request, naming an empty choice at its field', async () => {
    const { requests } = promoApi({
      'POST /v1/promo-codes': (seen) => ({ status: 201, body: { id: 'pc_2', ...(seen.body as object), createdAt: '2026-12-04T10:00:00Z' } }),
    });
    renderConsole('/app/promo-codes');
    await userEvent.click(await screen.findByRole('button', { name: 'Issue code' }));
    const dialog = await screen.findByRole('dialog', { name: 'Issue a promo code' });
    await waitFor(() => expect(within(dialog).getByRole('option', { name: 'Blue Media' })).toBeTruthy());
    await userEvent.click(within(dialog).getByRole('button', { name: 'Issue code' }));
    await waitFor(() => expect(within(dialog).getByRole('combobox', { name: 'Offer' }).getAttribute('aria-invalid')).toBe('true'));
    expect(requests.some((seen) => seen.method === 'POST')).toBe(false);

    await userEvent.selectOptions(within(dialog).getByRole('combobox', { name: 'Offer' }), 'off_1');
    await userEvent.selectOptions(within(dialog).getByRole('combobox', { name: 'Publisher' }), 'pub_1');
    await userEvent.type(within(dialog).getByRole('textbox', { name: 'Code' }), 'PHONE-DEAL');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Issue code' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(requests.filter((seen) => seen.method === 'POST').map((seen) => seen.body)).toEqual([{ offerId: 'off_1', publisherId: 'pub_1', code: 'PHONE-DEAL' }]);
  });

  it('shows members the requests without the buttons to decide them', async () => {
    promoApi({}, { ...OWNER_SESSION, user: { ...OWNER_SESSION.user, role: 'member' } });
    renderConsole('/app/promo-codes');
    const row = await screen.findByRole('row', { name: /YouTube/ });
    expect(within(row).queryByRole('button')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Issue code' })).toBeNull();
    expect(screen.getByText(/Owners and admins confirm or reject requests/)).toBeTruthy();
  });
});
