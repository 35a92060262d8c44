import { type ChildProcess, execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { fencedBlock } from '../../../scripts/test-support/readme.js';
import { type Backend, backends, freshDatabaseUrl, runCli, spawnServer } from './support/harness.js';
import { findPgBin, isExecutable, SBIN, which } from './support/postgres.js';

/**
 * The README's backup and restore commands, run as written (read from the README, so that the two cannot drift): a
 * database seeded through the API is backed up while its server runs, changed afterwards, and restored once the
 * server has stopped; a server on the restored database must answer exactly as the original did at backup time,
 * and carry on from there. The servers are processes of their own, as in production: a restore in place under a
 * process that once had the SQLite file open would meet that process's handles on the old file.
 */
const README = fileURLToPath(new URL('../../../README.md', import.meta.url));
const BACKUP_MARKER = { postgres: 'pg_dump', sqlite: 'sqlite3 waypost.db' } as const;
const RESTORE_MARKER = { postgres: 'pg_restore', sqlite: 'cp backup.db' } as const;

const run = promisify(execFile);
const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((cleanup) => cleanup()));
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** Runs one README block in `sh -e`, so that a failing line fails the block; 60 s is ample for a few hundred rows. */
async function runBlock(block: string, cwd: string, env: Record<string, string>): Promise<void> {
  await run('sh', ['-ec', block], { cwd, env: { ...process.env, ...env }, timeout: 60_000 });
}

/** The sqlite3 command: WAYPOST_SQLITE3, else `sqlite3` on PATH or in the sbin folders, as scripts/lib/system-deps.mjs finds it. */
function findSqlite3(): string | undefined {
  const explicit = process.env.WAYPOST_SQLITE3;
  if (explicit) return isExecutable(explicit) ? explicit : undefined;
  return which('sqlite3', SBIN);
}

/** The SQLite blocks need the sqlite3 command; without it outside CI that half is skipped, as PostgreSQL is. */
function runnable(backend: Backend): boolean {
  if (backend === 'postgres' || findSqlite3()) return true;
  const reason = 'no sqlite3 command (apt-get install -y sqlite3, or set WAYPOST_SQLITE3)';
  // Never skipped in CI: there the README's SQLite backup must be tested.
  if (process.env.CI === 'true') throw new Error(reason);
  console.warn(`[backup-restore] ${reason}: the README's SQLite backup is not tested.`);
  return false;
}

