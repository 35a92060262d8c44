import { configure, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeApi, OWNER_SESSION, renderConsole, type SeenRequest } from './support.js';

// The screens load as chunks of their own: the first render waits for an import, slower on a busy machine.
configure({ asyncUtilTimeout: 5000 });
vi.setConfig({ testTimeout: 30_000 });

afterEach(() => vi.unstubAllGlobals());

function metrics(fields: Record<string, unknown> = {}) {
  return {
    clicks: 0,
    impressions: 0,
    conversions: { total: 0, approved: 0, pending: 0, rejected: 0, clickless: 0 },
    rebills: 0,
    revenue: '0.00',
    payout: '0.00',
    profit: '0.00',
    sales: '0.00',
    cr: '0.00',
    epc: '0.00',
    visits: 0,
    uniqueVisits: 0,
    bots: 0,
    landerClicks: 0,
    ctr: '0.00',
    cost: '0.00',
    roi: null,
    ...fields,
  };
}

const reportRequests = (requests: SeenRequest[]) => requests.filter((request) => request.path === '/v1/reports');
const page = (data: unknown[]) => ({ body: { data, nextCursor: null } });

function reportsApi(report: unknown) {
  return fakeApi({
    'GET /v1/session': { body: OWNER_SESSION },
    'GET /v1/reports': { body: report },
    'GET /v1/campaigns': page([{ id: 'cmp_1', name: 'Solar push', streams: [{ id: 'str_1', name: 'US mobile' }] }]),
    'GET /v1/landers': page([{ id: 'lnd_1', name: 'Quiz lander' }]),
    'GET /v1/traffic-sources': page([{ id: 'ts_1', name: 'PropellerAds' }]),
    'GET /v1/offers': page([]),
    'GET /v1/publishers': page([{ id: 'pub_1', name: 'Console Media' }]),
  });
}

describe('the reports screen', () => {
  it('groups by the campaign dimensions kept in the URL and shows visits, lander clicks, money, profit and ROI by name', async () => {
    const row = metrics({ visits: 120, uniqueVisits: 100, landerClicks: 40, conversions: { total: 4, approved: 4, pending: 0, rejected: 0, clickless: 0 }, revenue: '80.00', payout: '0.00', cost: '0.48', profit: '79.52', roi: '16566.67' });
    const { requests } = reportsApi({ currency: 'EUR', timezone: 'UTC', rows: [{ ...row, campaignId: 'cmp_1', landerId: 'lnd_1' }, { ...metrics({ visits: 3 }), campaignId: 'cmp_1', landerId: null }], totals: row });
    const { router } = renderConsole('/app/reports?from=2026-11-01&to=2026-11-30&groupBy=campaign&trafficSourceId=ts_1');
    const table = await screen.findByRole('table', { name: 'Reports' });
    expect(Object.fromEntries(reportRequests(requests).at(-1)!.query)).toMatchObject({ from: '2026-11-01', to: '2026-11-30', groupBy: 'campaign', trafficSourceId: 'ts_1' });

    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Then by' }), 'lander');
    await waitFor(() => expect(router.state.location.search).toMatchObject({ groupBy: 'campaign,lander', trafficSourceId: 'ts_1' }));
    await waitFor(() => expect(reportRequests(requests).at(-1)!.query.get('groupBy')).toBe('campaign,lander'));
    expect(within(table).getAllByRole('columnheader').map((header) => header.textContent)).toEqual([
      'Campaign',
      'Lander',
      'Visits',
      'Unique visits',
      'Lander clicks',
      'Conversions',
      'Revenue',
      'Payout',
      'Cost',
      'Profit',
      'ROI',
    ]);
    await waitFor(() => expect(within(table).getAllByRole('row')[1]!.textContent).toContain('Quiz lander'));
    const first = within(table).getAllByRole('row')[1]!.textContent!;
    expect(first).toContain('Solar push');
    expect(first).toContain('€80.00');
    expect(first).toContain('€0.48');
    expect(first).toContain('€79.52');
    expect(first).toContain('16566.67%');
    expect(within(table).getAllByRole('row')[2]!.textContent).toContain('(none)');
    expect(screen.getByRole('img', { name: /^Visits by campaign and lander: Solar push · Quiz lander 120/ })).toBeTruthy();

    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Publisher' }), 'pub_1');
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Conversion status' }), 'approved');
    await waitFor(() => expect(router.state.location.search).toMatchObject({ publisherId: 'pub_1', status: 'approved', trafficSourceId: 'ts_1' }));
    await waitFor(() => expect(Object.fromEntries(reportRequests(requests).at(-1)!.query)).toMatchObject({ publisherId: 'pub_1', status: 'approved', groupBy: 'campaign,lander' }));
  });

  it('exports the same query as CSV', async () => {
    reportsApi({ currency: 'USD', timezone: 'UTC', rows: [], totals: metrics() });
    renderConsole('/app/reports?from=2026-11-01&to=2026-11-07&groupBy=stream&campaignId=cmp_1');
    const link = await screen.findByRole('link', { name: 'Export CSV' });
    const url = new URL(link.getAttribute('href')!, 'http://console.test');
    expect(url.pathname).toBe('/v1/reports');
    expect(Object.fromEntries(url.searchParams)).toEqual({ from: '2026-11-01', to: '2026-11-07', groupBy: 'stream', campaignId: 'cmp_1', format: 'csv' });
    expect(await screen.findByText('No traffic in this period with these filters.')).toBeTruthy();
  });

  it('says in words why the report could not be loaded', async () => {
    fakeApi({
      'GET /v1/session': { body: OWNER_SESSION },
      'GET /v1/reports': { status: 422, body: { error: { code: 'validation_failed', message: 'from must not be after to' } } },
    });
    renderConsole('/app/reports?from=2026-11-09&to=2026-11-01');
    expect((await screen.findByRole('alert')).textContent).toContain('from must not be after to');
  });
});

