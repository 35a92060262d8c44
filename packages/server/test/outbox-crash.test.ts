import { once } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { systemClock } from '../src/clock.js';
import { createApiKey } from '../src/keys.js';
import { openStore } from '../src/storage/index.js';
import { offerRecord, publisherRecord } from './support/fixtures.js';
import { backends, freshDatabaseUrl, spawnServer } from './support/harness.js';
import { freePort, startPostbackReceiver } from './support/receivers.js';

// Retries come fast here so that the test does not wait: the first after 200 ms, none more than 500 ms apart.
const ENV = {
  WAYPOST_DELIVERY_ATTEMPTS: '100',
  WAYPOST_DELIVERY_BACKOFF_MS: '200',
  WAYPOST_DELIVERY_BACKOFF_MAX_MS: '500',
  WAYPOST_DELIVERY_TIMEOUT_MS: '1000',
  WAYPOST_DELIVERY_POLL_MS: '100',
};

describe.each(backends())('the outbox on %s', (backend) => {
  it('delivers every pending postback after the server is killed with SIGKILL and started again', { timeout: 90_000 }, async () => {
    const databaseUrl = await freshDatabaseUrl(backend);
    const port = await freePort();
    const store = openStore(databaseUrl);
    await store.migrate();
    const publisher = publisherRecord({ postbackUrl: `http://127.0.0.1:${port}/pb?tx={transaction_id}&status={status}`, postbackSecret: 'crash-test-secret-0123' });
    const offer = offerRecord();
    await store.publishers.insert(publisher);
    await store.offers.insert(offer);
    const { key } = await createApiKey({ store, clock: systemClock }, { role: 'admin', name: 'crash test' });
    await store.close();
    const api = (url: string, path: string, init: RequestInit = {}) =>
      fetch(`${url}${path}`, { ...init, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' } });
    const deliveries = async (url: string) => ((await (await api(url, '/v1/deliveries?limit=500')).json()) as { data: any[] }).data;

    // The tracker is down: every try fails and the deliveries wait in the outbox for their next try.
    const first = await spawnServer(databaseUrl, 'serve', ENV);
    for (let i = 0; i < 5; i++) {
      const booked = await api(first.url, '/v1/transactions', { method: 'POST', body: JSON.stringify({ publisherId: publisher.id, offerId: offer.id, amount: '10.00', transactionId: `K-${i}` }) });
      expect(booked.status).toBe(201);
    }
    await vi.waitFor(
      async () => {
        const pending = await deliveries(first.url);
        expect(pending).toHaveLength(5);
        for (const delivery of pending) expect(delivery).toMatchObject({ status: 'pending', attempts: expect.any(Number), lastError: expect.stringMatching(/ECONNREFUSED/) });
      },
      { timeout: 15_000, interval: 100 },
    );
    first.child.kill('SIGKILL');
    await once(first.child, 'exit');

    // The tracker is back and the server starts again on the same database: everything waiting goes out.
    const receiver = await startPostbackReceiver(port);
    const second = await spawnServer(databaseUrl, 'serve', ENV);
    try {
      await vi.waitFor(
        async () => {
          const sent = await deliveries(second.url);
          expect(sent.map((delivery) => delivery.status)).toEqual(Array(5).fill('delivered'));
        },
        { timeout: 30_000, interval: 200 },
      );
      const ids = receiver.received.map((request) => request.headers['x-waypost-delivery']);
      expect(ids).toHaveLength(5);
      expect(new Set(ids).size).toBe(5);
      expect(receiver.received.map((request) => new URL(request.url).searchParams.get('tx')).sort()).toEqual(['K-0', 'K-1', 'K-2', 'K-3', 'K-4']);
    } finally {
      second.child.kill('SIGTERM');
      await once(second.child, 'exit');
      await receiver.close();
    }
  });
});
