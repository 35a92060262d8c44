import { configure, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Session } from '../src/session.js';
import { fakeApi, offer, OWNER_SESSION, renderConsole, type SeenRequest } from './support.js';

// The screens load as chunks of their own: the first render waits for an import, slower on a busy machine.
configure({ asyncUtilTimeout: 5000 });

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const PUBLISHER_SESSION: Session = {
  user: { id: 'usr_pub', email: 'media@example.com', name: 'Blue Media', role: 'publisher', publisherId: 'pub_1' },
  workspaces: [],
  csrfToken: 'csrf-token-p',
  expiresAt: '2026-12-31T00:00:00.000Z',
};

const page = (data: unknown[]) => ({ body: { data, nextCursor: null } });

function portalApi(extra: Parameters<typeof fakeApi>[0] = {}) {
  return fakeApi({
    'GET /v1/session': { body: PUBLISHER_SESSION },
    'GET /v1/offers': page([offer({ id: 'off_1', name: 'Solar leads' }), offer({ id: 'off_2', name: 'Yen shop', currency: 'JPY', payout: { model: 'cpa', mode: 'fixed', amount: '500' } })]),
    ...extra,
  });
}

const lastQuery = (requests: SeenRequest[], path: string) => Object.fromEntries(requests.filter((request) => request.path === path).at(-1)!.query);

