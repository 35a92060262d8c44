import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readFxFeed, scheduleFxFeed } from '../src/fx/feed.js';
import { backends, freshDatabaseUrl, spawnServer, startTestServer, type TestServer } from './support/harness.js';

// A copy of the European Central Bank's eurofxref-daily.xml of 8 July 2022, served on loopback as the ECB serves it.
const DAILY = readFileSync(new URL('./support/eurofxref-daily.xml', import.meta.url));

/** The rates feed on loopback: the ECB file unless told otherwise, and a promise for each request it gets. */
async function startFeed() {
  const requests: { path: string; accept: string | undefined }[] = [];
  let reply: { status: number; body: string | Buffer } = { status: 200, body: DAILY };
  const waiters: { count: number; resolve: () => void }[] = [];
  const server: Server = createServer((req, res) => {
    requests.push({ path: req.url!, accept: req.headers.accept });
    res.writeHead(reply.status, { 'content-type': 'text/xml' }).end(reply.body);
    for (const waiter of waiters.filter((w) => requests.length >= w.count)) waiter.resolve();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/stats/eurofxref/eurofxref-daily.xml`,
    requests,
    answer(status: number, body: string | Buffer) {
      reply = { status, body };
    },
    /** Resolves once the feed has had `count` requests in all. */
    requested(count: number) {
      return requests.length >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve }));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe.each(backends())('the WAYPOST_FX_URL rates feed on %s', (backend) => {
  let feed: Awaited<ReturnType<typeof startFeed>>;
  let server: TestServer;
  beforeAll(async () => {
    feed = await startFeed();
    // Loopback is a private destination: the test server allows it (WAYPOST_ALLOW_PRIVATE_DESTINATIONS=true).
    server = await startTestServer(backend, { env: { WAYPOST_FX_URL: feed.url } });
  });
  afterAll(async () => {
    await server.close();
    await feed.close();
  });
  afterEach(() => feed.answer(200, DAILY));
  const rates = async () => Object.fromEntries((await server.json('/v1/fx-rates')).body.data.map((r: { currency: string; rate: string }) => [r.currency, r.rate]));

  it('stores the rates of an ECB file as the account currency needs them, and prices the sale that waited for one', async () => {
    const publisher = (await server.json('/v1/publishers', { method: 'POST', json: { name: 'Feed publisher' } })).body;
    const offer = (await server.json('/v1/offers', { method: 'POST', json: { name: 'Feed offer', url: 'https://shop.example.com/', payout: { model: 'cps', percent: '10' } } })).body;
    const click = await server.request(`/c/${offer.id}?pub=${publisher.id}`, { key: null });
    const clickId = /waypost_cid=([^;]+)/.exec(click.headers.get('set-cookie')!)![1];
    const sale = await server.json('/v1/conversions', { method: 'POST', json: { clickId, amount: '49.90', currency: 'EUR', transactionId: 'FEED-1' } });
    expect(sale.body).toMatchObject({ reason: 'fx_rate_missing', conversion: { awaitingFxRate: 'EUR' } });

    expect(await readFxFeed(server.context)).toEqual({ time: '2022-07-08', rates: 30, priced: 1 });
    expect(feed.requests.at(-1)).toEqual({ path: '/stats/eurofxref/eurofxref-daily.xml', accept: 'application/xml, text/xml' });
    // USD per unit: the euro's as the ECB gives it, the others crossed through the euro.
    expect(await rates()).toMatchObject({ EUR: '1.0163', GBP: '1.2015132707', JPY: '0.0073618254' });
    // 49.90 EUR × 1.0163 = 50.713370 USD; 10 % of it is 5.07.
    expect((await server.json(`/v1/conversions/${sale.body.conversionId}`)).body).toMatchObject({ payout: '5.07', fxRate: '1.0163', awaitingFxRate: null });
  });

  it('changes nothing when the feed answers an error or something that is not the ECB format, and says why', async () => {
    const before = await rates();
    feed.answer(503, 'maintenance');
    await expect(readFxFeed(server.context)).rejects.toThrow('the feed answered 503');
    feed.answer(200, '<!doctype html><title>Moved</title>');
    await expect(readFxFeed(server.context)).rejects.toThrow('the feed has no rates');
    feed.answer(200, Buffer.alloc(70_000, '<!-- long -->'));
    await expect(readFxFeed(server.context)).rejects.toThrow(/longer than 64 KB/);
    expect(await rates()).toEqual(before);
  });

  it('refuses a feed on loopback unless WAYPOST_ALLOW_PRIVATE_DESTINATIONS is true, without a request', async () => {
    const strict = await startTestServer(backend, { env: { WAYPOST_FX_URL: feed.url, WAYPOST_ALLOW_PRIVATE_DESTINATIONS: 'false' } });
    try {
      const asked = feed.requests.length;
      await expect(readFxFeed(strict.context)).rejects.toThrow(/destination refused: loopback address.*WAYPOST_ALLOW_PRIVATE_DESTINATIONS=true/);
      expect(feed.requests.length).toBe(asked);
      expect((await strict.json('/v1/fx-rates')).body.data).toEqual([]);
    } finally {
      await strict.close();
    }
  });

  it('reads the feed at once and then on its schedule, one line for each outcome', async () => {
    const lines: string[] = [];
    const errors: string[] = [];
    const asked = feed.requests.length;
    const schedule = scheduleFxFeed(server.context, { everyMs: 5, retryMs: 5, log: (line) => lines.push(line), onError: (line) => errors.push(line) });
    try {
      await feed.requested(asked + 2);
      feed.answer(500, 'down');
      await feed.requested(asked + 4);
    } finally {
      await schedule.stop();
    }
    expect(lines[0]).toBe('FX rates of 2022-07-08 stored from WAYPOST_FX_URL: 30 currencies');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(errors[0]).toMatch(/^FX rates from WAYPOST_FX_URL not read: the feed answered 500; trying again in \d+ s$/);
  });

  it('is read when the server starts with WAYPOST_FX_URL', async () => {
    let child: ChildProcess | undefined;
    try {
      const started = await spawnServer(await freshDatabaseUrl(backend), 'serve', { WAYPOST_FX_URL: feed.url });
      child = started.child;
      let output = started.output;
      if (!output.includes('FX rates of')) {
        await new Promise<void>((resolve) => {
          const onData = (chunk: Buffer) => {
            output += chunk.toString();
            if (output.includes('FX rates of')) resolve();
          };
          child!.stdout!.on('data', onData);
          child!.stderr!.on('data', onData);
        });
      }
      expect(output).toContain('FX rates of 2022-07-08 stored from WAYPOST_FX_URL: 30 currencies');
    } finally {
      child?.kill('SIGTERM');
    }
  });
});
