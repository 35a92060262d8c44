import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { pruneLogs, scheduleLogRetention } from '../src/engine/retention.js';
import { openPostgres } from '../src/storage/postgres/driver.js';
import type { DeliveryRecord, PostbackLogRecord, Store } from '../src/storage/store.js';
import { redactParams } from '../src/tracking/index.js';
import { testId } from './support/fixtures.js';
import { type Backend, backends, startTestServer, type TestServer } from './support/harness.js';

const DAY = 86_400_000;
/** README, Security: a postback-log entry keeps at most 4 KB of parameters. */
const MAX_PARAMS_BYTES = 4096;
const jsonBytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));
const randomText = (length: number) => randomBytes(Math.ceil(length / 2)).toString('hex').slice(0, length);

describe('what the postback log keeps of a request', () => {
  it('keeps at most 4 KB of 1,000 parameters of 1 KB each, the known ones first, and says how many it left out', () => {
    const input: Record<string, unknown> = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`extra${i}`, randomText(1024)]));
    Object.assign(input, { token: 'offer-secret', click_id: 'clk_1', status: 'approved' });
    const logged = redactParams(input);
    expect(jsonBytes(logged)).toBeLessThanOrEqual(MAX_PARAMS_BYTES);
    expect(Object.keys(logged).slice(0, 3)).toEqual(['token', 'click_id', 'status']);
    expect(logged).toMatchObject({ token: '[redacted]', click_id: 'clk_1', status: 'approved' });
    const kept = Object.keys(logged).length - 1;
    expect(logged['…']).toBe(`${1003 - kept} more parameters`);
    // The parameter that no longer fit whole is shortened, and marked so.
    expect(Object.values(logged).filter((value) => typeof value === 'string' && value.endsWith('…') && value.length < 257)).not.toHaveLength(0);
    expect(redactParams(input)).toEqual(logged);
  });

  it('counts the bytes of the stored JSON, escapes and multi-byte characters included', () => {
    for (const value of ['"'.repeat(256), '\u0001'.repeat(256), '😀'.repeat(128), 'é'.repeat(256)]) {
      const input = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`${value.slice(0, 20)}${i}`, value]));
      const logged = redactParams(input);
      const json = JSON.stringify(logged);
      expect(Buffer.byteLength(json)).toBeLessThanOrEqual(MAX_PARAMS_BYTES);
      expect(JSON.parse(json)).toEqual(logged);
      // No half of a surrogate pair is left behind by a cut.
      expect(json).not.toMatch(/\\ud[89a-f][0-9a-f]{2}/i);
    }
  });

  it('still redacts a nested token and keeps "__proto__" as data when the budget cuts', () => {
    const input = JSON.parse(
      `{"__proto__": {"token": "secret", "a": "1"}, ${Array.from({ length: 60 }, (_, i) => `"k${i}": "${'v'.repeat(200)}"`).join(', ')}}`,
    ) as Record<string, unknown>;
    const logged = redactParams(input);
    expect(Object.getPrototypeOf(logged)).toBe(Object.prototype);
    expect(JSON.stringify(logged)).toMatch(/^\{"__proto__":\{"token":"\[redacted\]","a":"1"\},/);
    expect(JSON.stringify(logged)).not.toContain('secret');
    expect(jsonBytes(logged)).toBeLessThanOrEqual(MAX_PARAMS_BYTES);
  });

  it('leaves a small request as it was, without a note', () => {
    expect(redactParams({ click_id: 'c1', amount: '10.00', sub: 'x' })).toEqual({ click_id: 'c1', amount: '10.00', sub: 'x' });
  });
});

describe('WAYPOST_LOG_RETENTION_DAYS', () => {
  it('defaults to 90 days and must be a whole number of at least one day', () => {
    expect(loadConfig({}).logRetentionDays).toBe(90);
    expect(loadConfig({ WAYPOST_LOG_RETENTION_DAYS: '7' }).logRetentionDays).toBe(7);
    for (const value of ['0', '-1', '1.5', 'forever']) {
      expect(() => loadConfig({ WAYPOST_LOG_RETENTION_DAYS: value })).toThrow(ConfigError);
      expect(() => loadConfig({ WAYPOST_LOG_RETENTION_DAYS: value })).toThrow(/WAYPOST_LOG_RETENTION_DAYS/);
    }
  });
});

/** A JSON postback just under the 100 KB body limit, shaped to keep as much as the old log kept: 40 × 40 values. */
function hostilePostback(token: string, clickId: string): Record<string, unknown> {
  const nested = () => Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`n${i}`, randomText(40)]));
  return { ...Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`p${i}`, nested()])), click_id: clickId, token };
}

