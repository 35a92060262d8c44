import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeApi, OWNER_SESSION, renderConsole } from './support.js';

afterEach(() => vi.unstubAllGlobals());

const signedOut = { status: 401, body: { error: { code: 'unauthorized', message: 'sign in first' } } };

describe('signing in', () => {
  it('sends a visitor without a session to the sign-in, then back to the page they asked for', async () => {
    let session: unknown = null;
    const { requests } = fakeApi({
      'GET /v1/session': () => (session ? { body: session } : signedOut),
      'POST /v1/session': (request) => {
        session = OWNER_SESSION;
        expect(request.body).toEqual({ email: 'owner@example.com', password: 'correct horse battery' });
        return { body: OWNER_SESSION };
      },
      'GET /v1/offers': { body: { data: [], nextCursor: null } },
    });
    const { router } = renderConsole('/app/offers?status=inactive');
    await userEvent.type(await screen.findByLabelText('Email'), 'owner@example.com');
    await userEvent.type(screen.getByLabelText('Password'), 'correct horse battery');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    await screen.findByRole('heading', { name: 'Offers' });
    expect(router.state.location.search).toEqual({ status: 'inactive' });
    expect(screen.getByText('owner@example.com')).toBeTruthy();
    // Requests that change state carry the session's CSRF token from then on.
    await userEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    await screen.findByRole('button', { name: 'Sign in' });
    expect(requests.find((request) => request.method === 'DELETE')?.headers.get('x-csrf-token')).toBe(OWNER_SESSION.csrfToken);
  });

  it('sends someone already signed in from the sign-in page to the offers', async () => {
    fakeApi({ 'GET /v1/session': { body: OWNER_SESSION }, 'GET /v1/offers': { body: { data: [], nextCursor: null } } });
    const { router } = renderConsole('/app/sign-in');
    await screen.findByRole('heading', { name: 'Offers' });
    expect(router.state.location.pathname).toBe('/offers');
  });

  it('says when the e-mail or the password is wrong', async () => {
    fakeApi({
      'GET /v1/session': signedOut,
      'POST /v1/session': { status: 401, body: { error: { code: 'invalid_credentials', message: 'the e-mail or the password is wrong' } } },
    });
    renderConsole('/app/sign-in');
    await userEvent.type(await screen.findByLabelText('Email'), 'owner@example.com');
    await userEvent.type(screen.getByLabelText('Password'), 'nope nope nope');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toBe('The e-mail or the password is wrong.');
  });

  it('says how long to wait after too many attempts', async () => {
    fakeApi({
      'GET /v1/session': signedOut,
      'POST /v1/session': { status: 429, headers: { 'Retry-After': '540' }, body: { error: { code: 'rate_limited', message: 'too many sign-in attempts' } } },
    });
    renderConsole('/app/sign-in');
    await userEvent.type(await screen.findByLabelText('Email'), 'owner@example.com');
    await userEvent.type(screen.getByLabelText('Password'), 'guess number eleven');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Too many sign-in attempts. Try again in 9 minutes.');
  });

  it('accepts an invite with a password and signs the new user in', async () => {
    const { requests } = fakeApi({
      'GET /v1/session': signedOut,
      'POST /v1/invites/accept': (request) =>
        (request.body as { password: string }).password === 'password'
          ? { status: 422, body: { error: { code: 'weak_password', message: 'password: is one of the most common passwords; choose another', issues: [{ path: 'password', code: 'weak_password', message: 'is one of the most common passwords; choose another' }] } } }
          : { body: OWNER_SESSION },
      'GET /v1/offers': { body: { data: [], nextCursor: null } },
    });
    renderConsole('/app/invite/tok_123');
    await userEvent.type(await screen.findByLabelText('New password'), 'password');
    await userEvent.click(screen.getByRole('button', { name: 'Set password' }));
    await waitFor(() => expect(screen.getByLabelText('New password').getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getByText('Is one of the most common passwords; choose another')).toBeTruthy();

    await userEvent.clear(screen.getByLabelText('New password'));
    await userEvent.type(screen.getByLabelText('New password'), 'a much longer passphrase');
    await userEvent.click(screen.getByRole('button', { name: 'Set password' }));
    await screen.findByRole('heading', { name: 'Offers' });
    expect(requests.filter((request) => request.path === '/v1/invites/accept').at(-1)?.body).toEqual({ token: 'tok_123', password: 'a much longer passphrase' });
  });
});