describe('the dashboard', () => {
  it('is where the console opens', async () => {
    fakeApi({ 'GET /v1/session': { body: OWNER_SESSION }, 'GET /v1/reports': { body: { currency: 'USD', timezone: 'UTC', rows: [], totals: metrics() } } });
    const { router } = renderConsole('/app/');
    await screen.findByRole('heading', { name: 'Dashboard', level: 1 });
    expect(router.state.location.pathname).toBe('/dashboard');
  });

  it('shows clicks, conversions, revenue, payout and profit for the chosen period, with a chart of each a day', async () => {
    const day = metrics({ clicks: 1500, conversions: { total: 12, approved: 10, pending: 2, rejected: 0, clickless: 0 }, revenue: '1200', payout: '300', profit: '900' });
    const { requests } = fakeApi({
      'GET /v1/session': { body: OWNER_SESSION },
      'GET /v1/reports': (request) => ({ body: { currency: 'JPY', timezone: 'UTC', rows: [{ ...day, day: request.query.get('to') }], totals: day } }),
    });
    const { router } = renderConsole('/app/dashboard');
    await screen.findByText('1,500');
    expect(screen.getByText('¥1,200')).toBeTruthy();
    expect(screen.getByText('¥300')).toBeTruthy();
    expect(screen.getByText('¥900')).toBeTruthy();
    expect(screen.getByText('12')).toBeTruthy();
    for (const name of ['Clicks a day', 'Conversions a day', 'Revenue a day', 'Payout a day', 'Profit a day']) expect(screen.getByRole('figure', { name })).toBeTruthy();
    const first = Object.fromEntries(reportRequests(requests).at(-1)!.query);
    expect(first.groupBy).toBe('day');
    expect((Date.parse(first.to!) - Date.parse(first.from!)) / 86_400_000).toBe(6);

    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Period' }), '30d');
    await waitFor(() => expect(router.state.location.search).toEqual({ period: '30d' }));
    await waitFor(() => {
      const last = Object.fromEntries(reportRequests(requests).at(-1)!.query);
      expect((Date.parse(last.to!) - Date.parse(last.from!)) / 86_400_000).toBe(29);
    });
  });
});
