import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeApi, offer, OWNER_SESSION, renderConsole, type SeenRequest } from './support.js';

afterEach(() => vi.unstubAllGlobals());

const offersRequests = (requests: SeenRequest[]) => requests.filter((request) => request.method === 'GET' && request.path === '/v1/offers');
const lastOffersQuery = (requests: SeenRequest[]) => Object.fromEntries(offersRequests(requests).at(-1)!.query);

function listApi(pages: Record<string, { data: unknown[]; nextCursor: string | null }> = {}) {
  return fakeApi({
    'GET /v1/session': { body: OWNER_SESSION },
    'GET /v1/offers': (request) => ({ body: pages[request.query.get('cursor') ?? ''] ?? { data: [], nextCursor: null } }),
  });
}

describe('the offers list', () => {
  it('shows the columns of the offers list with each payout in its offer’s currency', async () => {
    listApi({
      '': {
        data: [
          offer({ id: 'off_usd', name: 'Dollar offer', expiresAt: '2027-01-31T23:59:59Z' }),
          offer({ id: 'off_jpy', name: 'Yen offer', currency: 'JPY', leadType: null, payout: { model: 'cpl', mode: 'fixed', amount: '500' } }),
          offer({ id: 'off_kwd', name: 'Dinar offer', currency: 'KWD', status: 'inactive', payout: { model: 'cpa', mode: 'fixed', amount: '1.5' } }),
          offer({ id: 'off_cps', name: 'Share offer', payout: { model: 'cps', mode: 'fixed', percent: '7.5' } }),
        ],
        nextCursor: null,
      },
    });
    renderConsole('/app/offers');
    const table = await screen.findByRole('table', { name: 'Offers' });
    expect(within(table).getAllByRole('columnheader').map((header) => header.textContent)).toEqual([
      'ID',
      'Lead type',
      'Offer name',
      'Payout type',
      'Status',
      'Expiration date',
      'Registration date',
    ]);
    // Intl puts a no-break space between a currency code and the amount.
    const row = (name: string) => ({ textContent: within(table).getByRole('link', { name }).closest('tr')!.textContent!.replace(/\u00a0/g, ' ') });
    expect(row('Dollar offer').textContent).toContain('CPA · $10.00');
    expect(row('Dollar offer').textContent).toContain('31 Jan 2027');
    expect(row('Yen offer').textContent).toContain('CPL · ¥500');
    expect(row('Yen offer').textContent).not.toContain('¥500.');
    expect(row('Dinar offer').textContent).toContain('CPA · KWD 1.500');
    expect(row('Dinar offer').textContent).toContain('Inactive');
    expect(row('Share offer').textContent).toContain('CPS · 7.5%');
    expect(screen.getByRole('button', { name: 'Add offer' })).toBeTruthy();
  });

  it('keeps the search and the status filter in the URL and asks the API for them', async () => {
    const { requests } = listApi();
    const { router } = renderConsole('/app/offers');
    await screen.findByText(/No offers yet/);

    await userEvent.type(screen.getByRole('searchbox', { name: 'Search' }), 'solar');
    await waitFor(() => expect(router.state.location.search).toEqual({ q: 'solar' }));
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'active');
    await waitFor(() => expect(router.state.location.search).toEqual({ q: 'solar', status: 'active' }));
    expect(router.state.location.href).toBe('/offers?q=solar&status=active');
    await waitFor(() => expect(lastOffersQuery(requests)).toMatchObject({ q: 'solar', status: 'active' }));
    expect(await screen.findByText('No offers match these filters.')).toBeTruthy();
  });

  it('keeps the lead type and the workspace in the URL too', async () => {
    const workspaces = [
      { id: 'ws_a', name: 'Agency', visibility: 'public' as const },
      { id: 'ws_b', name: 'Brand team', visibility: 'private' as const },
    ];
    const { requests } = fakeApi({
      'GET /v1/session': { body: { ...OWNER_SESSION, workspaces } },
      'GET /v1/offers': { body: { data: [], nextCursor: null } },
    });
    const { router } = renderConsole('/app/offers');
    await screen.findByText(/No offers yet/);
    await userEvent.type(screen.getByRole('textbox', { name: 'Lead type' }), 'Solar{Enter}');
    await waitFor(() => expect(router.state.location.search).toEqual({ leadType: 'Solar' }));
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Workspace' }), 'ws_b');
    await waitFor(() => expect(router.state.location.search).toEqual({ leadType: 'Solar', workspaceId: 'ws_b' }));
    await waitFor(() => expect(lastOffersQuery(requests)).toMatchObject({ leadType: 'Solar', workspaceId: 'ws_b' }));
  });

  it('opens with the filters a link carries, shown in its controls', async () => {
    const { requests } = listApi();
    renderConsole('/app/offers?q=payday&status=inactive');
    await screen.findByText('No offers match these filters.');
    expect(screen.getByRole('searchbox', { name: 'Search' })).toHaveProperty('value', 'payday');
    expect(screen.getByRole('combobox', { name: 'Status' })).toHaveProperty('value', 'inactive');
    expect(lastOffersQuery(requests)).toMatchObject({ q: 'payday', status: 'inactive', limit: '50' });
    expect(offersRequests(requests).every((request) => request.query.get('q') === 'payday')).toBe(true);
  });

  it('pages on with the API’s cursor in the URL, keeping the filters, and back to the first page', async () => {
    const { requests } = listApi({
      '': { data: [offer({ id: 'off_a', name: 'First page offer' })], nextCursor: 'cursor-2' },
      'cursor-2': { data: [offer({ id: 'off_b', name: 'Second page offer' })], nextCursor: null },
    });
    const { router } = renderConsole('/app/offers?status=active');
    await screen.findByRole('link', { name: 'First page offer' });
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    await screen.findByRole('link', { name: 'Second page offer' });
    expect(router.state.location.search).toEqual({ status: 'active', cursor: 'cursor-2' });
    expect(lastOffersQuery(requests)).toMatchObject({ status: 'active', cursor: 'cursor-2' });
    expect(screen.queryByRole('button', { name: 'Next page' })).toBeNull();

    await userEvent.click(screen.getByRole('button', { name: 'First page' }));
    await screen.findByRole('link', { name: 'First page offer' });
    expect(router.state.location.search).toEqual({ status: 'active' });
  });

  it('says in words why the offers could not be loaded', async () => {
    fakeApi({
      'GET /v1/session': { body: OWNER_SESSION },
      'GET /v1/offers': { status: 503, body: { error: { code: 'database_busy', message: 'the database is busy; try again' } } },
    });
    renderConsole('/app/offers');
    expect((await screen.findByRole('alert')).textContent).toContain('the database is busy; try again');
  });

  it('hides Add offer from an analyst, who only reads', async () => {
    fakeApi({
      'GET /v1/session': { body: { ...OWNER_SESSION, user: { ...OWNER_SESSION.user, role: 'analyst' } } },
      'GET /v1/offers': { body: { data: [offer()], nextCursor: null } },
    });
    renderConsole('/app/offers');
    await screen.findByRole('table', { name: 'Offers' });
    expect(screen.queryByRole('button', { name: 'Add offer' })).toBeNull();
  });

  it('gives a publisher user the portal’s links and nothing that changes the merchant’s offers', async () => {
    fakeApi({
      'GET /v1/session': { body: { ...OWNER_SESSION, user: { ...OWNER_SESSION.user, role: 'publisher', publisherId: 'pub_1' }, workspaces: [] } },
      'GET /v1/offers': { body: { data: [offer()], nextCursor: null } },
    });
    renderConsole('/app/offers');
    await screen.findByRole('table', { name: 'Offers' });
    const navigation = screen.getByRole('navigation', { name: 'Main' });
    expect(within(navigation).getAllByRole('link').map((link) => link.textContent)).toEqual(['Offers', 'Promo codes', 'Reports', 'Payments', 'Postback settings']);
    expect(screen.queryByRole('button', { name: 'Add offer' })).toBeNull();
  });
});