interface Server {
  url: string;
  /** A request with the admin key unless `key` is given (`null` sends none); the JSON answer parsed. */
  json(path: string, init?: { key?: string | null; method?: string; json?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Headers }>;
  /** SIGTERM, as `systemctl stop` sends; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** `waypost serve` in a process of its own on `databaseUrl`, with `key` as its admin key. */
async function serve(databaseUrl: string, key: string): Promise<Server> {
  const { child, url } = await spawnServer(databaseUrl);
  children.push(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    url,
    async json(path, { key: given, method, json, headers = {} } = {}) {
      const auth = given === undefined ? key : given;
      const response = await fetch(`${url}${path}`, {
        method: method ?? 'GET',
        redirect: 'manual',
        headers: { ...headers, ...(auth ? { authorization: `Bearer ${auth}` } : {}), ...(json !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
      });
      const text = await response.text();
      return { status: response.status, body: text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text, headers: response.headers };
    },
    stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Everything the API answers about the seeded account. */
async function snapshot(server: Server, day: { from: string; to: string }) {
  const read = async (path: string) => {
    const response = await server.json(path);
    expect(response.status, path).toBe(200);
    return response.body;
  };
  return {
    offers: await read('/v1/offers?limit=500'),
    publishers: await read('/v1/publishers?limit=500'),
    clicks: await read('/v1/clicks?limit=500'),
    conversions: await read('/v1/conversions?limit=500'),
    postbackLog: await read('/v1/postbacks?limit=500'),
    report: await read(`/v1/reports?from=${day.from}&to=${day.to}&groupBy=offer,publisher`),
  };
}

describe.each(backends())('the README backup and restore on %s', (backend) => {
  it.runIf(runnable(backend))('restores offers, conversions and report totals, and takes a postback for a click made before the backup', { timeout: 90_000 }, async () => {
    const databaseUrl = await freshDatabaseUrl(backend);
    const key = await runCli(['keys', 'create', '--role', 'admin'], { WAYPOST_DATABASE_URL: databaseUrl });
    const source = await serve(databaseUrl, key);
    // The servers run on the real clock: a report from yesterday to tomorrow holds everything, even across midnight.
    const now = Date.now();
    const day = { from: new Date(now - 86_400_000).toISOString().slice(0, 10), to: new Date(now + 86_400_000).toISOString().slice(0, 10) };

    const publisher = (await source.json('/v1/publishers', { method: 'POST', json: { name: 'Backed-up publisher' } })).body;
    const offer = async (json: Record<string, unknown>) => {
      const response = await source.json('/v1/offers', { method: 'POST', json: { url: 'https://shop.example.com/?cid={click_id}', ...json } });
      expect(response.status).toBe(201);
      return response.body as { id: string; postbackToken: string };
    };
    const fixed = await offer({ name: 'Fixed payout', payout: { model: 'cpa', amount: '12.50' } });
    const share = await offer({ name: 'Revenue share', payout: { model: 'cps', percent: '10' }, approval: { defaultStatus: 'pending' } });
    const click = async (server: Server, offerId: string, country: string) => {
      const response = await server.json(`/c/${offerId}?pub=${publisher.id}&sub1=spring`, { key: null, headers: { 'cf-ipcountry': country } });
      expect(response.status).toBe(302);
      return /waypost_cid=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')![1]!;
    };
    const postback = (server: Server, query: string) => server.json(`/postback?${query}`, { key: null });

    const [sold, alsoSold, later] = [await click(source, fixed.id, 'DE'), await click(source, fixed.id, 'FR'), await click(source, fixed.id, 'DE')];
    const shared = await click(source, share.id, 'US');
    const first = await postback(source, `click_id=${sold}&amount=49.90&transaction_id=T-1&token=${fixed.postbackToken}`);
    expect(first.body.status).toBe('accepted');
    expect((await postback(source, `click_id=${alsoSold}&amount=20.00&transaction_id=T-2&token=${fixed.postbackToken}`)).body.status).toBe('accepted');
    expect((await postback(source, `click_id=${shared}&amount=80.00&transaction_id=S-1&token=${share.postbackToken}`)).body.status).toBe('accepted');
    expect((await postback(source, `click_id=${sold}&token=wrong`)).status).toBe(403);
    const before = await snapshot(source, day);
    expect(before.report.totals).toMatchObject({ clicks: 4, conversions: { approved: 2, pending: 1 }, payout: '33.00' });

    const databaseDir = backend === 'sqlite' ? dirname(databaseUrl.slice('file:'.length)) : mkdtempSync(join(tmpdir(), 'waypost-dump-'));
    if (backend === 'postgres') cleanups.push(() => rmSync(databaseDir, { recursive: true, force: true }));
    const admin = backend === 'postgres' ? new URL(inject('pgAdminUrl')) : undefined;
    const env: Record<string, string> = {
      WAYPOST_DATABASE_URL: databaseUrl,
      // The README's blocks call pg_dump, pg_restore, createdb and sqlite3 by name.
      PATH: [findPgBin(), backend === 'sqlite' ? dirname(findSqlite3()!) : undefined, process.env.PATH].filter(Boolean).join(delimiter),
      ...(admin ? { PGHOST: admin.hostname, PGPORT: admin.port, PGUSER: admin.username } : {}),
    };

    // The backup is taken while the server runs, and the write after it must not come back.
    await runBlock(fencedBlock(README, 'sh', BACKUP_MARKER[backend]), databaseDir, env);
    expect((await postback(source, `click_id=${later}&amount=5.00&transaction_id=T-late&token=${fixed.postbackToken}`)).body.status).toBe('accepted');
    expect(await source.stop()).toBe(0);

    let restoredUrl = databaseUrl;
    if (backend === 'postgres') {
      // The README restores as the server's own role, `waypost`, which owns the new database.
      const client = new pg.Client({ connectionString: admin!.toString() });
      await client.connect();
      try {
        await client.query("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'waypost') THEN CREATE ROLE waypost LOGIN; END IF; END $$");
        await client.query('DROP DATABASE IF EXISTS waypost_restored');
      } finally {
        await client.end();
      }
      const url = new URL(admin!);
      url.username = 'waypost';
      url.pathname = '/waypost_restored';
      restoredUrl = url.toString();
    }
    await runBlock(fencedBlock(README, 'sh', RESTORE_MARKER[backend]), databaseDir, env);
    if (backend === 'sqlite') expect(existsSync(join(databaseDir, 'waypost.db-wal'))).toBe(false);

    const restored = await serve(restoredUrl, key);
    expect(await snapshot(restored, day)).toEqual(before);
    expect((await restored.json('/healthz', { key: null })).body).toMatchObject({ status: 'ok' });
    // Dedupe keys came back with the rows: a network's retry of a booked sale is still a duplicate.
    const retry = await postback(restored, `click_id=${sold}&amount=49.90&transaction_id=T-1&token=${fixed.postbackToken}`);
    expect(retry.body).toEqual({ status: 'duplicate', conversionId: first.body.conversionId });
    const resumed = await postback(restored, `click_id=${later}&amount=5.00&transaction_id=T-late&token=${fixed.postbackToken}`);
    expect(resumed.body.status).toBe('accepted');
    expect((await restored.json(`/v1/conversions/${resumed.body.conversionId}`)).body).toMatchObject({ clickId: later, publisherId: publisher.id, payout: '12.50', status: 'approved' });
    await click(restored, share.id, 'GB');
    const report = await restored.json(`/v1/reports?from=${day.from}&to=${day.to}`);
    expect(report.body.totals).toMatchObject({ clicks: 5, conversions: { approved: 3, pending: 1 }, payout: '45.50' });
    expect(await restored.stop()).toBe(0);
  });
});
