import { configure, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Campaign } from '@waypost/schema';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EMPTY_CAMPAIGN_FORM, EMPTY_STREAM, toCampaignParams } from '../src/screens/campaign-form-model.js';
import { fakeApi, offer, OWNER_SESSION, renderConsole } from './support.js';

// The screens load as chunks of their own: the first render waits for an import, slower on a busy machine.
configure({ asyncUtilTimeout: 5000 });
vi.setConfig({ testTimeout: 30_000 });

afterEach(() => vi.unstubAllGlobals());

const page = (data: unknown[]) => ({ body: { data, nextCursor: null } });
const lander = (id: string, name: string) => ({ id, name, url: `https://lp.example/${id}`, offers: 1, notes: null, archive: null, workspaceId: 'ws_default', archivedAt: null, createdAt: '2026-11-02T10:00:00.000Z', updatedAt: '2026-11-02T10:00:00.000Z' });
const source = { id: 'ts_1', name: 'PropellerAds', params: [{ field: 'externalId', param: 'clickid', macro: '{clickid}' }], postbackUrl: null, notes: null, workspaceId: 'ws_default', archivedAt: null, createdAt: '2026-11-02T10:00:00.000Z', updatedAt: '2026-11-02T10:00:00.000Z' };

function campaign(fields: Partial<Campaign> = {}): Campaign {
  return {
    id: 'cmp_1',
    name: 'Solar push',
    alias: null,
    status: 'active',
    trafficSourceId: 'ts_1',
    currency: 'USD',
    timezone: 'UTC',
    cost: { model: 'cpc', amount: '0.004' },
    redirect: '302',
    rotation: 'position',
    uniquenessHours: 24,
    bindVisitors: false,
    directTracking: false,
    allowedOrigins: [],
    streams: [
      {
        id: 'str_1',
        name: 'US mobile',
        type: 'regular',
        status: 'active',
        weight: 100,
        match: 'all',
        filters: [{ type: 'country', mode: 'allow', values: ['US'] }],
        action: { type: 'flow', landers: [{ landerId: 'lnd_1', weight: 100 }], offers: [{ offerId: 'off_1', weight: 100 }] },
      },
    ],
    notes: null,
    workspaceId: 'ws_default',
    archivedAt: null,
    createdAt: '2026-11-02T10:00:00.000Z',
    updatedAt: '2026-11-02T10:00:00.000Z',
    ...fields,
  };
}

function trackerApi(extra: Parameters<typeof fakeApi>[0] = {}) {
  return fakeApi({
    'GET /v1/session': { body: OWNER_SESSION },
    'GET /v1/offers': page([offer({ id: 'off_1', name: 'Solar leads' }), offer({ id: 'off_2', name: 'Payday loans' })]),
    'GET /v1/landers': page([lander('lnd_1', 'Quiz lander'), lander('lnd_2', 'Article lander')]),
    'GET /v1/traffic-sources': page([source]),
    'GET /v1/campaigns': page([campaign()]),
    ...extra,
  });
}

describe('the campaigns list', () => {
  it('shows each campaign with its traffic source by name and its cost, and keeps the filters in the URL', async () => {
    const { requests } = trackerApi();
    const { router } = renderConsole('/app/campaigns');
    const table = await screen.findByRole('table', { name: 'Campaigns' });
    const row = within(table).getByRole('link', { name: 'Solar push' }).closest('tr')!;
    await waitFor(() => expect(row.textContent).toContain('PropellerAds'));
    // A sub-cent cost is shown with its own decimals, not rounded to cents.
    expect(row.textContent).toContain('CPC · 0.004 USD');

    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'paused');
    await waitFor(() => expect(router.state.location.search).toEqual({ status: 'paused' }));
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Traffic source' }), 'ts_1');
    await waitFor(() => expect(router.state.location.search).toEqual({ status: 'paused', trafficSourceId: 'ts_1' }));
    const last = requests.filter((request) => request.path === '/v1/campaigns').at(-1)!;
    expect(Object.fromEntries(last.query)).toMatchObject({ status: 'paused', trafficSourceId: 'ts_1', limit: '50' });
  });
});

