import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeApi, OWNER_SESSION, renderConsole } from './support.js';

afterEach(() => vi.unstubAllGlobals());

const empty = { body: { data: [], nextCursor: null } };
const key = { id: 'key_1', name: 'checkout server', role: 'admin', publisherId: null, workspaceId: null, prefix: 'wp_live_ab', createdAt: '2026-11-02T10:00:00.000Z', revokedAt: null };

function settingsApi(extra: Record<string, Parameters<typeof fakeApi>[0][string]> = {}) {
  return fakeApi({
    'GET /v1/session': { body: OWNER_SESSION },
    'GET /v1/fx-rates': { body: { base: 'USD', data: [{ currency: 'EUR', rate: '1.08', updatedAt: '2026-11-02T10:00:00.000Z' }] } },
    'GET /v1/api-keys': empty,
    'GET /v1/users': empty,
    'GET /v1/workspaces': { body: { data: [{ id: 'ws_default', name: 'Default', visibility: 'public', createdAt: '2026-11-02T10:00:00.000Z' }], nextCursor: null } },
    'GET /v1/publishers': empty,
    'GET /v1/settings/smtp': { body: { configured: true, host: 'mail.example.com', port: 587, secure: false, from: 'Waypost <waypost@example.com>' } },
    ...extra,
  });
}

describe('the settings screen', () => {
  it('shows a new API key once, in full, and only its first characters in the list', async () => {
    let created = false;
    const { requests } = settingsApi({
      'GET /v1/api-keys': () => ({ body: { data: created ? [key] : [], nextCursor: null } }),
      'POST /v1/api-keys': () => {
        created = true;
        return { status: 201, body: { ...key, key: 'wp_live_abcdefghijklmnopqrstuvwxyz' } };
      },
    });
    renderConsole('/app/settings');
    const form = await screen.findByRole('form', { name: 'Create API key' });
    await userEvent.type(within(form).getByLabelText('Key name'), 'checkout server');
    await userEvent.click(within(form).getByRole('button', { name: 'Create API key' }));
    const shown = await screen.findByRole('textbox', { name: 'New API key' });
    expect((shown as HTMLInputElement).value).toBe('wp_live_abcdefghijklmnopqrstuvwxyz');
    expect(requests.find((request) => request.method === 'POST')!.body).toEqual({ name: 'checkout server', role: 'admin' });
    const table = await screen.findByRole('table', { name: 'API keys' });
    expect(within(table).getByText('wp_live_ab…')).toBeTruthy();
    expect(table.textContent).not.toContain('wp_live_abcdefghijklmnopqrstuvwxyz');

    await userEvent.click(screen.getByRole('button', { name: 'Done' }));
    expect(screen.queryByRole('textbox', { name: 'New API key' })).toBeNull();
  });

  it('revokes a key after asking', async () => {
    const { requests } = settingsApi({ 'GET /v1/api-keys': { body: { data: [key], nextCursor: null } }, 'DELETE /v1/api-keys/key_1': { status: 204 } });
    renderConsole('/app/settings');
    await userEvent.click(await screen.findByRole('button', { name: 'Revoke checkout server' }));
    await userEvent.click(within(screen.getByRole('group', { name: 'Revoke checkout server?' })).getByRole('button', { name: 'Revoke key' }));
    await waitFor(() => expect(requests.some((request) => request.method === 'DELETE' && request.path === '/v1/api-keys/key_1')).toBe(true));
  });

  it('invites a user and gives the invite link to copy; a refused e-mail is shown at its field', async () => {
    const { requests } = settingsApi({
      'POST /v1/users': (request) => {
        const body = request.body as { email: string };
        if (body.email === 'taken@example.com') {
          return { status: 409, body: { error: { code: 'conflict', message: 'taken', issues: [{ path: 'email', code: 'conflict', message: 'a user with this e-mail exists' }] } } };
        }
        return {
          status: 201,
          body: { id: 'usr_2', email: body.email, name: null, role: 'analyst', publisherId: null, workspaceIds: ['ws_default'], status: 'invited', lastSignInAt: null, createdAt: '', updatedAt: '', inviteUrl: 'http://localhost:3000/app/invite/abc', inviteExpiresAt: '2026-11-09T10:00:00.000Z' },
        };
      },
    });
    renderConsole('/app/settings');
    const form = await screen.findByRole('form', { name: 'Invite user' });
    await userEvent.type(within(form).getByLabelText('Email'), 'taken@example.com');
    await userEvent.click(within(form).getByRole('button', { name: 'Invite user' }));
    await waitFor(() => expect(within(form).getByLabelText('Email').getAttribute('aria-invalid')).toBe('true'));
    expect(form.textContent).toContain('A user with this e-mail exists');

    await userEvent.clear(within(form).getByLabelText('Email'));
    await userEvent.type(within(form).getByLabelText('Email'), 'ana@example.com');
    await userEvent.selectOptions(within(form).getByLabelText('Role'), 'analyst');
    await userEvent.click(within(form).getByLabelText('Default'));
    await userEvent.click(within(form).getByRole('button', { name: 'Invite user' }));
    expect(((await screen.findByRole('textbox', { name: 'Invite link' })) as HTMLInputElement).value).toBe('http://localhost:3000/app/invite/abc');
    expect(requests.filter((request) => request.method === 'POST').at(-1)!.body).toEqual({ email: 'ana@example.com', role: 'analyst', workspaceIds: ['ws_default'] });
  });

  it('shows the SMTP server and sends a test e-mail, or says why it could not', async () => {
    let fail = false;
    settingsApi({
      'POST /v1/settings/smtp/test': () =>
        fail
          ? { status: 502, body: { error: { code: 'smtp_failed', message: 'the SMTP server did not accept the e-mail: Invalid login' } } }
          : { body: { sent: true, to: 'owner@example.com' } },
    });
    renderConsole('/app/settings');
    expect((await screen.findByText(/mail\.example\.com:587/)).textContent).toContain('mail.example.com:587');
    await userEvent.click(screen.getByRole('button', { name: 'Send test e-mail' }));
    expect(await screen.findByText('Sent to owner@example.com.')).toBeTruthy();
    fail = true;
    await userEvent.click(screen.getByRole('button', { name: 'Send test e-mail' }));
    expect((await screen.findByText(/Invalid login/)).getAttribute('role')).toBe('alert');
  });

  it('shows an analyst the workspaces and nothing to change', async () => {
    const { requests } = settingsApi({ 'GET /v1/session': { body: { ...OWNER_SESSION, user: { ...OWNER_SESSION.user, role: 'analyst' } } } });
    renderConsole('/app/settings');
    await screen.findByRole('table', { name: 'Workspaces' });
    expect(screen.queryAllByRole('button').map((button) => button.textContent)).toEqual(['Menu', 'Sign out']);
    expect(requests.map((request) => request.path)).not.toContain('/v1/api-keys');
  });
});
