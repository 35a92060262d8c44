import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiKey, createApp, listen, loadConfig, openStore, type Store, systemClock } from '@waypost/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Waypost, WaypostConflictError, WaypostNotFoundError } from '../src/index.js';

// Workspaces, users and the audit log through the SDK against the real reference server on port 0, over a real SQLite file.
describe('the Node SDK’s team resources against the real server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'waypost-sdk-team-'));
  let store: Store;
  let server: Server;
  let waypost: Waypost;
  let keyId: string;

  beforeAll(async () => {
    const config = loadConfig({ WAYPOST_DATABASE_URL: `file:${join(dir, 'sdk.db')}`, WAYPOST_PUBLIC_URL: 'https://track.example.com' });
    store = openStore(config.databaseUrl);
    await store.migrate();
    server = await listen(createApp({ store, config, log: () => {} }), 0, '127.0.0.1');
    const { key, id } = await createApiKey({ store, clock: systemClock }, { role: 'admin' });
    keyId = id;
    waypost = new Waypost({ apiKey: key, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  });
  afterAll(async () => {
    server.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('makes a private workspace, invites a member into it, changes and deletes the user, and reads it all back from the audit log', async () => {
    const workspace = await waypost.workspaces.create({ name: 'Nutra team' });
    expect(workspace).toMatchObject({ name: 'Nutra team', visibility: 'private' });
    const names = [];
    for await (const each of waypost.workspaces.list({ limit: 1 })) names.push(each.name);
    expect(names).toContain('Nutra team');

    const invited = await waypost.users.invite({ email: 'ana@example.com', name: 'Ana', role: 'member', workspaceIds: [workspace.id] });
    expect(invited).toMatchObject({ status: 'invited', workspaceIds: [workspace.id], inviteUrl: expect.stringMatching(/^https:\/\/track\.example\.com\//) });
    expect((await waypost.users.reinvite(invited.id)).inviteUrl).not.toBe(invited.inviteUrl);
    expect((await waypost.users.update(invited.id, { role: 'analyst' })).role).toBe('analyst');
    expect((await waypost.users.list({ role: 'analyst' })).data.map((user) => user.email)).toEqual(['ana@example.com']);
    await expect(waypost.users.delete(invited.id)).resolves.toBeUndefined();
    await expect(waypost.users.retrieve(invited.id)).rejects.toBeInstanceOf(WaypostNotFoundError);

    // A workspace that holds records stays; an empty one goes.
    const offer = await waypost.offers.create({ name: 'Kept', url: 'https://offer.example.com/', payout: { model: 'cpa', amount: '1.00' }, workspaceId: workspace.id });
    await expect(waypost.workspaces.delete(workspace.id)).rejects.toBeInstanceOf(WaypostConflictError);
    await waypost.offers.update(offer.id, { workspaceId: 'ws_first' });
    await expect(waypost.workspaces.delete(workspace.id)).resolves.toBeUndefined();

    const log = await waypost.audit.list({ recordType: 'user', recordId: invited.id });
    expect(log.data.map((entry) => entry.action)).toEqual(['delete', 'update', 'invite', 'create']);
    expect(log.data.every((entry) => entry.actor.type === 'key' && entry.actor.id === keyId)).toBe(true);
    expect(log.data[1]!.changes.role).toEqual({ before: 'member', after: 'analyst' });
    expect((await waypost.audit.list({ recordType: 'workspace', recordId: workspace.id })).data.map((entry) => entry.action)).toEqual(['delete', 'create']);
  });
});
