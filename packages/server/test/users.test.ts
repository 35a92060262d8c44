import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startSmtpReceiver, type SmtpReceiver } from './support/receivers.js';
import { backends, freshDatabaseUrl, type SignedIn, spawnServer, startTestServer, type TestServer } from './support/harness.js';

const PASSWORD = 'correct horse battery staple';
const DAY = 86_400_000;
const SERVER_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The `waypost` CLI with `stdin` written to its standard input; its output, or its error output when it fails. */
function cli(args: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: SERVER_ROOT }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout: stdout.trim(), stderr: stderr.trim() }),
    );
    child.stdin!.end(stdin);
  });
}

const tokenOf = (url: string) => url.split('/').pop()!;

describe.each(backends())('team users on %s', (backend) => {
  let server: TestServer;
  let smtp: SmtpReceiver;
  let owner: SignedIn;
  let admin: SignedIn;
  let people = 0;
  const email = () => `user${++people}@example.com`;

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    server = await startTestServer(backend, { env: { WAYPOST_SMTP_URL: smtp.url } });
    await server.addUser({ email: 'owner@example.com', role: 'owner' }, PASSWORD);
    await server.addUser({ email: 'admin@example.com', role: 'admin' }, PASSWORD);
  });
  // Fresh sessions for each test, as some move the clock past a session's end.
  beforeEach(async () => {
    owner = await server.signIn('owner@example.com', PASSWORD);
    admin = await server.signIn('admin@example.com', PASSWORD);
  });
  afterAll(async () => {
    await server.close();
    await smtp.close();
  });

  it('invites a user by a one-time link that sets its password, signs it in, and cannot be used twice', async () => {
    const address = email();
    const invited = await owner.json('/v1/users', { method: 'POST', json: { email: address, name: 'Mia', role: 'member', workspaceIds: [] } });
    expect(invited.status).toBe(201);
    expect(invited.body).toMatchObject({ email: address, name: 'Mia', role: 'member', status: 'invited', publisherId: null, lastSignInAt: null });
    expect(invited.body.inviteUrl).toMatch(/^http:\/\/track\.waypost\.test\/app\/invite\/[0-9a-z]{43}$/);
    expect(Date.parse(invited.body.inviteExpiresAt) - server.clock.now().getTime()).toBe(7 * DAY);
    expect(invited.body).not.toHaveProperty('passwordHash');
    // The invite went out by e-mail too, as SMTP is set.
    await vi.waitFor(() => expect(smtp.received.some((mail) => mail.rcptTo.includes(address))).toBe(true));
    expect(smtp.received.find((mail) => mail.rcptTo.includes(address))!.text).toContain(invited.body.inviteUrl);

    // An invited user has no password yet, so it cannot sign in.
    expect((await server.json('/v1/session', { method: 'POST', key: null, json: { email: address, password: PASSWORD } })).status).toBe(401);
    const accepted = await server.request('/v1/invites/accept', { method: 'POST', key: null, json: { token: tokenOf(invited.body.inviteUrl), password: PASSWORD } });
    expect(accepted.status).toBe(200);
    expect(accepted.headers.get('set-cookie')).toMatch(/^waypost_session=/);
    expect(((await accepted.json()) as any).user).toMatchObject({ id: invited.body.id, role: 'member' });
    expect((await server.json(`/v1/users/${invited.body.id}`)).body.status).toBe('active');

    const again = await server.json('/v1/invites/accept', { method: 'POST', key: null, json: { token: tokenOf(invited.body.inviteUrl), password: 'another fine passphrase' } });
    expect(again.status).toBe(422);
    expect(again.body.error).toMatchObject({ code: 'invalid_token', issues: [{ path: 'token' }] });
    expect((await server.signIn(address, PASSWORD)).userId).toBe(invited.body.id);
  });

  it('refuses an invite link after 7 days, and a replaced one', async () => {
    const first = (await owner.json('/v1/users', { method: 'POST', json: { email: email(), role: 'analyst' } })).body;
    const second = (await owner.json('/v1/users', { method: 'POST', json: { email: email(), role: 'analyst' } })).body;
    const renewed = await owner.json(`/v1/users/${second.id}/invite`, { method: 'POST' });
    expect(renewed.status).toBe(200);
    expect(renewed.body.inviteUrl).not.toBe(second.inviteUrl);
    const accept = (url: string) => server.json('/v1/invites/accept', { method: 'POST', key: null, json: { token: tokenOf(url), password: PASSWORD } });
    expect((await accept(second.inviteUrl)).status).toBe(422);

    server.clock.advance(7 * DAY);
    expect((await accept(first.inviteUrl)).status).toBe(422);
    server.clock.advance(-60_000);
    expect((await accept(renewed.body.inviteUrl)).status).toBe(200);
    server.clock.advance(60_000);
  });

  it('throttles invite acceptance like sign-in: ten wrong tokens from one address, and the next answer is 429', async () => {
    const invited = (await owner.json('/v1/users', { method: 'POST', json: { email: email(), role: 'member' } })).body;
    // Past the window of the wrong tokens that other tests sent.
    server.clock.advance(15 * 60_000);
    for (let i = 0; i < 10; i++) {
      const wrong = await server.json('/v1/invites/accept', { method: 'POST', key: null, json: { token: `wrongtoken${i}`, password: PASSWORD } });
      expect(wrong.status).toBe(422);
    }
    const throttled = await server.json('/v1/invites/accept', { method: 'POST', key: null, json: { token: tokenOf(invited.inviteUrl), password: PASSWORD } });
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    server.clock.advance(15 * 60_000);
    expect((await server.json('/v1/invites/accept', { method: 'POST', key: null, json: { token: tokenOf(invited.inviteUrl), password: PASSWORD } })).status).toBe(200);
  });

  it('refuses a short password, a common one (also with digits added) and the e-mail name, without spending the link', async () => {
    const address = 'jonathan.smith@example.com';
    const invited = (await owner.json('/v1/users', { method: 'POST', json: { email: address, role: 'member' } })).body;
    for (const password of ['short', 'qwertyuiop', 'password2024!', 'aaaaaaaaaaaaaaa', '1234567890']) {
      const refused = await server.json('/v1/invites/accept', { method: 'POST', key: null, json: { token: tokenOf(invited.inviteUrl), password } });
      expect([password, refused.status, refused.body.error.code, refused.body.error.issues[0].path]).toEqual([password, 422, 'weak_password', 'password']);
    }
    expect((await server.json('/v1/invites/accept', { method: 'POST', key: null, json: { token: tokenOf(invited.inviteUrl), password: PASSWORD } })).status).toBe(200);
    const session = await server.signIn(address, PASSWORD);
    const own = await session.json('/v1/session/password', { method: 'PUT', json: { currentPassword: PASSWORD, password: 'jonathan.smith' } });
    expect(own.body.error.issues[0]).toMatchObject({ path: 'password', message: 'must not be your e-mail address' });
  });

  it('lets an admin manage members but not owners, nor make anyone an owner', async () => {
    const ownerId = (await owner.json('/v1/session')).body.user.id;
    expect((await admin.json('/v1/users', { method: 'POST', json: { email: email(), role: 'owner' } })).status).toBe(403);
    expect((await admin.json(`/v1/users/${ownerId}`, { method: 'PATCH', json: { name: 'Renamed' } })).status).toBe(403);
    expect((await admin.json(`/v1/users/${ownerId}`, { method: 'DELETE' })).status).toBe(403);
    const member = await admin.json('/v1/users', { method: 'POST', json: { email: email(), role: 'member' } });
    expect(member.status).toBe(201);
    expect((await admin.json(`/v1/users/${member.body.id}`, { method: 'PATCH', json: { role: 'owner' } })).status).toBe(403);
    const analyst = await admin.json(`/v1/users/${member.body.id}`, { method: 'PATCH', json: { role: 'analyst', name: 'Ana' } });
    expect(analyst.body).toMatchObject({ role: 'analyst', name: 'Ana' });
    expect((await admin.json(`/v1/users/${member.body.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await admin.json(`/v1/users/${member.body.id}`)).status).toBe(404);
    // Members, analysts and publishers are refused the user routes altogether.
    const memberUser = email();
    await server.addUser({ email: memberUser, role: 'member' }, PASSWORD);
    const asMember = await server.signIn(memberUser, PASSWORD);
    expect((await asMember.json('/v1/users')).status).toBe(403);

    // The owner may, but never leaves the account without an active owner.
    expect((await owner.json(`/v1/users/${ownerId}`, { method: 'PATCH', json: { role: 'admin' } })).status).toBe(409);
    expect((await owner.json(`/v1/users/${ownerId}`, { method: 'DELETE' })).status).toBe(409);
    const adminId = (await admin.json('/v1/session')).body.user.id;
    expect((await owner.json(`/v1/users/${adminId}`, { method: 'PATCH', json: { role: 'owner' } })).body.role).toBe('owner');
    // The promotion ended the admin's sessions: what it may do changed.
    expect((await admin.json('/v1/session')).status).toBe(401);
    expect((await owner.json(`/v1/users/${adminId}`, { method: 'PATCH', json: { role: 'admin' } })).body.role).toBe('admin');
  });

  it('refuses a second user with the same e-mail, whatever its case, with 409', async () => {
    const address = email();
    expect((await owner.json('/v1/users', { method: 'POST', json: { email: address, role: 'member' } })).status).toBe(201);
    const again = await owner.json('/v1/users', { method: 'POST', json: { email: address.toUpperCase(), role: 'member' } });
    expect(again.status).toBe(409);
    expect(again.body.error.issues[0].path).toBe('email');
  });

  it('gives a publisher user what its publisher key sees, and nothing of another publisher', async () => {
    const mine = (await server.json('/v1/publishers', { method: 'POST', json: { name: 'Portal publisher' } })).body;
    const other = (await server.json('/v1/publishers', { method: 'POST', json: { name: 'Other publisher' } })).body;
    expect((await owner.json('/v1/users', { method: 'POST', json: { email: email(), role: 'publisher' } })).body.error.issues[0].path).toBe('publisherId');
    expect((await owner.json('/v1/users', { method: 'POST', json: { email: email(), role: 'publisher', publisherId: 'pub_nobody' } })).status).toBe(422);
    const address = email();
    await server.addUser({ email: address, role: 'publisher', publisherId: mine.id }, PASSWORD);
    const portal = await server.signIn(address, PASSWORD);
    expect((await portal.json('/v1/session')).body.user).toMatchObject({ role: 'publisher', publisherId: mine.id });
    expect((await portal.json('/v1/publishers')).body.data.map((p: { id: string }) => p.id)).toEqual([mine.id]);
    expect((await portal.json(`/v1/publishers/${other.id}`)).status).toBe(404);
    expect((await portal.json('/v1/api-keys')).status).toBe(403);
  });

  it('disables a user: its sessions end and it cannot sign in until enabled again', async () => {
    const address = email();
    const { id } = await server.addUser({ email: address, role: 'member' }, PASSWORD);
    const session = await server.signIn(address, PASSWORD);
    expect((await owner.json(`/v1/users/${id}`, { method: 'PATCH', json: { disabled: true } })).body.status).toBe('disabled');
    expect((await session.json('/v1/session')).status).toBe(401);
    expect((await server.json('/v1/session', { method: 'POST', key: null, json: { email: address, password: PASSWORD } })).status).toBe(401);
    expect((await owner.json(`/v1/users/${id}`, { method: 'PATCH', json: { disabled: false } })).body.status).toBe('active');
    await server.signIn(address, PASSWORD);
  });

  it('resets a password by a link sent by e-mail, which ends every session and works once', async () => {
    const address = email();
    await server.addUser({ email: address, role: 'member' }, PASSWORD);
    const session = await server.signIn(address, PASSWORD);
    const sent = smtp.received.length;
    // An unknown e-mail is answered the same, and gets nothing.
    expect((await server.request('/v1/password-reset', { method: 'POST', key: null, json: { email: 'stranger@example.com' } })).status).toBe(202);
    expect((await server.request('/v1/password-reset', { method: 'POST', key: null, json: { email: address.toUpperCase() } })).status).toBe(202);
    // Reset e-mails only: an earlier e-mail, such as the user's own invite, may still arrive meanwhile.
    const resets = () => smtp.received.slice(sent).filter((mail) => mail.text.includes('/app/reset/'));
    await vi.waitFor(() => expect(resets().some((mail) => mail.rcptTo.includes(address))).toBe(true));
    const mails = resets();
    expect(mails.map((mail) => mail.rcptTo)).toEqual([[address]]);
    const link = /http:\/\/track\.waypost\.test\/app\/reset\/([0-9a-z]{43})/.exec(mails[0]!.text)![1]!;

    const complete = (token: string, password: string) => server.json('/v1/password-reset/complete', { method: 'POST', key: null, json: { token, password } });
    expect((await complete(link, 'password1')).status).toBe(422);
    expect((await complete(link, 'a new and longer passphrase')).status).toBe(204);
    expect((await complete(link, 'yet another passphrase here')).body.error.code).toBe('invalid_token');
    expect((await session.json('/v1/session')).status).toBe(401);
    expect((await server.json('/v1/session', { method: 'POST', key: null, json: { email: address, password: PASSWORD } })).status).toBe(401);
    await server.signIn(address, 'a new and longer passphrase');
  });

  it('lets a reset link expire after an hour', async () => {
    const address = email();
    await server.addUser({ email: address, role: 'analyst' }, PASSWORD);
    const sent = smtp.received.length;
    await server.request('/v1/password-reset', { method: 'POST', key: null, json: { email: address } });
    // Waited for by recipient and link: an earlier e-mail, such as the user's own invite, may still arrive meanwhile.
    const resetLink = () =>
      smtp.received
        .slice(sent)
        .filter((mail) => mail.rcptTo.includes(address))
        .map((mail) => /\/app\/reset\/([0-9a-z]{43})/.exec(mail.text)?.[1])
        .find((token) => token !== undefined);
    await vi.waitFor(() => expect(resetLink()).toBeDefined());
    const link = resetLink()!;
    server.clock.advance(3_600_000);
    const late = await server.json('/v1/password-reset/complete', { method: 'POST', key: null, json: { token: link, password: 'a new and longer passphrase' } });
    expect(late.status).toBe(422);
  });
});

describe.each(backends())('the users CLI on %s', (backend) => {
  it('creates users with a generated or a piped password and resets passwords, without SMTP', { timeout: 60_000 }, async () => {
    const databaseUrl = await freshDatabaseUrl(backend);
    const created = await cli(['users', 'create', '--email', 'ops@example.com', '--role', 'admin', '--name', 'Ops', '--database-url', databaseUrl]);
    expect(created.code).toBe(0);
    const generated = created.stdout;
    expect(generated).toMatch(/^[A-Za-z0-9]{20}$/);
    // One line is read and its line break dropped; nothing is printed.
    const piped = await cli(
      ['users', 'create', '--email', 'analyst@example.com', '--role', 'analyst', '--workspace', 'ws_first', '--password-stdin', '--database-url', databaseUrl],
      `${PASSWORD}\r\nignored\n`,
    );
    expect(piped).toMatchObject({ code: 0, stdout: '' });
    const weak = await cli(['users', 'create', '--email', 'weak@example.com', '--role', 'member', '--password-stdin', '--database-url', databaseUrl], 'password123\n');
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain('most common passwords');
    expect((await cli(['users', 'create', '--email', 'portal@example.com', '--role', 'publisher', '--database-url', databaseUrl])).stderr).toContain('--publisher ID is required');
    expect((await cli(['users', 'create', '--email', 'ops@example.com', '--role', 'member', '--database-url', databaseUrl])).stderr).toContain('exists');
    expect((await cli(['users', 'create', '--email', 'm@example.com', '--role', 'member', '--workspace', 'ws_nowhere', '--database-url', databaseUrl])).stderr).toContain('no workspace "ws_nowhere"');

    const reset = await cli(['users', 'reset-password', '--email', 'OPS@example.com', '--password-stdin', '--database-url', databaseUrl], 'the brand new passphrase\n');
    expect(reset).toMatchObject({ code: 0, stdout: '' });
    expect((await cli(['users', 'reset-password', '--email', 'nobody@example.com', '--database-url', databaseUrl])).stderr).toContain('no user');

    const server = await startTestServer(backend, { databaseUrl });
    try {
      expect((await server.json('/v1/session', { method: 'POST', key: null, json: { email: 'ops@example.com', password: generated } })).status).toBe(401);
      expect((await (await server.signIn('ops@example.com', 'the brand new passphrase')).json('/v1/session')).body.user).toMatchObject({ role: 'admin', name: 'Ops' });
      expect((await (await server.signIn('analyst@example.com', PASSWORD)).json('/v1/session')).body.user.role).toBe('analyst');
      expect((await server.store.users.findByEmail('analyst@example.com'))?.workspaceIds).toEqual(['ws_first']);
    } finally {
      await server.close();
    }
  });

  it('creates an owner on the first start and prints the console URL, its e-mail and its password', { timeout: 60_000 }, async () => {
    const { child, output, url } = await spawnServer(await freshDatabaseUrl(backend), 'start');
    try {
      expect(output).toContain(`Console:            ${url}/app/`);
      const emailAddress = /Owner e-mail:\s+(\S+)/.exec(output)![1]!;
      const password = /Owner password:\s+(\S+)/.exec(output)![1]!;
      const signIn = await fetch(`${url}/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: emailAddress, password }) });
      expect(signIn.status).toBe(200);
      expect(((await signIn.json()) as any).user.role).toBe('owner');
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  });
});