describe.each(backends())('the postback log on %s', (backend) => {
  let server: TestServer;
  let offer: { id: string; postbackToken: string };
  beforeAll(async () => {
    // Behind a trusted proxy, so that a test can choose the caller's address.
    server = await startTestServer(backend, { env: { WAYPOST_TRUST_PROXY: 'true' } });
    const created = await server.json('/v1/offers', {
      method: 'POST',
      json: { name: 'Retention offer', url: 'https://shop.example.com/?cid={click_id}', payout: { model: 'cpa', amount: '5.00' } },
    });
    expect(created.status).toBe(201);
    offer = created.body;
  });
  afterAll(() => server.close());

  async function click(): Promise<string> {
    const response = await server.request(`/c/${offer.id}`, { key: null });
    expect(response.status).toBe(302);
    return /waypost_cid=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')![1]!;
  }
  async function lastEntry(): Promise<PostbackLogRecord & { createdAt: string }> {
    const { body } = await server.json('/v1/postbacks?limit=1');
    return body.data[0];
  }

  it('keeps at most 4 KB of the parameters of a postback of nearly 100 KB', async () => {
    const clickId = await click();
    const response = await server.request('/postback', { key: null, method: 'POST', json: hostilePostback(offer.postbackToken, clickId) });
    expect(response.status).toBe(200);
    const entry = await lastEntry();
    expect(entry.clickId).toBe(clickId);
    expect(jsonBytes(entry.params)).toBeLessThanOrEqual(MAX_PARAMS_BYTES);
    expect(entry.params).toMatchObject({ click_id: clickId, token: '[redacted]', '…': expect.stringMatching(/^\d+ more parameters$/) });
  });

  it('stores only the network of a pixel or browser caller, and the full address of a server-to-server postback', async () => {
    const clickId = await click();
    await server.request(`/pixel.gif?click_id=${clickId}`, { key: null, headers: { 'x-forwarded-for': '203.0.113.77' } });
    expect(await lastEntry()).toMatchObject({ channel: 'pixel', ip: '203.0.113.0/24' });

    const browser = await server.request('/v1/conversions/browser', {
      key: null,
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'x-forwarded-for': '2001:db8:1234:5678::1' },
      body: JSON.stringify({ clickId: await click() }),
    });
    expect(browser.status).toBeLessThan(500);
    expect(await lastEntry()).toMatchObject({ channel: 'browser', ip: '2001:db8:1234::/48' });

    const postback = await server.request(`/postback?click_id=${clickId}&token=${offer.postbackToken}`, {
      key: null,
      headers: { 'x-forwarded-for': '198.51.100.23' },
    });
    expect(postback.status).toBe(200);
    expect(await lastEntry()).toMatchObject({ channel: 'postback', ip: '198.51.100.23' });
  });

  // 500 postbacks of 4 KB each through the whole tracking path: seconds on a busy machine, and none of it is timed.
  it('grows the database by a bounded amount under 500 such postbacks', { timeout: 120_000 }, async () => {
    const requests = 500;
    const reopen = () => startTestServer(backend, { databaseUrl: server.databaseUrl, clock: server.clock, env: { WAYPOST_TRUST_PROXY: 'true' } });
    await server.close();
    const before = await logSize(backend, server.databaseUrl);
    server = await reopen();
    const clickId = await click();
    const sent = Array.from({ length: requests }, () => hostilePostback(offer.postbackToken, clickId));
    // Ten at a time: the requests, not the client, should be what is measured.
    for (let start = 0; start < requests; start += 10) {
      const answers = await Promise.all(
        sent.slice(start, start + 10).map((json) => server.request('/postback', { key: null, method: 'POST', json })),
      );
      expect(answers.map((answer) => answer.status).filter((status) => status >= 500)).toEqual([]);
    }
    await server.close();
    const after = await logSize(backend, server.databaseUrl);
    server = await reopen();
    // Each entry is at most 4 KB of parameters and well under 1 KB of other columns and index entries; a row can
    // spill into a second page, so twice that bounds it. The old log took about 84 KB an entry here.
    expect(after - before).toBeLessThan(requests * 2 * (MAX_PARAMS_BYTES + 1024));
  });
});

/**
 * The bytes the postback log takes, with the server closed: on SQLite the whole database file (closing copies the
 * WAL back into it), on PostgreSQL the table with its TOAST and indexes.
 */
async function logSize(backend: Backend, databaseUrl: string): Promise<number> {
  if (backend === 'sqlite') {
    const path = fileURLToPath(databaseUrl.replace(/^file:/, 'file://'));
    return statSync(path).size + (existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0);
  }
  const driver = openPostgres(databaseUrl);
  try {
    const row = await driver.get<{ bytes: string }>("SELECT pg_total_relation_size('postback_log') AS bytes");
    return Number(row?.bytes);
  } finally {
    await driver.close();
  }
}

