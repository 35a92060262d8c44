import { existsSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashSecret } from '../src/http/auth.js';
import { backends, freshDatabaseUrl, spawnServer, startTestServer, type TestServer } from './support/harness.js';

const PASSWORD = 'correct horse battery staple';
const HOUR = 3_600_000;

/** Everything the database holds, as text: the SQLite file and its WAL, or every row of the account tables. */
async function databaseText(databaseUrl: string): Promise<string> {
  if (databaseUrl.startsWith('file:')) {
    const file = databaseUrl.slice('file:'.length);
    return [file, `${file}-wal`].filter(existsSync).map((path) => readFileSync(path).toString('latin1')).join('');
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const tables = ['users', 'user_workspaces', 'sessions', 'account_tokens', 'sign_in_attempts', 'audit_log'];
    return JSON.stringify(await Promise.all(tables.map(async (table) => (await client.query(`SELECT * FROM ${table}`)).rows)));
  } finally {
    await client.end();
  }
}

describe.each(backends())('sign-in sessions on %s', (backend) => {
  let server: TestServer;
  let users = 0;
  /** A new active user (member unless said otherwise) with PASSWORD. */
  const newUser = async (role = 'owner') => {
    users += 1;
    const email = `person${users}@example.com`;
    const { id } = await server.addUser({ email, role }, PASSWORD);
    return { id, email };
  };

  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());
  // Each test starts past the throttle's window of the one before.
  beforeEach(() => server.clock.advance(HOUR));

  it('signs in with e-mail and password, sets an HttpOnly SameSite=Lax cookie holding only a random token, and says who is signed in', async () => {
    const { id, email } = await newUser('analyst');
    const response = await server.request('/v1/session', { method: 'POST', key: null, json: { email: email.toUpperCase(), password: PASSWORD } });
    expect(response.status).toBe(200);
    const cookie = response.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^waypost_session=[0-9a-z]{43}; Max-Age=604800; Expires=[^;]+; Path=\/; HttpOnly; SameSite=Lax$/);
    const body = (await response.json()) as any;
    expect(body).toMatchObject({ user: { id, email, role: 'analyst', publisherId: null }, workspaces: expect.any(Array), csrfToken: expect.any(String) });
    // Idle for 12 hours ends it first.
    expect(body.expiresAt).toBe(new Date(server.clock.now().getTime() + 12 * HOUR).toISOString());

    const token = /waypost_session=([^;]+)/.exec(cookie)![1]!;
    const me = await server.json('/v1/session', { key: null, headers: { cookie: `waypost_session=${token}` } });
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(id);
    expect(me.body.csrfToken).toBe(body.csrfToken);
    expect(me.body.csrfToken).not.toContain(token);

    // The database holds the token's hash and the password's scrypt hash, never either in clear.
    const session = await server.store.sessions.findByTokenHash(hashSecret(token));
    expect(session?.user.id).toBe(id);
    expect(await server.store.sessions.findByTokenHash(token)).toBeUndefined();
    expect(session!.user.passwordHash).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$/);
    // A pending invite's link is stored as a hash too.
    const invited = await server.json('/v1/users', { method: 'POST', json: { email: `invited${users}@example.com`, role: 'member' } });
    const inviteToken = String(invited.body.inviteUrl).split('/').pop()!;
    const stored = await databaseText(server.databaseUrl);
    expect(stored).toContain(hashSecret(token));
    for (const secret of [token, PASSWORD, inviteToken]) expect(stored).not.toContain(secret);
  });

  it('describes the session routes and the cookie in /openapi.json', async () => {
    const spec = (await server.json('/openapi.json', { key: null })).body;
    expect(spec.components.securitySchemes.session).toMatchObject({ type: 'apiKey', in: 'cookie', name: 'waypost_session' });
    expect(spec.paths['/v1/session'].post).toMatchObject({ security: [], 'x-waypost-access': 'public' });
    expect(spec.paths['/v1/session'].get['x-waypost-access']).toBe('self');
    for (const path of ['/v1/sessions', '/v1/invites/accept', '/v1/password-reset', '/v1/password-reset/complete', '/v1/users', '/v1/users/{id}']) {
      expect(spec.paths).toHaveProperty([path]);
    }
  });

  it('refuses a wrong password and an unknown e-mail alike, with 401', async () => {
    const { email } = await newUser();
    for (const json of [{ email, password: 'not the password' }, { email: 'nobody@example.com', password: PASSWORD }]) {
      const response = await server.json('/v1/session', { method: 'POST', key: null, json });
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe('invalid_credentials');
      expect(response.headers.get('set-cookie')).toBeNull();
    }
  });

  it('marks the cookie Secure when the public URL is https', async () => {
    const https = await startTestServer(backend, { env: { WAYPOST_PUBLIC_URL: 'https://track.example.com' } });
    try {
      await https.addUser({ email: 'secure@example.com', role: 'owner' }, PASSWORD);
      const response = await https.request('/v1/session', { method: 'POST', key: null, json: { email: 'secure@example.com', password: PASSWORD } });
      expect(response.headers.get('set-cookie')).toMatch(/; Path=\/; Secure; HttpOnly; SameSite=Lax$/);
    } finally {
      await https.close();
    }
  });

  it('refuses a state-changing request made with the cookie but without the CSRF token, with 403 csrf_failed', async () => {
    const { email } = await newUser('owner');
    const session = await server.signIn(email, PASSWORD);
    const publisher = { name: 'CSRF publisher' };
    for (const token of [null, 'wrong', `${session.csrfToken}x`]) {
      const headers: Record<string, string> = token === null ? {} : { 'x-csrf-token': token };
      // signIn's json() sends the right token unless told another; without one, send the cookie by hand.
      const refused =
        token === null
          ? await server.json('/v1/publishers', { method: 'POST', key: null, headers: { cookie: session.cookie }, json: publisher })
          : await session.json('/v1/publishers', { method: 'POST', headers, json: publisher });
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('csrf_failed');
    }
    expect((await server.json('/v1/publishers?q=CSRF')).body.data).toEqual([]);
    // Reads need no token; a write with it goes through.
    expect((await server.json('/v1/publishers', { key: null, headers: { cookie: session.cookie } })).status).toBe(200);
    expect((await session.json('/v1/publishers', { method: 'POST', json: publisher })).status).toBe(201);
  });

  it('lets a Bearer key win over a cookie: no CSRF token needed, and a bad key is refused even with a good cookie', async () => {
    const { email } = await newUser('owner');
    const session = await server.signIn(email, PASSWORD);
    const withKey = await server.json('/v1/publishers', { method: 'POST', headers: { cookie: session.cookie }, json: { name: 'Bearer wins' } });
    expect(withKey.status).toBe(201);
    const badKey = await server.json('/v1/publishers', { key: 'wp_sk_notakey', headers: { cookie: session.cookie } });
    expect(badKey.status).toBe(401);
  });

  it('ends a session idle for 12 hours, and slides the idle timeout with use', async () => {
    const { email } = await newUser();
    const session = await server.signIn(email, PASSWORD);
    for (let i = 0; i < 3; i++) {
      server.clock.advance(11 * HOUR);
      expect((await session.json('/v1/session')).status).toBe(200);
    }
    server.clock.advance(12 * HOUR);
    const ended = await session.json('/v1/session');
    expect(ended.status).toBe(401);
    expect(ended.body.error.code).toBe('unauthorized');
    // The browser is told to forget the cookie.
    expect(ended.headers.get('set-cookie')).toMatch(/^waypost_session=; Max-Age=0;/);
  });

  it('ends a session 7 days after the sign-in however much it is used', async () => {
    const { email } = await newUser();
    const signedInAt = server.clock.now().getTime();
    const session = await server.signIn(email, PASSWORD);
    while (server.clock.now().getTime() + 11 * HOUR < signedInAt + 7 * 24 * HOUR) {
      server.clock.advance(11 * HOUR);
      expect((await session.json('/v1/session')).status).toBe(200);
    }
    server.clock.set(new Date(signedInAt + 7 * 24 * HOUR));
    expect((await session.json('/v1/session')).status).toBe(401);
  });

  it('signs out one session with DELETE /v1/session and every session with DELETE /v1/sessions', async () => {
    const { email } = await newUser('analyst');
    const [first, second, third] = [await server.signIn(email, PASSWORD), await server.signIn(email, PASSWORD), await server.signIn(email, PASSWORD)];
    const signOut = await server.request('/v1/session', { method: 'DELETE', key: null, headers: { cookie: first.cookie, 'x-csrf-token': first.csrfToken } });
    expect(signOut.status).toBe(204);
    expect(signOut.headers.get('set-cookie')).toMatch(/^waypost_session=; Max-Age=0;/);
    expect((await first.json('/v1/session')).status).toBe(401);
    expect((await second.json('/v1/session')).status).toBe(200);

    // Signing out needs the CSRF token too, so that another site cannot sign the user out.
    expect((await second.json('/v1/sessions', { method: 'DELETE', headers: { 'x-csrf-token': 'forged' } })).status).toBe(403);
    expect((await second.json('/v1/sessions', { method: 'DELETE' })).status).toBe(204);
    expect((await second.json('/v1/session')).status).toBe(401);
    expect((await third.json('/v1/session')).status).toBe(401);
  });

  it('changes its own password with the current one, ending the other sessions but not this one', async () => {
    const { email } = await newUser('analyst');
    const [current, other] = [await server.signIn(email, PASSWORD), await server.signIn(email, PASSWORD)];
    const wrong = await current.json('/v1/session/password', { method: 'PUT', json: { currentPassword: 'not my password', password: 'a brand new passphrase' } });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.issues[0].path).toBe('currentPassword');
    const changed = await current.json('/v1/session/password', { method: 'PUT', json: { currentPassword: PASSWORD, password: 'a brand new passphrase' } });
    expect(changed.status).toBe(204);
    expect((await current.json('/v1/session')).status).toBe(200);
    expect((await other.json('/v1/session')).status).toBe(401);
    expect((await server.json('/v1/session', { method: 'POST', key: null, json: { email, password: PASSWORD } })).status).toBe(401);
    await server.signIn(email, 'a brand new passphrase');
  });

  it('answers 429 with Retry-After after ten failed sign-ins for one e-mail within 15 minutes, even to the right password', async () => {
    const { email } = await newUser();
    for (let i = 0; i < 10; i++) {
      server.clock.advance(60_000);
      expect((await server.json('/v1/session', { method: 'POST', key: null, json: { email, password: `wrong password ${i}` } })).status).toBe(401);
    }
    const throttled = await server.json('/v1/session', { method: 'POST', key: null, json: { email, password: PASSWORD } });
    expect(throttled.status).toBe(429);
    expect(throttled.body.error.code).toBe('too_many_attempts');
    // The first failure, 9 minutes ago, leaves the window in 6 minutes.
    expect(throttled.headers.get('retry-after')).toBe('360');
    server.clock.advance(360_000);
    expect((await server.json('/v1/session', { method: 'POST', key: null, json: { email, password: PASSWORD } })).status).toBe(200);
  });

  it('answers 429 after ten failed sign-ins from one address, whatever the e-mails', async () => {
    const { email } = await newUser();
    for (let i = 0; i < 10; i++) {
      expect((await server.json('/v1/session', { method: 'POST', key: null, json: { email: `guess${i}@example.com`, password: PASSWORD } })).status).toBe(401);
    }
    const throttled = await server.json('/v1/session', { method: 'POST', key: null, json: { email, password: PASSWORD } });
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBe(900);
  });

  it("counts each client address apart behind a trusted proxy, and starts an e-mail's count again after a sign-in", async () => {
    const proxied = await startTestServer(backend, { env: { WAYPOST_TRUST_PROXY: 'true' } });
    try {
      await proxied.addUser({ email: 'counted@example.com', role: 'member' }, PASSWORD);
      const attempt = (from: string, password: string) =>
        proxied.json('/v1/session', { method: 'POST', key: null, headers: { 'x-forwarded-for': from }, json: { email: 'counted@example.com', password } });
      for (let i = 0; i < 9; i++) expect((await attempt('198.51.100.1', 'wrong password')).status).toBe(401);
      expect((await attempt('198.51.100.1', PASSWORD)).status).toBe(200);
      // Nine more for the e-mail, from another address: without the reset, the e-mail would be refused at the tenth.
      for (let i = 0; i < 9; i++) expect((await attempt('198.51.100.2', 'wrong password')).status).toBe(401);
      expect((await attempt('198.51.100.2', PASSWORD)).status).toBe(200);
      // The first address keeps its nine: one more failure, and it is refused whatever the e-mail.
      expect((await attempt('198.51.100.1', 'wrong password')).status).toBe(401);
      expect((await attempt('198.51.100.1', PASSWORD)).status).toBe(429);
      expect((await attempt('198.51.100.3', PASSWORD)).status).toBe(200);
    } finally {
      await proxied.close();
    }
  });

  it('deletes ended sessions, anyone\'s, at the next sign-in, so that the table holds only what may still be used', async () => {
    const [first, second] = [await newUser(), await newUser()];
    const tokenOf = (session: { cookie: string }) => session.cookie.slice('waypost_session='.length);
    const signedOut = await server.signIn(first.email, PASSWORD);
    expect((await signedOut.json('/v1/session', { method: 'DELETE' })).status).toBe(204);
    const idle = await server.signIn(first.email, PASSWORD);
    server.clock.advance(12 * 3_600_000);
    const live = await server.signIn(second.email, PASSWORD);
    expect(await server.store.sessions.findByTokenHash(hashSecret(tokenOf(signedOut)))).toBeUndefined();
    expect(await server.store.sessions.findByTokenHash(hashSecret(tokenOf(idle)))).toBeUndefined();
    expect((await server.store.sessions.findByTokenHash(hashSecret(tokenOf(live))))?.user.id).toBe(second.id);
  });

  it('keeps the sign-in throttle bounded: attempts older than the window are pruned', async () => {
    for (let i = 0; i < 3; i++) await server.json('/v1/session', { method: 'POST', key: null, json: { email: 'old@example.com', password: 'x' } });
    server.clock.advance(16 * 60_000);
    await server.json('/v1/session', { method: 'POST', key: null, json: { email: 'new@example.com', password: 'x' } });
    const since = new Date(0);
    expect(await server.store.signInAttempts.recent('sign-in:email:' + hashSecret('old@example.com'), since, 100)).toEqual([]);
    expect(await server.store.signInAttempts.recent('sign-in:email:' + hashSecret('new@example.com'), since, 100)).toHaveLength(1);
  });
});

describe.each(backends())('the access log on %s', (backend) => {
  it('never prints the session cookie, the password or the token of a one-time link', { timeout: 60_000 }, async () => {
    const { child, url } = await spawnServer(await freshDatabaseUrl(backend), 'serve', { WAYPOST_ACCESS_LOG: 'true' });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const link = 'abcdefghijklmnopqrstuvwxyz0123456789abcdefg';
    const cookie = 'secretcookietoken0123456789abcdefghijklmnop';
    try {
      const signIn = await fetch(`${url}/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'x@example.com', password: PASSWORD }) });
      expect(signIn.status).toBe(401);
      // The console's invite page, and a call it makes (its address is the referrer).
      await (await fetch(`${url}/app/invite/${link}`)).text();
      await (await fetch(`${url}/v1/session`, { headers: { cookie: `waypost_session=${cookie}`, referer: `${url}/app/reset/${link}` } })).text();
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    expect(output).toContain('"POST /v1/session HTTP/1.1" 401');
    expect(output).toContain('"GET /app/invite/REDACTED HTTP/1.1"');
    expect(output).toContain('/app/reset/REDACTED');
    for (const secret of [PASSWORD, link, cookie]) expect(output).not.toContain(secret);
  });
});
