import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OfferForm } from '../src/screens/offer-form.js';
import { fakeApi, offer, OWNER_SESSION, renderWithProviders } from './support.js';

afterEach(() => vi.unstubAllGlobals());

/** The message shown under a field, found through the field's aria-describedby as a screen reader finds it. */
function messageFor(label: string): string {
  const field = screen.getByLabelText(label);
  const ids = (field.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
  return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
}

const noNetworks = { 'GET /v1/affiliate-networks': { body: { data: [], nextCursor: null } } };

describe('the offer form', () => {
  it('names each missing field next to it and sends nothing', async () => {
    const { requests } = fakeApi(noNetworks);
    renderWithProviders(<OfferForm onSaved={() => {}} />);
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(messageFor('Offer name')).toContain('Is required'));
    expect(screen.getByLabelText('Offer name').getAttribute('aria-invalid')).toBe('true');
    expect(messageFor('Site link')).toContain('Is required');
    expect(messageFor('Payout amount')).toContain('Is required in fixed mode');
    expect(requests.filter((request) => request.method === 'POST')).toEqual([]);
  });

  it('refuses a payout amount with more decimals than the offer currency has', async () => {
    fakeApi(noNetworks);
    renderWithProviders(<OfferForm onSaved={() => {}} />);
    await userEvent.type(screen.getByLabelText('Offer name'), 'Yen offer');
    await userEvent.type(screen.getByLabelText('Site link'), 'https://shop.example/');
    await userEvent.selectOptions(screen.getByLabelText('Currency'), 'JPY');
    await userEvent.type(screen.getByLabelText('Payout amount'), '500.5');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(messageFor('Payout amount')).toContain('Has more than 0 decimal places, the most JPY allows'));
  });

  it('writes the payout amount with the currency’s decimals when the field is left', async () => {
    fakeApi(noNetworks);
    renderWithProviders(<OfferForm onSaved={() => {}} />);
    const amount = screen.getByLabelText('Payout amount');
    await userEvent.selectOptions(screen.getByLabelText('Currency'), 'USD');
    expect(messageFor('Payout amount')).toContain('In USD, 2 decimals');
    await userEvent.type(amount, '10.5');
    await userEvent.tab();
    expect(amount).toHaveProperty('value', '10.50');

    await userEvent.selectOptions(screen.getByLabelText('Currency'), 'KWD');
    expect(messageFor('Payout amount')).toContain('In KWD, 3 decimals');
    await userEvent.clear(amount);
    await userEvent.type(amount, '7');
    await userEvent.tab();
    expect(amount).toHaveProperty('value', '7.000');
  });

  it('sends the offer as the API takes it, with the CSRF token', async () => {
    const saved = offer({ id: 'off_new', name: 'Solar leads' });
    const { requests } = fakeApi({ ...noNetworks, 'POST /v1/offers': { status: 201, body: saved } });
    const onSaved = vi.fn();
    const { queryClient } = renderWithProviders(<OfferForm onSaved={onSaved} />);
    const { setCsrfToken } = await import('../src/api.js');
    setCsrfToken('csrf-token-1');
    await userEvent.type(screen.getByLabelText('Offer name'), 'Solar leads');
    await userEvent.type(screen.getByLabelText('Site link'), 'https://shop.example/?c={{click_id}');
    await userEvent.type(screen.getByLabelText('Lead type'), 'Solar');
    await userEvent.selectOptions(screen.getByLabelText('Payout type'), 'cpl');
    await userEvent.type(screen.getByLabelText('Payout amount'), '12');
    await userEvent.type(screen.getByLabelText('Daily cap'), '50');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(onSaved).toHaveBeenCalledWith(saved));
    const post = requests.find((request) => request.method === 'POST')!;
    expect(post.headers.get('x-csrf-token')).toBe('csrf-token-1');
    expect(post.body).toEqual({
      name: 'Solar leads',
      url: 'https://shop.example/?c={click_id}',
      status: 'active',
      expiresAt: null,
      leadType: 'Solar',
      payout: { model: 'cpl', mode: 'fixed', amount: '12' },
      revenue: null,
      affiliateNetworkId: null,
      appendClickId: false,
      directTracking: false,
      allowedOrigins: [],
      cap: { daily: 50 },
      email: null,
      keywords: null,
      notes: null,
    });
    expect(queryClient.getQueryData(['offer', 'off_new'])).toEqual(saved);
  });

  it('shows the server’s issues next to the fields they name, and the others above the form', async () => {
    fakeApi({
      ...noNetworks,
      'GET /v1/offers': { body: { data: [offer({ id: 'off_gone', name: 'Gone offer' })], nextCursor: null } },
      'POST /v1/offers': {
        status: 422,
        body: {
          error: {
            code: 'validation_error',
            message: 'url: macros may only fill the path; cap.fallbackOfferId: no offer "off_gone"; publisherIds.0: no publisher',
            issues: [
              { path: 'url', code: 'custom', message: 'macros may only fill the path, query and fragment, not the scheme, host or port' },
              { path: 'cap.fallbackOfferId', code: 'validation_error', message: 'no offer "off_gone"' },
              { path: 'publisherIds.0', code: 'validation_error', message: 'no publisher "pub_x"' },
            ],
          },
        },
      },
    });
    renderWithProviders(<OfferForm onSaved={() => {}} />);
    await userEvent.type(screen.getByLabelText('Offer name'), 'Macro host');
    await userEvent.type(screen.getByLabelText('Site link'), 'https://shop.example/');
    await userEvent.type(screen.getByLabelText('Payout amount'), '1');
    await userEvent.selectOptions(screen.getByLabelText('Fallback offer'), await screen.findByRole('option', { name: 'Gone offer' }));
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(messageFor('Site link')).toContain('Macros may only fill the path, query and fragment'));
    expect(messageFor('Fallback offer')).toContain('No offer "off_gone"');
    const alert = screen.getByRole('alert');
    expect(within(alert).getByText('publisherIds.0: no publisher "pub_x"')).toBeTruthy();
  });

  it('shows a name that is taken next to the offer name', async () => {
    fakeApi({
      ...noNetworks,
      'POST /v1/offers': {
        status: 409,
        body: { error: { code: 'conflict', message: 'an offer named "Dup" already exists', issues: [{ path: 'name', code: 'conflict', message: 'an offer named "Dup" already exists' }] } },
      },
    });
    renderWithProviders(<OfferForm onSaved={() => {}} />);
    await userEvent.type(screen.getByLabelText('Offer name'), 'Dup');
    await userEvent.type(screen.getByLabelText('Site link'), 'https://shop.example/');
    await userEvent.type(screen.getByLabelText('Payout amount'), '1');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(messageFor('Offer name')).toContain('An offer named "Dup" already exists'));
  });

  it('sends geo payouts and places the server’s issue on the row it names', async () => {
    const { requests } = fakeApi({
      ...noNetworks,
      'POST /v1/offers': {
        status: 422,
        body: { error: { code: 'validation_error', message: 'payout.geo.1.amount: …', issues: [{ path: 'payout.geo.1.amount', code: 'custom', message: 'has more than 2 decimal places, the most EUR allows' }] } },
      },
    });
    renderWithProviders(<OfferForm onSaved={() => {}} />);
    await userEvent.type(screen.getByLabelText('Offer name'), 'Geo');
    await userEvent.type(screen.getByLabelText('Site link'), 'https://shop.example/');
    await userEvent.type(screen.getByLabelText('Payout amount'), '2');
    await userEvent.click(screen.getByRole('button', { name: 'Add geo payout' }));
    await userEvent.click(screen.getByRole('button', { name: 'Add geo payout' }));
    await userEvent.type(screen.getByLabelText('Countries (geo payout 1)'), 'us, ca');
    await userEvent.type(screen.getByLabelText('Amount (geo payout 1)'), '4');
    await userEvent.type(screen.getByLabelText('Countries (geo payout 2)'), 'DE');
    await userEvent.type(screen.getByLabelText('Amount (geo payout 2)'), '3');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(messageFor('Amount (geo payout 2)')).toContain('Has more than 2 decimal places, the most EUR allows'));
    expect(messageFor('Amount (geo payout 1)')).toBe('');
    expect((requests.find((request) => request.method === 'POST')!.body as { payout: unknown }).payout).toEqual({
      model: 'cpa',
      mode: 'fixed',
      amount: '2',
      geo: [
        { countries: ['us', 'ca'], amount: '4' },
        { countries: ['DE'], amount: '3' },
      ],
    });
  });

  it('puts a new offer in the workspace chosen, when the user has several', async () => {
    const { requests } = fakeApi({ ...noNetworks, 'POST /v1/offers': { status: 201, body: offer() } });
    const session = {
      ...OWNER_SESSION,
      workspaces: [
        { id: 'ws_a', name: 'Agency', visibility: 'public' as const },
        { id: 'ws_b', name: 'Brand team', visibility: 'private' as const },
      ],
    };
    renderWithProviders(<OfferForm onSaved={() => {}} />, session);
    await userEvent.type(screen.getByLabelText('Offer name'), 'Brand offer');
    await userEvent.type(screen.getByLabelText('Site link'), 'https://shop.example/');
    await userEvent.type(screen.getByLabelText('Payout amount'), '2');
    await userEvent.selectOptions(screen.getByLabelText('Workspace'), 'ws_b');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(requests.find((request) => request.method === 'POST')?.body).toMatchObject({ workspaceId: 'ws_b' }));
  });

  it('edits an offer with its values filled in and clears what was emptied', async () => {
    const existing = offer({ id: 'off_7', name: 'Old name', leadType: 'Payday', currency: 'EUR', payout: { model: 'cps', mode: 'fixed', percent: '5' }, cap: { daily: 10 } });
    const { requests } = fakeApi({ ...noNetworks, 'PATCH /v1/offers/off_7': (request) => ({ body: { ...existing, ...(request.body as object) } }) });
    const onSaved = vi.fn();
    renderWithProviders(<OfferForm offer={existing} onSaved={onSaved} />);
    expect(screen.getByLabelText('Payout percent')).toHaveProperty('value', '5');
    expect(screen.getByLabelText('Currency')).toHaveProperty('value', 'EUR');
    await userEvent.clear(screen.getByLabelText('Lead type'));
    await userEvent.clear(screen.getByLabelText('Daily cap'));
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    const patch = requests.find((request) => request.method === 'PATCH')!;
    expect(patch.body).toMatchObject({ leadType: null, cap: null, currency: 'EUR', payout: { model: 'cps', mode: 'fixed', percent: '5' } });
  });
});