describe('the campaign page', () => {
  it('shows the campaign URL and the click URL read-only, each with its copy button', async () => {
    trackerApi({
      'GET /v1/campaigns/cmp_1': { body: campaign() },
      'GET /v1/campaigns/cmp_1/links': { body: { campaignId: 'cmp_1', campaignUrl: 'https://t.example/t/cmp_1?clickid={clickid}', clickUrl: 'https://t.example/click/1' } },
    });
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    renderConsole('/app/campaigns/cmp_1');
    const campaignUrl = await screen.findByRole('textbox', { name: 'Campaign URL' });
    await waitFor(() => expect(campaignUrl).toHaveProperty('value', 'https://t.example/t/cmp_1?clickid={clickid}'));
    expect(campaignUrl.hasAttribute('readonly')).toBe(true);
    expect(screen.getByRole('textbox', { name: 'Click URL' })).toHaveProperty('value', 'https://t.example/click/1');
    await userEvent.click(screen.getByRole('button', { name: 'Copy campaign URL' }));
    expect(writeText).toHaveBeenCalledWith('https://t.example/t/cmp_1?clickid={clickid}');
    await waitFor(() => expect(screen.getByText(/country allow US → Quiz lander \(100\), Solar leads \(100\)/)).toBeTruthy());
  });
});

describe('the campaign form', () => {
  it('says what is missing at the stream’s own fields before asking the server', async () => {
    const { requests } = trackerApi();
    renderConsole('/app/campaigns/new');
    await screen.findByRole('heading', { name: 'Add campaign' });
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findAllByText('Is required')).length).toBeGreaterThan(0);
    const stream = screen.getByRole('group', { name: 'Stream 1' });
    // The stream's offer is not chosen: the message is at its select.
    await waitFor(() => expect(within(stream).getByRole('combobox', { name: 'Offer 1' }).getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getByRole('textbox', { name: 'Campaign name' }).getAttribute('aria-invalid')).toBe('true');
    expect(requests.some((request) => request.method === 'POST')).toBe(false);
  });

  it('sends two streams with their filters, weighted landers and offers, and the cost, in the order shown', async () => {
    const { requests } = trackerApi({ 'POST /v1/campaigns': (request) => ({ status: 201, body: campaign({ id: 'cmp_new', ...(request.body as object) }) }) });
    const { router } = renderConsole('/app/campaigns/new');
    await screen.findByRole('heading', { name: 'Add campaign' });
    await userEvent.type(screen.getByRole('textbox', { name: 'Campaign name' }), 'Solar push');
    await waitFor(() => expect(screen.getByRole('option', { name: 'PropellerAds' })).toBeTruthy());
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Traffic source' }), 'ts_1');
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Cost model' }), 'cpc');
    await userEvent.type(screen.getByRole('textbox', { name: 'Cost amount' }), '0.0035');
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Rotation' }), 'weight');

    const first = screen.getByRole('group', { name: 'Stream 1' });
    await userEvent.clear(within(first).getByRole('textbox', { name: 'Stream name' }));
    await userEvent.type(within(first).getByRole('textbox', { name: 'Stream name' }), 'US only');
    await userEvent.click(within(first).getByRole('button', { name: 'Add filter' }));
    await userEvent.selectOptions(within(first).getByRole('combobox', { name: 'Filter type' }), 'country');
    await userEvent.type(within(first).getByRole('textbox', { name: 'Filter values' }), 'us, ca');
    await userEvent.click(within(first).getByRole('button', { name: 'Add filter' }));
    const filterTypes = within(first).getAllByRole('combobox', { name: 'Filter type' });
    await userEvent.selectOptions(filterTypes[1]!, 'bot');
    await userEvent.selectOptions(within(first).getAllByRole('combobox', { name: 'Filter mode' })[1]!, 'deny');
    await userEvent.selectOptions(within(first).getAllByRole('combobox', { name: 'Filter values' })[0]!, 'true');
    await userEvent.click(within(first).getByRole('button', { name: 'Add lander' }));
    await userEvent.selectOptions(within(first).getByRole('combobox', { name: 'Lander 1' }), 'lnd_1');
    await userEvent.selectOptions(within(first).getByRole('combobox', { name: 'Offer 1' }), 'off_1');
    await userEvent.click(within(first).getByRole('button', { name: 'Add offer' }));
    await userEvent.selectOptions(within(first).getByRole('combobox', { name: 'Offer 2' }), 'off_2');
    await userEvent.clear(within(first).getByRole('spinbutton', { name: 'Offer 2 weight' }));
    await userEvent.type(within(first).getByRole('spinbutton', { name: 'Offer 2 weight' }), '50');

    await userEvent.click(screen.getByRole('button', { name: 'Add stream' }));
    const second = screen.getByRole('group', { name: 'Stream 2' });
    await userEvent.selectOptions(within(second).getByRole('combobox', { name: 'Stream type' }), 'default');
    await userEvent.selectOptions(within(second).getByRole('combobox', { name: 'Action' }), 'redirect');
    await userEvent.type(within(second).getByRole('textbox', { name: 'Redirect URL' }), 'https://fallback.example/?c={{click_id}');
    // The default stream goes first, then back down: the order sent is the order shown.
    await userEvent.click(within(second).getByRole('button', { name: 'Move stream 2 up' }));
    await userEvent.click(within(screen.getByRole('group', { name: 'Stream 1' })).getByRole('button', { name: 'Move stream 1 down' }));

    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/campaigns/cmp_new'));
    const post = requests.find((request) => request.method === 'POST' && request.path === '/v1/campaigns')!;
    expect(post.headers.get('X-CSRF-Token')).toBe('csrf-token-1');
    expect(post.body).toMatchObject({
      name: 'Solar push',
      trafficSourceId: 'ts_1',
      cost: { model: 'cpc', amount: '0.0035' },
      rotation: 'weight',
      streams: [
        {
          name: 'US only',
          type: 'regular',
          match: 'all',
          filters: [
            { type: 'country', mode: 'allow', values: ['us', 'ca'] },
            { type: 'bot', mode: 'deny', values: [true] },
          ],
          action: { type: 'flow', landers: [{ landerId: 'lnd_1', weight: 100 }], offers: [{ offerId: 'off_1', weight: 100 }, { offerId: 'off_2', weight: 50 }] },
        },
        { name: 'Stream 2', type: 'default', action: { type: 'redirect', url: 'https://fallback.example/?c={click_id}' } },
      ],
    });
  });

  it('keeps the stream ids on an edit and shows the server’s issue at the field it names', async () => {
    const { requests } = trackerApi({
      'GET /v1/campaigns/cmp_1': { body: campaign() },
      'PUT /v1/campaigns/cmp_1': {
        status: 422,
        body: { error: { code: 'validation_failed', message: 'invalid', issues: [{ path: 'streams.0.action.offers.0.offerId', code: 'not_found', message: 'no active offer "off_1"' }] } },
      },
    });
    renderConsole('/app/campaigns/cmp_1/edit');
    const stream = await screen.findByRole('group', { name: 'Stream 1' });
    await waitFor(() => expect(within(stream).getByRole('combobox', { name: 'Offer 1' })).toHaveProperty('value', 'off_1'));
    expect(within(stream).getByRole('textbox', { name: 'Filter values' })).toHaveProperty('value', 'US');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    const offerSelect = within(stream).getByRole('combobox', { name: 'Offer 1' });
    await waitFor(() => expect(offerSelect.getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getByText('No active offer "off_1"')).toBeTruthy();
    const put = requests.find((request) => request.method === 'PUT')!;
    expect(put.body).toMatchObject({ streams: [{ id: 'str_1', name: 'US mobile' }], cost: { model: 'cpc', amount: '0.004' } });
  });
});

