import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeApi, offer, OWNER_SESSION, renderConsole } from './support.js';

afterEach(() => vi.unstubAllGlobals());

const links = (publisherId: string | null) => ({
  offerId: 'off_1',
  publisherId,
  trackingUrl: `https://track.example/c/off_1${publisherId ? `?pub=${publisherId}` : ''}`,
  postbackUrl: 'https://track.example/postback?click_id={click_id}&amount={amount}&transaction_id={transaction_id}&token=tok',
  pixelUrl: '',
  impressionUrl: '',
  landerSnippet: '',
  directTrackingSnippet: null,
  directTrackingSnippetUnavailable: 'direct_tracking_disabled',
  conversionSnippet: '',
});

function offerApi(extra: Parameters<typeof fakeApi>[0] = {}) {
  return fakeApi({
    'GET /v1/session': { body: OWNER_SESSION },
    'GET /v1/offers/off_1': { body: offer({ currency: 'EUR' }) },
    'GET /v1/offers/off_1/links': (request) => ({ body: links(request.query.get('publisherId')) }),
    'GET /v1/publishers': { body: { data: [{ id: 'pub_9', name: 'Blue Media' }], nextCursor: null } },
    'GET /v1/offers/off_1/personal-payouts': { body: { data: [{ id: 'pp_1', offerId: 'off_1', publisherId: 'pub_9', couponCode: null, amount: '12.5', percent: null }], nextCursor: null } },
    'GET /v1/conversions': {
      body: {
        data: [{ id: 'cv_1', createdAt: '2026-12-01T10:00:00Z', publisherId: 'pub_9', status: 'approved', amount: '80', currency: 'USD', payout: '7.5', offerCurrency: 'EUR', transactionId: 'ORD-1' }],
        nextCursor: null,
      },
    },
    ...extra,
  });
}

describe('the offer page', () => {
  it('shows the postback URL and makes the tracking URL of the publisher chosen', async () => {
    const { requests } = offerApi();
    renderConsole('/app/offers/off_1');
    const postback = await screen.findByRole('textbox', { name: 'Postback URL' });
    await waitFor(() => expect(postback).toHaveProperty('value', links(null).postbackUrl));
    expect(postback.hasAttribute('readonly')).toBe(true);

    const generator = screen.getByRole('region', { name: 'Generate tracking URL' });
    await waitFor(() => expect(within(generator).getByRole('option', { name: 'Blue Media' })).toBeTruthy());
    await userEvent.selectOptions(within(generator).getByRole('combobox', { name: 'Publisher' }), 'pub_9');
    await waitFor(() => expect(within(generator).getByRole('textbox', { name: 'Tracking URL' })).toHaveProperty('value', 'https://track.example/c/off_1?pub=pub_9'));
    expect(requests.some((request) => request.path === '/v1/offers/off_1/links' && request.query.get('publisherId') === 'pub_9')).toBe(true);

    await userEvent.click(within(generator).getByText('Sub IDs'));
    await userEvent.type(within(generator).getByRole('textbox', { name: 'Sub 1' }), 'banner top');
    await userEvent.type(within(generator).getByRole('textbox', { name: 'Sub 3' }), 'x&y');
    expect(within(generator).getByRole('textbox', { name: 'Tracking URL' })).toHaveProperty('value', 'https://track.example/c/off_1?pub=pub_9&sub1=banner+top&sub3=x%26y');
  });

  it('lists personal payouts and recent conversions in their currencies', async () => {
    offerApi();
    renderConsole('/app/offers/off_1');
    const payouts = await screen.findByRole('table', { name: 'Personal payouts' });
    expect(within(payouts).getByRole('row', { name: /Blue Media/ }).textContent).toContain('€12.50');
    const conversions = await screen.findByRole('table', { name: 'Recent conversions' });
    const row = within(conversions).getByRole('row', { name: /ORD-1/ }).textContent!;
    expect(row).toContain('$80.00');
    expect(row).toContain('€7.50');
    expect(row).toContain('Approved');
  });

  it('archives the offer after asking once more', async () => {
    const { requests } = offerApi({ 'DELETE /v1/offers/off_1': { body: offer({ archivedAt: '2026-12-04T00:00:00Z' }) }, 'GET /v1/offers': { body: { data: [], nextCursor: null } } });
    const { router } = renderConsole('/app/offers/off_1');
    await userEvent.click(await screen.findByRole('button', { name: 'Archive offer' }));
    expect(requests.some((request) => request.method === 'DELETE')).toBe(false);
    await userEvent.click(within(screen.getByRole('group', { name: 'Archive this offer?' })).getByRole('button', { name: 'Archive' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/offers'));
    expect(requests.filter((request) => request.method === 'DELETE').map((request) => request.path)).toEqual(['/v1/offers/off_1']);
  });

  it('offers an analyst nothing to change', async () => {
    offerApi({ 'GET /v1/session': { body: { ...OWNER_SESSION, user: { ...OWNER_SESSION.user, role: 'analyst' } } } });
    renderConsole('/app/offers/off_1');
    await screen.findByRole('textbox', { name: 'Postback URL' });
    expect(screen.queryByRole('button', { name: 'Edit offer' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Archive offer' })).toBeNull();
  });
});