describe.each(backends())('log retention on %s', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend, { env: { WAYPOST_LOG_RETENTION_DAYS: '30' } });
  });
  afterAll(() => server.close());

  const logEntry = (createdAt: Date): PostbackLogRecord => ({
    id: testId('pbl_'),
    channel: 'postback',
    method: 'GET',
    params: { click_id: 'c1' },
    ip: '198.51.100.23',
    httpStatus: 200,
    outcome: 'accepted',
    reason: null,
    offerId: null,
    clickId: null,
    conversionId: null,
    createdAt,
  });
  const delivery = (status: DeliveryRecord['status'], createdAt: Date, updatedAt = createdAt): DeliveryRecord => ({
    id: testId('dlv_'),
    trigger: 'conversion',
    conversionId: testId('cnv_'),
    offerId: testId('off_'),
    publisherId: null,
    conversionStatus: 'approved',
    message: { kind: 'postback', url: 'https://tracker.example.com/pb' },
    status,
    attempts: status === 'pending' ? 3 : 1,
    nextAttemptAt: status === 'pending' ? updatedAt : null,
    lastAttemptAt: updatedAt,
    lastResponseStatus: status === 'delivered' ? 200 : 500,
    lastError: null,
    deliveredAt: status === 'delivered' ? updatedAt : null,
    createdAt,
    updatedAt,
  });
  const daysAgo = (days: number) => new Date(server.clock.now().getTime() - days * DAY);
  async function remaining(store: Store, logIds: string[], deliveryIds: string[]) {
    const log = (await store.postbackLog.list({}, { limit: 200 })).data.map((entry) => entry.id);
    const outbox = (await store.outbox.list({}, { limit: 200 })).data.map((entry) => entry.id);
    return { log: logIds.filter((id) => log.includes(id)), deliveries: deliveryIds.filter((id) => outbox.includes(id)) };
  }

  it('deletes only what is older than the retention, a batch per statement, and never a pending delivery', async () => {
    const old = [60, 45, 40, 35, 33, 32, 31].map((days) => logEntry(daysAgo(days)));
    const kept = [logEntry(daysAgo(30)), logEntry(daysAgo(29)), logEntry(daysAgo(1)), logEntry(daysAgo(0))];
    for (const entry of [...old, ...kept]) await server.store.postbackLog.insert(entry);
    const finished = [
      ...[90, 60, 45, 31].map((days) => delivery('delivered', daysAgo(days))),
      ...[50, 40, 32].map((days) => delivery('failed', daysAgo(days))),
    ];
    const keptDeliveries = [
      // Still being tried, however old: the prune must not lose a postback owed to a publisher.
      delivery('pending', daysAgo(90)),
      delivery('pending', daysAgo(40), daysAgo(35)),
      // Dated by when it finished, not by when it was made.
      delivery('failed', daysAgo(45), daysAgo(10)),
      delivery('delivered', daysAgo(2)),
    ];
    await server.store.transaction((tx) => tx.outbox.enqueue([...finished, ...keptDeliveries]));

    const calls: { table: string; limit: number; deleted: number }[] = [];
    const spy = <A extends [Date, number]>(table: string, fn: (...args: A) => Promise<number>) =>
      async (...args: A) => {
        const deleted = await fn(...args);
        calls.push({ table, limit: args[1], deleted });
        return deleted;
      };
    const store = {
      postbackLog: { deleteBefore: spy('postback_log', (before: Date, limit: number) => server.store.postbackLog.deleteBefore(before, limit)) },
      outbox: { deleteFinishedBefore: spy('outbox', (before: Date, limit: number) => server.store.outbox.deleteFinishedBefore(before, limit)) },
      campaignVisits: { pruneVisitors: (before: Date, limit: number) => server.store.campaignVisits.pruneVisitors(before, limit) },
    } as unknown as Store;

    const result = await pruneLogs({ ...server.context, store }, { batch: 3 });
    expect(result).toEqual({ postbackLog: 7, deliveries: 7, campaignVisitors: 0 });
    expect(calls).toEqual([
      { table: 'postback_log', limit: 3, deleted: 3 },
      { table: 'postback_log', limit: 3, deleted: 3 },
      { table: 'postback_log', limit: 3, deleted: 1 },
      { table: 'outbox', limit: 3, deleted: 3 },
      { table: 'outbox', limit: 3, deleted: 3 },
      { table: 'outbox', limit: 3, deleted: 1 },
    ]);
    const ids = (records: { id: string }[]) => records.map((record) => record.id);
    expect(await remaining(server.store, ids([...old, ...kept]), ids([...finished, ...keptDeliveries]))).toEqual({
      log: ids(kept),
      deliveries: ids(keptDeliveries),
    });
    // A second run finds nothing more.
    expect(await pruneLogs(server.context)).toEqual({ postbackLog: 0, deliveries: 0, campaignVisitors: 0 });
  });

  it('runs shortly after the server starts, and stops when asked', async () => {
    const old = logEntry(daysAgo(31));
    const recent = logEntry(daysAgo(1));
    const stale = delivery('delivered', daysAgo(31));
    await server.store.postbackLog.insert(old);
    await server.store.postbackLog.insert(recent);
    await server.store.transaction((tx) => tx.outbox.enqueue([stale]));

    const retention = scheduleLogRetention(server.context, { firstAfterMs: 0, everyMs: DAY });
    await vi.waitFor(async () => {
      expect(await remaining(server.store, [old.id, recent.id], [stale.id])).toEqual({ log: [recent.id], deliveries: [] });
    });
    await retention.stop();
  });
});