describe('traffic sources and landers', () => {
  it('sends a traffic source’s parameter rows and postback URL', async () => {
    const { requests } = trackerApi({ 'POST /v1/traffic-sources': { status: 201, body: source } });
    const { router } = renderConsole('/app/traffic-sources/new');
    await screen.findByRole('heading', { name: 'Add traffic source' });
    await userEvent.type(screen.getByRole('textbox', { name: 'Traffic source name' }), 'PropellerAds');
    await userEvent.type(screen.getByRole('textbox', { name: 'Macro (parameter 1)' }), '{{clickid}');
    await userEvent.click(screen.getByRole('button', { name: 'Add parameter' }));
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Field (parameter 2)' }), 'cost');
    await userEvent.type(screen.getByRole('textbox', { name: 'URL parameter (parameter 2)' }), 'cpc');
    await userEvent.type(screen.getByRole('textbox', { name: 'Macro (parameter 2)' }), '__CPC__');
    await userEvent.type(screen.getByRole('textbox', { name: 'Postback URL' }), 'https://ads.example/pb?cid={{external_id}');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/traffic-sources'));
    expect(requests.find((request) => request.method === 'POST')!.body).toEqual({
      name: 'PropellerAds',
      params: [
        { field: 'externalId', param: 'clickid', macro: '{clickid}' },
        { field: 'cost', param: 'cpc', macro: '__CPC__' },
      ],
      postbackUrl: 'https://ads.example/pb?cid={external_id}',
      notes: null,
    });
  });

  it('refuses a parameter mapped twice at the row that repeats it', async () => {
    const { requests } = trackerApi();
    renderConsole('/app/traffic-sources/new');
    await screen.findByRole('heading', { name: 'Add traffic source' });
    await userEvent.type(screen.getByRole('textbox', { name: 'Traffic source name' }), 'Twice');
    await userEvent.click(screen.getByRole('button', { name: 'Add parameter' }));
    await userEvent.type(screen.getByRole('textbox', { name: 'URL parameter (parameter 2)' }), 'clickid');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('"clickid" is mapped twice')).toBeTruthy();
    expect(screen.getByRole('textbox', { name: 'URL parameter (parameter 2)' }).getAttribute('aria-invalid')).toBe('true');
    expect(requests.some((request) => request.method === 'POST')).toBe(false);
  });

  it('sends a lander’s URL and offer slots', async () => {
    const { requests } = trackerApi({ 'POST /v1/landers': { status: 201, body: lander('lnd_3', 'Quiz') } });
    const { router } = renderConsole('/app/landers/new');
    await screen.findByRole('heading', { name: 'Add lander' });
    await userEvent.type(screen.getByRole('textbox', { name: 'Lander name' }), 'Quiz');
    await userEvent.type(screen.getByRole('textbox', { name: 'Lander URL' }), 'https://lp.example/quiz');
    await userEvent.clear(screen.getByRole('spinbutton', { name: 'Offer slots' }));
    await userEvent.type(screen.getByRole('spinbutton', { name: 'Offer slots' }), '2');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/landers'));
    expect(requests.find((request) => request.method === 'POST')!.body).toEqual({ name: 'Quiz', url: 'https://lp.example/quiz', offers: 2, notes: null });
  });

  it('hides Add lander from an analyst, who only reads', async () => {
    fakeApi({
      'GET /v1/session': { body: { ...OWNER_SESSION, user: { ...OWNER_SESSION.user, role: 'analyst' } } },
      'GET /v1/landers': page([lander('lnd_1', 'Quiz lander')]),
    });
    renderConsole('/app/landers');
    await screen.findByRole('table', { name: 'Landers' });
    expect(screen.queryByRole('button', { name: 'Add lander' })).toBeNull();
  });

  it('keeps the workspace filter in the URL when there are several workspaces', async () => {
    const workspaces = [
      { id: 'ws_a', name: 'Agency', visibility: 'public' as const },
      { id: 'ws_b', name: 'Brand team', visibility: 'private' as const },
    ];
    const { requests } = fakeApi({ 'GET /v1/session': { body: { ...OWNER_SESSION, workspaces } }, 'GET /v1/landers': page([]) });
    const { router } = renderConsole('/app/landers');
    await screen.findByText(/No landers yet/);
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Workspace' }), 'ws_b');
    await waitFor(() => expect(router.state.location.search).toEqual({ workspaceId: 'ws_b' }));
    await waitFor(() => expect(requests.filter((request) => request.path === '/v1/landers').at(-1)!.query.get('workspaceId')).toBe('ws_b'));
    expect(await screen.findByText('No landers match these filters.')).toBeTruthy();
  });

  it('archives a traffic source, and says in words why the server refused one still in use', async () => {
    let refuse = true;
    const { requests } = trackerApi({
      'GET /v1/traffic-sources/ts_1': { body: source },
      'DELETE /v1/traffic-sources/ts_1': () =>
        refuse ? { status: 409, body: { error: { code: 'in_use', message: 'the traffic source is used by campaign "Solar push"' } } } : { body: { ...source, archivedAt: '2026-12-01T00:00:00.000Z' } },
    });
    vi.stubGlobal('confirm', () => true);
    const { router } = renderConsole('/app/traffic-sources/ts_1/edit');
    await userEvent.click(await screen.findByRole('button', { name: 'Archive traffic source' }));
    expect((await screen.findByRole('alert')).textContent).toContain('the traffic source is used by campaign "Solar push"');
    refuse = false;
    await userEvent.click(screen.getByRole('button', { name: 'Archive traffic source' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/traffic-sources'));
    expect(requests.filter((request) => request.method === 'DELETE')).toHaveLength(2);
  });
});

describe('the campaign form’s values', () => {
  it('turns typed filter values into the API’s: lists, schedule windows, flags and the empty referrer', () => {
    const params = toCampaignParams({
      ...EMPTY_CAMPAIGN_FORM,
      name: 'Typed',
      streams: [
        {
          ...EMPTY_STREAM,
          name: 'All kinds',
          filters: [
            { type: 'country', mode: 'allow', values: 'US, CA\nGB' },
            { type: 'schedule', mode: 'allow', values: '1-5 9:00-18:00\n6,7 22:00 - 02:00' },
            { type: 'unique', mode: 'allow', values: 'false' },
            { type: 'referrer', mode: 'deny', values: 'spam.example, (none)' },
          ],
        },
      ],
    });
    expect(params.streams[0]!.filters).toEqual([
      { type: 'country', mode: 'allow', values: ['US', 'CA', 'GB'] },
      {
        type: 'schedule',
        mode: 'allow',
        values: [
          { days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' },
          { days: [6, 7], from: '22:00', to: '02:00' },
        ],
      },
      { type: 'unique', mode: 'allow', values: [false] },
      { type: 'referrer', mode: 'deny', values: ['spam.example', ''] },
    ]);
    // Cost fields the model does not use are left out, as the schema requires.
    expect(params.cost).toEqual({ model: 'none' });
  });
});
