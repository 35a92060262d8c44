import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { inject } from 'vitest';
import { createApp } from '../../src/app.js';
import { type Clock, systemClock } from '../../src/clock.js';
import type { AppContext } from '../../src/context.js';
import type { CountryLookup } from '../../src/geo/geoip.js';
import { type Config, loadConfig } from '../../src/config.js';
import { createApiKey } from '../../src/keys.js';
import { listen } from '../../src/server.js';
import { ensureRollupTimezone } from '../../src/engine/reports.js';
import { openStore, type Store } from '../../src/storage/index.js';
import { createTestDatabase } from './postgres.js';

export type Backend = 'sqlite' | 'postgres';

/**
 * The databases every storage and HTTP test runs against. PostgreSQL is left out only when its binaries are missing
 * outside CI; under CI=true the global setup fails instead of skipping it.
 */
export function backends(): Backend[] {
  return inject('pgAdminUrl') ? ['sqlite', 'postgres'] : ['sqlite'];
}

const cleanups: (() => void)[] = [];
process.once('exit', () => cleanups.forEach((cleanup) => cleanup()));

/** A fresh, empty database URL: a real SQLite file in a temp folder, or a new database in the test cluster. */
export async function freshDatabaseUrl(backend: Backend): Promise<string> {
  if (backend === 'postgres') return createTestDatabase(inject('pgAdminUrl'));
  const dir = mkdtempSync(join(tmpdir(), 'waypost-test-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return `file:${join(dir, 'waypost.db')}`;
}

/** A clock the test moves by hand. */
export class TestClock implements Clock {
  constructor(private current = new Date('2026-03-01T12:00:00Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  set(at: string | Date): void {
    this.current = new Date(at);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export interface TestServer {
  url: string;
  context: AppContext;
  clock: TestClock;
  store: Store;
  config: Config;
  databaseUrl: string;
  adminKey: string;
  /** fetch against the server with the admin key unless `key` is given (`null` sends no key). */
  request(path: string, init?: RequestInit & { key?: string | null; json?: unknown }): Promise<Response>;
  /** request() that parses the JSON reply. */
  json<T = any>(path: string, init?: RequestInit & { key?: string | null; json?: unknown }): Promise<{ status: number; body: T; headers: Headers }>;
  /** `POST /v1/offers` with a unique name, a shop URL and a 1.00 CPA payout unless `fields` say otherwise; expects 201. */
  createOffer<T = { id: string; name: string; postbackToken: string }>(fields?: Record<string, unknown>): Promise<T>;
  /** `GET /c/:offerId?QUERY` as a desktop browser (`headers` may change that); expects the redirect. */
  click(offerId: string, options?: { query?: string; headers?: Record<string, string> }): Promise<{ clickId: string; location: string; cookie: string }>;
  /** A user made with the admin key (`POST /v1/users`) whose invite is accepted with `password`; expects success. */
  addUser(fields: { email: string; role: string; publisherId?: string; workspaceIds?: string[] }, password: string): Promise<{ id: string }>;
  /** `POST /v1/session`; expects 200. */
  signIn(email: string, password: string): Promise<SignedIn>;
  close(): Promise<void>;
}

/** A signed-in browser: its session cookie and CSRF token, and requests that send both and no API key. */
export interface SignedIn {
  cookie: string;
  csrfToken: string;
  userId: string;
  json: TestServer['json'];
}

/**
 * Test servers send postbacks to receivers on loopback, which the outbound policy refuses by default (README,
 * Security).
 */
export const LOOPBACK_RECEIVERS = { WAYPOST_ALLOW_PRIVATE_DESTINATIONS: 'true' };

/** A desktop browser's user agent: clicks from a test's own fetch ("node") would be classified as a bot. */
export const DESKTOP_BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';

/** A real server on port 0 over a real database, with an admin key. */
export async function startTestServer(
  backend: Backend,
  options: { databaseUrl?: string; clock?: TestClock; env?: Record<string, string>; log?: (error: unknown) => void; countryLookup?: CountryLookup } = {},
): Promise<TestServer> {
  const databaseUrl = options.databaseUrl ?? (await freshDatabaseUrl(backend));
  const store = openStore(databaseUrl);
  await store.migrate();
  const clock = options.clock ?? new TestClock();
  const config = loadConfig({ WAYPOST_DATABASE_URL: databaseUrl, WAYPOST_PUBLIC_URL: 'http://track.waypost.test', ...LOOPBACK_RECEIVERS, ...options.env });
  await ensureRollupTimezone({ store, config });
  const app = createApp({ store, config, clock, log: options.log ?? (() => {}), countryLookup: options.countryLookup });
  const server: Server = await listen(app, 0, '127.0.0.1');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { key: adminKey } = await createApiKey({ store, clock }, { role: 'admin', name: 'test admin' });

  const request: TestServer['request'] = (path, init = {}) => {
    const { key, json, ...rest } = init;
    const headers = new Headers(rest.headers);
    const auth = key === undefined ? adminKey : key;
    if (auth) headers.set('authorization', `Bearer ${auth}`);
    if (json !== undefined) headers.set('content-type', 'application/json');
    return fetch(`${url}${path}`, { ...rest, headers, ...(json !== undefined ? { body: JSON.stringify(json) } : {}), redirect: 'manual' });
  };
  const json: TestServer['json'] = async (path, init) => {
    const response = await request(path, init);
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
  };
  let offers = 0;
  return {
    url,
    context: { store, config, clock },
    clock,
    store,
    config,
    databaseUrl,
    adminKey,
    request,
    json,
    async createOffer<T>(fields: Record<string, unknown> = {}): Promise<T> {
      offers += 1;
      const json = { name: `Test offer ${offers}`, url: 'https://shop.example.com/lp?cid={click_id}', payout: { model: 'cpa', amount: '1.00' }, ...fields };
      const response = await request('/v1/offers', { method: 'POST', json });
      const body = await response.json();
      if (response.status !== 201) throw new Error(`POST /v1/offers answered ${response.status}: ${JSON.stringify(body)}`);
      return body as T;
    },
    async click(offerId, { query = '', headers = {} } = {}) {
      const response = await request(`/c/${offerId}${query ? `?${query.replace(/^[?&]/, '')}` : ''}`, { key: null, headers: { 'user-agent': DESKTOP_BROWSER, ...headers } });
      const cookie = response.headers.get('set-cookie') ?? '';
      const clickId = /waypost_cid=([^;]+)/.exec(cookie)?.[1];
      if (response.status !== 302 || !clickId) throw new Error(`GET /c/${offerId} answered ${response.status} without a click cookie`);
      return { clickId, location: response.headers.get('location')!, cookie };
    },
    async addUser(fields, password) {
      const invited = await json('/v1/users', { method: 'POST', json: fields });
      if (invited.status !== 201) throw new Error(`POST /v1/users answered ${invited.status}: ${JSON.stringify(invited.body)}`);
      const token = String(invited.body.inviteUrl).split('/').pop();
      const accepted = await json('/v1/invites/accept', { method: 'POST', key: null, json: { token, password } });
      if (accepted.status !== 200) throw new Error(`POST /v1/invites/accept answered ${accepted.status}: ${JSON.stringify(accepted.body)}`);
      return { id: invited.body.id };
    },
    async signIn(email, password) {
      const response = await request('/v1/session', { method: 'POST', key: null, json: { email, password } });
      const body = (await response.json()) as { csrfToken: string; user: { id: string } };
      if (response.status !== 200) throw new Error(`POST /v1/session answered ${response.status}: ${JSON.stringify(body)}`);
      const cookie = /waypost_session=[^;]*/.exec(response.headers.get('set-cookie') ?? '')![0];
      const signedIn: SignedIn = {
        cookie,
        csrfToken: body.csrfToken,
        userId: body.user.id,
        json: (path, init = {}) => {
          const headers = new Headers(init.headers);
          headers.set('cookie', cookie);
          if (!headers.has('x-csrf-token')) headers.set('x-csrf-token', body.csrfToken);
          return json(path, { ...init, key: null, headers });
        },
      };
      return signedIn;
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await store.close();
    },
  };
}

const SERVER_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Runs the `waypost` CLI from source in its own process; resolves to its trimmed standard output. */
export async function runCli(args: string[], env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: SERVER_ROOT,
    env: { ...process.env, ...env },
  });
  return stdout.trim();
}

/** Starts the `waypost` CLI (`serve` or `start`) in its own process on port 0; resolves once it listens. */
export function spawnServer(
  databaseUrl: string,
  command: 'serve' | 'start' = 'serve',
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; output: string; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', command, '--port', '0', '--database-url', databaseUrl], {
    cwd: SERVER_ROOT,
    env: { ...process.env, WAYPOST_PUBLIC_URL: '', ...LOOPBACK_RECEIVERS, ...env },
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve({ child, output, url: match[1]! });
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`waypost ${command} exited with ${code}:\n${output}`)));
  });
}

/**
 * Real server processes sharing one fresh database, and an admin key: two on PostgreSQL (what several processes
 * must survive), one on SQLite (embedded, made for one process). The caller kills `children`.
 */
export async function spawnSharedServers(backend: Backend): Promise<{ urls: string[]; adminKey: string; children: ChildProcess[] }> {
  const databaseUrl = await freshDatabaseUrl(backend);
  const store = openStore(databaseUrl);
  await store.migrate();
  const { key } = await createApiKey({ store, clock: systemClock }, { role: 'admin', name: 'server processes' });
  await store.close();
  const servers = await Promise.all(Array.from({ length: backend === 'postgres' ? 2 : 1 }, () => spawnServer(databaseUrl)));
  return { urls: servers.map((server) => server.url), adminKey: key, children: servers.map((server) => server.child) };
}
