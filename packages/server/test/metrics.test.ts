import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { createApiKey } from '../src/keys.js';
import { type RunningServer, startServer } from '../src/server.js';
import { backends, freshDatabaseUrl, LOOPBACK_RECEIVERS, startTestServer } from './support/harness.js';
import { type PostbackReceiver, startPostbackReceiver } from './support/receivers.js';

const TOKEN = 'metrics-token-0123456789abcdef';

type Labels = Record<string, string>;
interface Sample {
  name: string;
  labels: Labels;
  value: number;
}

/** The samples of a Prometheus text exposition; comment lines (# HELP, # TYPE) are skipped. */
function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels: Labels = {};
    for (const [, name, value] of match[2]?.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g) ?? []) labels[name!] = value!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The value of the one sample named `name` whose labels include `labels`; undefined when there is none. */
function valueOf(samples: Sample[], name: string, labels: Labels = {}): number | undefined {
  const found = samples.filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value));
  expect(found.length, `${name}${JSON.stringify(labels)} matches one sample at most`).toBeLessThanOrEqual(1);
  return found[0]?.value;
}

it('refuses a metrics token shorter than 16 characters at start, naming the variable', () => {
  expect(() => loadConfig({ WAYPOST_METRICS_TOKEN: 'secret' })).toThrow(/WAYPOST_METRICS_TOKEN: must be 16 to 200 characters without spaces/);
  expect(loadConfig({ WAYPOST_METRICS_TOKEN: TOKEN }).metricsToken).toBe(TOKEN);
});