describe('the publisher portal', () => {
  it('sends a publisher who opens a team screen to the portal, whose navigation has Offers, Promo codes, Reports, Payments and Postback settings', async () => {
    portalApi();
    const { router } = renderConsole('/app/offers');
    await screen.findByRole('table', { name: 'Offers' });
    expect(router.state.location.pathname).toBe('/portal/offers');
    const navigation = screen.getByRole('navigation', { name: 'Main' });
    expect(within(navigation).getAllByRole('link').map((link) => link.textContent)).toEqual(['Offers', 'Promo codes', 'Reports', 'Payments', 'Postback settings']);
    const row = screen.getByText('Yen shop').closest('tr')!;
    expect(row.textContent).toContain('CPA · ¥500');
    expect(within(row).getByRole('button', { name: 'Get link' })).toBeTruthy();
    expect(within(row).getByRole('button', { name: 'Get promo code' })).toBeTruthy();
  });

  it('keeps the team out of the portal’s screens', async () => {
    fakeApi({ 'GET /v1/session': { body: OWNER_SESSION }, 'GET /v1/offers': page([]) });
    const { router } = renderConsole('/app/portal/promo-codes');
    await screen.findByRole('heading', { name: 'Offers', level: 1 });
    expect(router.state.location.pathname).toBe('/offers');
  });

  it('asks for the platform of a promo code request and sends it for the publisher, with the server’s message at the field', async () => {
    let attempts = 0;
    const { requests } = portalApi({
      'POST /v1/promo-codes/requests': (request) =>
        ++attempts === 1
          ? { status: 422, body: { error: { code: 'validation_failed', message: 'invalid', issues: [{ path: 'platform', code: 'too_big', message: 'must be at most 200 characters' }] } } }
          : { status: 201, body: { id: 'pcr_1', offerId: 'off_1', publisherId: 'pub_1', platform: (request.body as { platform: string }).platform, status: 'moderation', code: null, reason: null, decidedAt: null, createdAt: '2026-12-04T10:00:00Z' } },
    });
    renderConsole('/app/portal/offers');
    const row = (await screen.findByText('Solar leads')).closest('tr')!;
    await userEvent.click(within(row).getByRole('button', { name: 'Get promo code' }));
    const dialog = screen.getByRole('dialog', { name: 'Get promo code: Solar leads' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Send request' }));
    const platform = within(dialog).getByRole('textbox', { name: 'Platform' });
    await waitFor(() => expect(platform.getAttribute('aria-invalid')).toBe('true'));
    expect(document.getElementById(platform.getAttribute('aria-describedby')!.split(' ').at(-1)!)!.textContent).toBe('Is required');
    expect(requests.some((request) => request.method === 'POST')).toBe(false);

    await userEvent.type(platform, 'YouTube');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Send request' }));
    await within(dialog).findByText('Must be at most 200 characters');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Send request' }));
    await within(dialog).findByText(/Request sent for YouTube/);
    const sent = requests.filter((request) => request.method === 'POST' && request.path === '/v1/promo-codes/requests').at(-1)!;
    expect(sent.body).toEqual({ offerId: 'off_1', publisherId: 'pub_1', platform: 'YouTube' });
    expect(sent.headers.get('X-CSRF-Token')).toBe('csrf-token-p');
  });

  it('makes the publisher’s tracking link with its sub ids', async () => {
    portalApi({
      'GET /v1/offers/off_1/links': { body: { offerId: 'off_1', publisherId: 'pub_1', trackingUrl: 'https://track.example/c/off_1?pub=pub_1', postbackUrl: null } },
    });
    renderConsole('/app/portal/offers');
    const row = (await screen.findByText('Solar leads')).closest('tr')!;
    await userEvent.click(within(row).getByRole('button', { name: 'Get link' }));
    const dialog = screen.getByRole('dialog', { name: 'Tracking link: Solar leads' });
    const link = within(dialog).getByRole('textbox', { name: 'Tracking URL' });
    await waitFor(() => expect(link).toHaveProperty('value', 'https://track.example/c/off_1?pub=pub_1'));
    await userEvent.type(within(dialog).getByRole('textbox', { name: 'Sub 2' }), 'story 5');
    expect(link).toHaveProperty('value', 'https://track.example/c/off_1?pub=pub_1&sub2=story+5');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});

describe('the publisher’s promo codes', () => {
  const requestsPage = page([
    { id: 'pcr_1', offerId: 'off_1', publisherId: 'pub_1', platform: 'YouTube', status: 'moderation', code: null, reason: null, decidedAt: null, createdAt: '2026-12-01T10:00:00Z' },
    { id: 'pcr_2', offerId: 'off_2', publisherId: 'pub_1', platform: 'TikTok', status: 'rejected', code: null, reason: 'Coupon sites are not allowed.', decidedAt: '2026-12-02T10:00:00Z', createdAt: '2026-12-01T10:00:00Z' },
    { id: 'pcr_3', offerId: 'off_1', publisherId: 'pub_1', platform: 'Blog', status: 'confirmed', code: 'BLUE10', reason: null, decidedAt: '2026-12-02T10:00:00Z', createdAt: '2026-12-01T10:00:00Z' },
  ]);

  it('lists my promo codes and keeps the open tab in the URL, the rejection reason being the status’s description', async () => {
    portalApi({
      'GET /v1/promo-codes': page([{ id: 'pc_1', code: 'BLUE10', offerId: 'off_1', publisherId: 'pub_1', createdAt: '2026-12-02T10:00:00Z' }]),
      'GET /v1/promo-codes/requests': requestsPage,
    });
    const { router } = renderConsole('/app/portal/promo-codes');
    const mine = await screen.findByRole('tab', { name: 'My promo codes' });
    expect(mine.getAttribute('aria-selected')).toBe('true');
    const codes = await screen.findByRole('table', { name: 'My promo codes' });
    await waitFor(() => expect(within(codes).getByRole('row', { name: /BLUE10/ }).textContent).toContain('Solar leads'));

    mine.focus();
    await userEvent.keyboard('{ArrowRight}');
    await waitFor(() => expect(router.state.location.search).toEqual({ tab: 'requests' }));
    const requestsTab = screen.getByRole('tab', { name: 'Promo code requests' });
    expect(requestsTab.getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(requestsTab);
    const table = await screen.findByRole('table', { name: 'Promo code requests' });
    expect(within(table).getByRole('row', { name: /YouTube/ }).textContent).toContain('In moderation');
    expect(within(table).getByRole('row', { name: /Blog/ }).textContent).toContain('BLUE10');
    const rejected = within(within(table).getByRole('row', { name: /TikTok/ })).getByRole('button', { name: 'Rejected' });
    expect(document.getElementById(rejected.getAttribute('aria-describedby')!)!.textContent).toBe('Coupon sites are not allowed.');
    expect(document.getElementById(rejected.getAttribute('aria-describedby')!)!.getAttribute('role')).toBe('tooltip');
  });

  it('opens the requests tab from the URL and says when there are none', async () => {
    portalApi({ 'GET /v1/promo-codes/requests': page([]) });
    renderConsole('/app/portal/promo-codes?tab=requests');
    expect(await screen.findByText(/No requests/)).toBeTruthy();
    expect(screen.getByRole('tab', { name: 'Promo code requests' }).getAttribute('aria-selected')).toBe('true');
  });
});

describe('the publisher’s reports', () => {
  const conversion = {
    id: 'cv_1',
    offerId: 'off_2',
    createdAt: '2026-12-01T10:00:00Z',
    status: 'approved',
    amount: '12000',
    currency: 'JPY',
    payout: '500',
    offerCurrency: 'JPY',
    transactionId: 'ORD-7',
    couponCode: 'BLUE10',
    country: 'JP',
  };

  it('keeps the filters and the order in the URL and asks the API for them', async () => {
    const { requests } = portalApi({ 'GET /v1/conversions': page([conversion]) });
    const { router } = renderConsole('/app/portal/reports');
    const table = await screen.findByRole('table', { name: 'Conversions' });
    await waitFor(() => expect(within(table).getByRole('row', { name: /ORD-7/ }).textContent).toContain('Yen shop'));
    expect(within(table).getByRole('row', { name: /ORD-7/ }).textContent).toContain('¥500');
    expect(within(table).getAllByRole('columnheader').map((header) => header.textContent)).toEqual(['Date', 'Offer', 'Status', 'Order ID', 'Promo code', 'Country', 'Sale', 'Payout']);

    await waitFor(() => expect(screen.getByRole('option', { name: 'Solar leads' })).toBeTruthy());
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Offer' }), 'off_1');
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'approved');
    await userEvent.type(screen.getByRole('textbox', { name: 'Country' }), 'de');
    await userEvent.type(screen.getByRole('textbox', { name: 'Order ID' }), 'ORD-7');
    await userEvent.type(screen.getByRole('textbox', { name: 'Promo code' }), 'BLUE10{Enter}');
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Sort by' }), 'oldest');
    await waitFor(() =>
      expect(router.state.location.search).toEqual({ offerId: 'off_1', status: 'approved', country: 'DE', orderId: 'ORD-7', couponCode: 'BLUE10', sort: 'oldest' }),
    );
    await waitFor(() =>
      expect(lastQuery(requests, '/v1/conversions')).toMatchObject({ offerId: 'off_1', status: 'approved', country: 'DE', transactionId: 'ORD-7', couponCode: 'BLUE10', order: 'asc' }),
    );
  });

  it('reads its filters from the URL and exports the same filters as a CSV file', async () => {
    const { requests } = portalApi({ 'GET /v1/conversions': page([conversion]) });
    const createObjectURL = vi.fn((_blob: Blob) => 'blob:console.test/csv');
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() }));
    const clicked: HTMLAnchorElement[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this);
    });
    renderConsole('/app/portal/reports?couponCode=BLUE10&status=approved');
    await screen.findByRole('table', { name: 'Conversions' });
    expect(screen.getByRole('textbox', { name: 'Promo code' })).toHaveProperty('value', 'BLUE10');
    expect(screen.getByRole('combobox', { name: 'Status' })).toHaveProperty('value', 'approved');
    await userEvent.click(screen.getByRole('button', { name: 'Export' }));
    await waitFor(() => expect(clicked).toHaveLength(1));
    expect(clicked[0]!.download).toBe('conversions.csv');
    expect(clicked[0]!.href).toBe('blob:console.test/csv');
    expect(lastQuery(requests, '/v1/conversions')).toMatchObject({ couponCode: 'BLUE10', status: 'approved', format: 'csv' });
  });

  it('says in words why the export failed', async () => {
    portalApi({
      'GET /v1/conversions': (request) =>
        request.query.get('format') === 'csv' ? { status: 503, body: { error: { code: 'unavailable', message: 'The database is busy.' } } } : page([]),
    });
    renderConsole('/app/portal/reports');
    await screen.findByText(/No conversions yet/);
    await userEvent.click(screen.getByRole('button', { name: 'Export' }));
    expect((await screen.findByRole('alert')).textContent).toBe('The export failed: The database is busy.');
  });
});

