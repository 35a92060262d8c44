import { http, HttpResponse, type JsonBodyType } from 'msw';
import { describe, expect, it } from 'vitest';
import { type Waypost, WaypostConflictError, WaypostValidationError } from '../src/index.js';
import { client, mockWaypost, url } from './helpers.js';

const mock = mockWaypost();
const list = (item: unknown) => ({ data: [item], nextCursor: null });

const workspace = { id: 'ws_1', name: 'Nutra team', visibility: 'private', createdAt: '2026-11-01T10:00:00.000Z' };
const entry = {
  id: 'aud_1',
  actor: { type: 'key', id: 'key_1' },
  recordType: 'offer',
  recordId: 'off_1',
  action: 'update',
  changes: { name: { before: 'Old', after: 'New' }, postbackToken: { before: '[redacted]', after: '[redacted]' } },
  createdAt: '2026-11-01T10:00:00.000Z',
};
const user = {
  id: 'usr_1',
  email: 'ana@example.com',
  name: 'Ana',
  role: 'member',
  publisherId: null,
  workspaceIds: ['ws_1'],
  status: 'invited',
  lastSignInAt: null,
  createdAt: '2026-11-01T10:00:00.000Z',
  updatedAt: '2026-11-01T10:00:00.000Z',
};
const invited = { ...user, inviteUrl: 'https://waypost.test/app/invite/abc', inviteExpiresAt: '2026-11-08T10:00:00.000Z' };

interface Case {
  call: (waypost: Waypost) => Promise<unknown>;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  /** What the server answers; undefined for 204 No Content. */
  reply?: JsonBodyType;
}

const cases: Record<string, Case> = {
  'workspaces.list': { call: (w) => w.workspaces.list(), method: 'GET', path: '/v1/workspaces', query: { limit: '50' }, reply: list(workspace) },
  'workspaces.create': { call: (w) => w.workspaces.create({ name: 'Nutra team' }), method: 'POST', path: '/v1/workspaces', body: { name: 'Nutra team', visibility: 'private' }, reply: workspace },
  'workspaces.retrieve': { call: (w) => w.workspaces.retrieve('ws_1'), method: 'GET', path: '/v1/workspaces/ws_1', reply: workspace },
  'workspaces.update': { call: (w) => w.workspaces.update('ws_1', { visibility: 'public' }), method: 'PATCH', path: '/v1/workspaces/ws_1', body: { visibility: 'public' }, reply: workspace },
  'workspaces.delete': { call: (w) => w.workspaces.delete('ws_1'), method: 'DELETE', path: '/v1/workspaces/ws_1' },
  'audit.list': {
    call: (w) => w.audit.list({ recordType: 'offer', recordId: 'off_1', from: '2026-11-01T00:00:00Z' }),
    method: 'GET',
    path: '/v1/audit',
    query: { limit: '50', recordType: 'offer', recordId: 'off_1', from: '2026-11-01T00:00:00Z' },
    reply: list(entry),
  },
  'users.list': { call: (w) => w.users.list({ role: 'member', status: 'invited' }), method: 'GET', path: '/v1/users', query: { limit: '50', role: 'member', status: 'invited' }, reply: list(user) },
  'users.invite': {
    call: (w) => w.users.invite({ email: 'ana@example.com', role: 'member', workspaceIds: ['ws_1'] }),
    method: 'POST',
    path: '/v1/users',
    body: { email: 'ana@example.com', role: 'member', workspaceIds: ['ws_1'] },
    reply: invited,
  },
  'users.retrieve': { call: (w) => w.users.retrieve('usr_1'), method: 'GET', path: '/v1/users/usr_1', reply: user },
  'users.reinvite': { call: (w) => w.users.reinvite('usr_1'), method: 'POST', path: '/v1/users/usr_1/invite', reply: invited },
  'users.update': { call: (w) => w.users.update('usr_1', { role: 'analyst', disabled: true }), method: 'PATCH', path: '/v1/users/usr_1', body: { role: 'analyst', disabled: true }, reply: user },
  'users.delete': { call: (w) => w.users.delete('usr_1'), method: 'DELETE', path: '/v1/users/usr_1' },
};

describe('team resources', () => {
  it.each(Object.entries(cases))('%s calls its endpoint', async (_, { call, method, path, query = {}, body, reply }) => {
    mock.server.use(http.all(url(path), () => (reply === undefined ? new HttpResponse(null, { status: 204 }) : HttpResponse.json(reply))));
    await expect(call(client())).resolves.toEqual(reply);
    const [request, ...rest] = await mock.requests();
    expect(rest).toHaveLength(0);
    expect(request!.method).toBe(method);
    expect(request!.url.pathname).toBe(path);
    expect(Object.fromEntries(request!.url.searchParams)).toEqual(query);
    if (body === undefined) expect(request!.body).toBe('');
    else expect(JSON.parse(request!.body)).toEqual(body);
  });

  it('covers every method of the team resources', () => {
    const waypost = client();
    const all = (['workspaces', 'audit', 'users'] as const).flatMap((name) =>
      Object.getOwnPropertyNames(Object.getPrototypeOf(waypost[name]))
        .filter((method) => method !== 'constructor')
        .map((method) => `${name}.${method}`),
    );
    expect(all.sort()).toEqual(Object.keys(cases).sort());
  });

  it('refuses a publisher user without a publisher and an audit filter that is no timestamp before sending anything', async () => {
    const invite = client().users.invite({ email: 'pub@example.com', role: 'publisher' });
    await expect(invite).rejects.toBeInstanceOf(WaypostValidationError);
    await expect(invite).rejects.toMatchObject({ issues: [expect.objectContaining({ path: 'publisherId' })] });
    const audit = client().audit.list({ from: 'yesterday' });
    await expect(audit).rejects.toMatchObject({ issues: [expect.objectContaining({ path: 'from' })] });
    expect(await mock.requests()).toHaveLength(0);
  });

  it('turns a 409 on deleting a workspace that holds records into a WaypostConflictError with its code', async () => {
    const message = 'this workspace still holds records; move or delete them first';
    mock.server.use(http.delete(url('/v1/workspaces/ws_1'), () => HttpResponse.json({ error: { code: 'workspace_not_empty', message } }, { status: 409 })));
    const call = client().workspaces.delete('ws_1');
    await expect(call).rejects.toBeInstanceOf(WaypostConflictError);
    await expect(call).rejects.toMatchObject({ code: 'workspace_not_empty', message });
  });
});