describe.each(backends())('GET /metrics on %s', (backend) => {
  it('is off without WAYPOST_METRICS_TOKEN: 404, whatever token is sent', async () => {
    const server = await startTestServer(backend);
    try {
      expect((await server.request('/metrics', { key: null })).status).toBe(404);
      expect((await server.request('/metrics', { key: TOKEN })).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  describe('with a token', () => {
    let running: RunningServer;
    let url: string;
    let adminKey: string;
    let receiver: PostbackReceiver;
    beforeAll(async () => {
      receiver = await startPostbackReceiver();
      const config = loadConfig({
        WAYPOST_DATABASE_URL: await freshDatabaseUrl(backend),
        WAYPOST_PORT: '0',
        WAYPOST_METRICS_TOKEN: TOKEN,
        // A failed postback waits an hour for its retry, so that it is still pending when scraped.
        WAYPOST_DELIVERY_BACKOFF_MS: '3600000',
        ...LOOPBACK_RECEIVERS,
      });
      // The server as `waypost serve` runs it, so that the outbox dispatcher reports into the app's metrics.
      running = await startServer(config, { host: '127.0.0.1' });
      url = `http://127.0.0.1:${(running.server.address() as AddressInfo).port}`;
      adminKey = (await createApiKey({ store: running.store, clock: systemClock }, { role: 'admin', name: 'metrics test' })).key;
    });
    afterAll(async () => {
      await running?.close();
      await receiver?.close();
    });

    const request = (path: string, init: RequestInit & { key?: string | null; json?: unknown } = {}) => {
      const { key = adminKey, json, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (key) headers.set('authorization', `Bearer ${key}`);
      if (json !== undefined) headers.set('content-type', 'application/json');
      return fetch(`${url}${path}`, { ...rest, headers, redirect: 'manual', ...(json !== undefined ? { body: JSON.stringify(json) } : {}) });
    };
    const scrape = async () => {
      const response = await request('/metrics', { key: TOKEN });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      return parseExposition(await response.text());
    };

    it('refuses a missing or wrong token with 401', async () => {
      for (const key of [null, 'metrics-token-0123456789abcdeX', adminKey]) {
        const response = await request('/metrics', { key });
        expect(response.status).toBe(401);
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
        expect(response.headers.get('www-authenticate')).toBe('Bearer');
      }
    });

    it('counts requests by route pattern, clicks and conversions by outcome, refused postbacks by code, and the outbox', async () => {
      const before = await scrape();
      const count = (samples: typeof before, name: string, labels: Labels) => valueOf(samples, name, labels) ?? 0;

      const publisher = (await (await request('/v1/publishers', { method: 'POST', json: { name: 'Metrics publisher', postbackUrl: `${receiver.url}/pb?cid={click_id}` } })).json()) as { id: string };
      const created = await request('/v1/offers', { method: 'POST', json: { name: 'Metrics offer', url: 'https://shop.example.com/?cid={click_id}', payout: { model: 'cpa', amount: '5.00' } } });
      expect(created.status).toBe(201);
      const offer = (await created.json()) as { id: string; postbackToken: string };
      expect((await request('/v1/offers')).status).toBe(200);
      expect((await request('/v1/offers/off_doesnotexist')).status).toBe(404);

      const clickIds: string[] = [];
      for (let i = 0; i < 2; i++) {
        const response = await request(`/c/${offer.id}?pub=${publisher.id}`, { key: null });
        expect(response.status).toBe(302);
        clickIds.push(/waypost_cid=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')![1]!);
      }
      expect((await request('/c/off_doesnotexist', { key: null })).status).toBe(404);
      expect((await request('/no/such/path', { key: null })).status).toBe(404);

      // The publisher's tracker is down: the postback fails once and waits for its retry.
      receiver.failNext(1);
      const postback = (clickId: string, token = offer.postbackToken) => request(`/postback?click_id=${clickId}&token=${token}`, { key: null });
      expect((await postback(clickIds[0]!)).status).toBe(200);
      expect((await postback(clickIds[0]!)).status).toBe(200);
      expect((await postback(clickIds[1]!, 'not-the-token')).status).toBe(403);
      // The accepted conversion woke the dispatcher; this pass runs after the one sending it.
      await running.outbox.tick();
      expect(receiver.received.map((received) => received.answered)).toEqual([500]);

      const after = await scrape();
      const added = (name: string, labels: Labels) => count(after, name, labels) - count(before, name, labels);
      const requests = (method: string, route: string, status: number) => added('waypost_http_requests_total', { method, route, status: String(status) });
      expect(requests('GET', '/c/:offerId', 302)).toBe(2);
      expect(requests('GET', '/c/:offerId', 404)).toBe(1);
      expect(requests('GET', '/postback', 200)).toBe(2);
      expect(requests('GET', '/postback', 403)).toBe(1);
      expect(requests('POST', '/v1/offers', 201)).toBe(1);
      expect(requests('GET', '/v1/offers', 200)).toBe(1);
      expect(requests('GET', '/v1/offers/:id', 404)).toBe(1);
      expect(requests('GET', 'unmatched', 404)).toBe(1);
      expect(added('waypost_http_request_duration_seconds_count', { method: 'GET', route: '/c/:offerId' })).toBe(3);
      // Route patterns only: no id or path a visitor sent becomes a series.
      const routes = new Set(after.filter((sample) => sample.name === 'waypost_http_requests_total').map((sample) => sample.labels.route));
      for (const route of routes) expect(route).toMatch(/^(\/[\w/:|.-]*|unmatched)$/);
      expect([...routes].join(' ')).not.toMatch(new RegExp(`${offer.id}|off_doesnotexist|no/such`));

      expect(added('waypost_clicks_total', { source: 'redirect', outcome: 'accepted' })).toBe(2);
      expect(added('waypost_conversions_total', { channel: 'postback', outcome: 'accepted' })).toBe(1);
      expect(added('waypost_conversions_total', { channel: 'postback', outcome: 'duplicate' })).toBe(1);
      expect(added('waypost_postback_rejections_total', { channel: 'postback', reason: 'invalid_token' })).toBe(1);
      expect(added('waypost_outbox_attempts_total', { kind: 'postback', outcome: 'retry' })).toBe(1);
      expect(valueOf(after, 'waypost_outbox_pending', { kind: 'postback' })).toBe(1);
      expect(valueOf(after, 'waypost_outbox_pending', { kind: 'email' })).toBe(0);

      // Every commit is timed; on PostgreSQL each transaction is a batch of one.
      const commits = valueOf(after, 'waypost_db_commit_batch_size_count')!;
      expect(commits).toBeGreaterThan(count(before, 'waypost_db_commit_batch_size_count', {}));
      expect(valueOf(after, 'waypost_db_commit_duration_seconds_count')).toBe(commits);
      if (backend === 'postgres') expect(valueOf(after, 'waypost_db_commit_batch_size_sum')).toBe(commits);

      expect(valueOf(after, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
      expect(valueOf(after, 'nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);
    });

    it.runIf(backend === 'sqlite')('shows transactions queued in one turn of the event loop committed as one batch', async () => {
      const before = await scrape();
      const over4 = (samples: Sample[]) => valueOf(samples, 'waypost_db_commit_batch_size_count')! - valueOf(samples, 'waypost_db_commit_batch_size_bucket', { le: '4' })!;
      await Promise.all(Array.from({ length: 5 }, () => running.store.transaction(async () => {})));
      expect(over4(await scrape()) - over4(before)).toBe(1);
    });

    it('counts what the database refuses, by its error code', async () => {
      const code = backend === 'sqlite' ? 'SQLITE_CONSTRAINT_NOTNULL' : '23502';
      const before = valueOf(await scrape(), 'waypost_db_errors_total', { code }) ?? 0;
      await expect(running.store.settings.set('metrics-test', null as unknown as string)).rejects.toThrow();
      expect(valueOf(await scrape(), 'waypost_db_errors_total', { code })).toBe(before + 1);
    });
  });
});