describe('the publisher’s payments', () => {
  it('shows the balance by stage and the payments in their currency', async () => {
    portalApi({
      'GET /v1/publishers/pub_1/balance': { body: { publisherId: 'pub_1', currency: 'EUR', accruing: '10.5', pending: '0', approved: '42', paid: '100' } },
      'GET /v1/payments': page([
        { id: 'pay_1', publisherId: 'pub_1', status: 'approved', total: '100', currency: 'EUR', conversionCount: 4, adjustmentCount: 0, adjustmentTotal: '0', createdAt: '2026-11-01T00:00:00Z', approvedAt: '2026-11-03T00:00:00Z' },
      ]),
    });
    renderConsole('/app/portal/payments');
    const balance = await screen.findByText('Approved, to be paid');
    expect(balance.nextElementSibling!.textContent).toBe('€42.00');
    expect(screen.getByText('Accruing').nextElementSibling!.textContent).toBe('€10.50');
    const row = (await screen.findByRole('table', { name: 'Payments' })).querySelector('tbody tr')!;
    expect(row.textContent).toContain('Paid');
    expect(row.textContent).toContain('€100.00');
    expect(row.textContent).toContain('3 Nov 2026');
  });
});

describe('the publisher’s postback settings', () => {
  const publisher = { id: 'pub_1', name: 'Blue Media', email: null, status: 'active', postbackUrl: 'https://tracker.blue.example/pb?cid={sub1}', postbackSecret: null, createdAt: '2026-11-01T00:00:00Z', updatedAt: '2026-11-01T00:00:00Z' };

  it('saves the postback URL, shows the server’s message at the field, and sends null to stop the calls', async () => {
    let attempts = 0;
    const { requests } = portalApi({
      'GET /v1/publishers/pub_1': { body: publisher },
      'PUT /v1/publishers/pub_1/postback': (seen) =>
        ++attempts === 1
          ? { status: 422, body: { error: { code: 'validation_failed', message: 'invalid', issues: [{ path: 'postbackUrl', code: 'custom', message: 'must not point at a loopback address' }] } } }
          : { body: { ...publisher, ...(seen.body as object) } },
    });
    renderConsole('/app/portal/postback');
    const field = await screen.findByRole('textbox', { name: 'Postback URL' });
    await waitFor(() => expect(field).toHaveProperty('value', publisher.postbackUrl));

    await userEvent.clear(field);
    await userEvent.type(field, 'not a url');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(field.getAttribute('aria-invalid')).toBe('true'));
    expect(requests.some((seen) => seen.method === 'PUT')).toBe(false);

    await userEvent.clear(field);
    await userEvent.type(field, 'http://127.0.0.1/pb');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Must not point at a loopback address');

    await userEvent.clear(field);
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved.');
    expect(requests.filter((seen) => seen.method === 'PUT').map((seen) => seen.body)).toEqual([{ postbackUrl: 'http://127.0.0.1/pb' }, { postbackUrl: null }]);
  });
});
