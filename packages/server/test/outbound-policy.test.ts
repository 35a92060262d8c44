import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/keys.js';
import { classifyAddress } from '../src/outbox/addresses.js';
import { OutboxDispatcher } from '../src/outbox/dispatcher.js';
import { MAX_REPLY_BYTES, outboundGet, type Resolver } from '../src/outbox/outbound.js';
import { publisherRecord } from './support/fixtures.js';
import { backends, startTestServer, type TestServer } from './support/harness.js';
import { type PostbackReceiver, startPostbackReceiver } from './support/receivers.js';

const HOUR = 3_600_000;

describe('the outbound address classifier', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['fec0::1', 'private'],
    ['169.254.0.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.255', 'cgnat'],
    ['169.254.169.254', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['2001::1', 'reserved'],
    ['100::1', 'reserved'],
    ['::7f00:1', 'reserved'],
    ['not an address', 'reserved'],
    // IPv4-mapped, NAT64 and 6to4 forms reach the IPv4 address they carry.
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['[::ffff:10.0.0.1]', 'private'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['0:0:0:0:0:ffff:a9fe:a9fe', 'metadata'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['2002:c0a8:101::1', 'private'],
    // Public addresses.
    ['8.8.8.8', null],
    ['1.1.1.1', null],
    ['100.63.255.255', null],
    ['100.128.0.0', null],
    ['172.15.255.255', null],
    ['172.32.0.0', null],
    ['169.253.255.255', null],
    ['2606:4700:4700::1111', null],
    ['::ffff:8.8.8.8', null],
    ['64:ff9b::808:808', null],
    ['2002:808:808::1', null],
  ])('classifies %s as %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });
});

/** A receiver that answers `status` with a body of `size` bytes, and ends it only when `end` is set. */
async function startBodyReceiver(options: { status: number; head: string; size: number; end: boolean }) {
  const seen: { closedBeforeEnd: boolean }[] = [];
  const closed: Promise<boolean>[] = [];
  const server: Server = createServer((req, res) => {
    const entry = { closedBeforeEnd: false };
    seen.push(entry);
    closed.push(once(res, 'close').then(() => (entry.closedBeforeEnd = !res.writableFinished)));
    res.writeHead(options.status, { 'content-type': 'text/plain', ...(options.end ? { 'content-length': String(options.size) } : {}) });
    const filler = Buffer.alloc(16 * 1024, 'x');
    let written = Buffer.byteLength(options.head);
    res.write(options.head);
    while (written < options.size) {
      const chunk = filler.subarray(0, Math.min(filler.length, options.size - written));
      res.write(chunk);
      written += chunk.length;
    }
    if (options.end) res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    /** Whether the client closed the connection before the reply was finished, once it has closed. */
    closedBeforeEnd: (index: number) => closed[index]!,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe('an outbound request', () => {
  it('refuses a literal loopback address without connecting, unless private destinations are allowed', async () => {
    const receiver = await startPostbackReceiver();
    try {
      await expect(outboundGet(`${receiver.url}/pb`)).rejects.toMatchObject({ name: 'OutboundError', reason: 'destination refused: loopback address' });
      const port = new URL(receiver.url).port;
      await expect(outboundGet(`http://[::ffff:127.0.0.1]:${port}/pb`)).rejects.toMatchObject({ reason: 'destination refused: loopback address' });
      expect(receiver.received).toHaveLength(0);
      expect((await outboundGet(`${receiver.url}/pb`, { allowPrivate: true })).status).toBe(200);
      expect(receiver.received).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });

  it('answers a redirect as the reply, without following it', async () => {
    const target = await startPostbackReceiver();
    const redirecting = createServer((_req, res) => res.writeHead(302, { location: `${target.url}/elsewhere` }).end());
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    try {
      const reply = await outboundGet(`http://127.0.0.1:${(redirecting.address() as AddressInfo).port}/pb`, { allowPrivate: true });
      expect(reply.status).toBe(302);
      expect(target.received).toHaveLength(0);
    } finally {
      await new Promise((resolve) => redirecting.close(resolve));
      await target.close();
    }
  });

  it('reads at most 64 KB of a reply and closes the connection without waiting for the rest', async () => {
    const receiver = await startBodyReceiver({ status: 200, head: 'start', size: 1024 * 1024, end: false });
    try {
      const reply = await outboundGet(`${receiver.url}/big`, { allowPrivate: true, signal: AbortSignal.timeout(20_000) });
      expect(reply).toMatchObject({ status: 200, truncated: true });
      expect(reply.body.length).toBe(MAX_REPLY_BYTES);
      expect(reply.body.subarray(0, 5).toString()).toBe('start');
      expect(await receiver.closedBeforeEnd(0)).toBe(true);
    } finally {
      await receiver.close();
    }
  });
});

describe.each(backends())('the outbound policy on %s', (backend) => {
  let server: TestServer;
  let receiver: PostbackReceiver;
  beforeAll(async () => {
    // Private destinations off, as in production. Retries are due only when a test moves the clock, and each test
    // leaves no delivery pending, so that a pass sends only the test's own.
    server = await startTestServer(backend, {
      env: {
        WAYPOST_ALLOW_PRIVATE_DESTINATIONS: 'false',
        WAYPOST_DELIVERY_ATTEMPTS: '5',
        WAYPOST_DELIVERY_BACKOFF_MS: '1000',
        WAYPOST_DELIVERY_TIMEOUT_MS: '20000',
        WAYPOST_DELIVERY_POLL_MS: String(HOUR),
      },
    });
    receiver = await startPostbackReceiver();
  });
  afterAll(async () => {
    await server.close();
    await receiver.close();
  });

  let counter = 0;
  /** A conversion for a publisher whose postback URL is stored as given (as one saved while private destinations were allowed). */
  async function convertFor(postbackUrl: string) {
    counter += 1;
    const publisher = publisherRecord({ postbackUrl });
    await server.store.publishers.insert(publisher);
    const offer = await server.json('/v1/offers', { method: 'POST', json: { name: `Policy offer ${counter}`, url: 'https://shop.example.com/', payout: { model: 'cpa', amount: '5.00' } } });
    expect(offer.status).toBe(201);
    const conversion = await server.json('/v1/transactions', { method: 'POST', json: { publisherId: publisher.id, offerId: offer.body.id, amount: '10.00', transactionId: `T-${counter}` } });
    expect(conversion.status).toBe(201);
    const { key } = await createApiKey({ store: server.store, clock: server.clock }, { role: 'publisher', publisherId: publisher.id, name: 'tracker owner' });
    const deliveries = async (as: string = server.adminKey) => (await server.json(`/v1/deliveries?conversionId=${conversion.body.id}`, { key: as })).body.data as any[];
    return { publisher, key, deliveries };
  }
  const dispatcher = (options: ConstructorParameters<typeof OutboxDispatcher>[1] = {}) => new OutboxDispatcher(server.context, options, () => {});

  it('refuses a publisher postback to a loopback receiver while private destinations are off, and delivers it once they are allowed', async () => {
    const sent = receiver.received.length;
    const { key, deliveries } = await convertFor(`${receiver.url}/pb?tx={transaction_id}`);

    expect(await dispatcher().tick()).toMatchObject({ delivered: 0, retried: 1 });
    expect(receiver.received).toHaveLength(sent);
    const [admin] = await deliveries();
    expect(admin).toMatchObject({ status: 'pending', attempts: 1, lastResponseStatus: null });
    expect(admin.lastError).toMatch(/^destination refused: loopback address: 127\.0\.0\.1 is a loopback address; WAYPOST_ALLOW_PRIVATE_DESTINATIONS=true/);
    expect((await deliveries(key))[0].lastError).toBe('destination refused: loopback address');

    server.clock.advance(HOUR);
    expect(await dispatcher({ allowPrivateDestinations: true }).tick()).toMatchObject({ delivered: 1 });
    expect(receiver.received).toHaveLength(sent + 1);
    expect((await deliveries())[0]).toMatchObject({ status: 'delivered', attempts: 2, lastResponseStatus: 200, lastError: null });
  });

  it('refuses a host name that resolves to a loopback address, on the address it would connect to', async () => {
    const sent = receiver.received.length;
    const asked: string[] = [];
    // A name that the API cannot tell from a public one: only its resolution points at loopback.
    const resolve: Resolver = async (hostname) => {
      asked.push(hostname);
      return [{ address: '127.0.0.1', family: 4 }];
    };
    const host = `tracker.rebind.test:${new URL(receiver.url).port}`;
    const created = await server.json('/v1/publishers', { method: 'POST', json: { name: 'Rebinding publisher', postbackUrl: `http://${host}/pb?tx={transaction_id}` } });
    expect(created.status).toBe(201);
    const { deliveries, key } = await convertFor(created.body.postbackUrl);

    expect(await dispatcher({ resolve }).tick()).toMatchObject({ delivered: 0, retried: 1 });
    expect(asked).toEqual(['tracker.rebind.test']);
    expect(receiver.received).toHaveLength(sent);
    expect((await deliveries(key))[0]).toMatchObject({ status: 'pending', lastError: 'destination refused: loopback address' });

    // Allowed, the request goes to the very address the lookup gave: the name exists nowhere else.
    server.clock.advance(HOUR);
    expect(await dispatcher({ resolve, allowPrivateDestinations: true }).tick()).toMatchObject({ delivered: 1 });
    expect(receiver.received.at(-1)!.url).toMatch(new RegExp(`^http://${host}/pb\\?tx=T-`));
  });

  it('refuses macros in the scheme, host or port of an offer URL or a postback URL with a 422 naming the field', async () => {
    const offer = { name: 'Macro offer', payout: { model: 'cpa', amount: '5.00' } };
    const refused: [path: string, method: string, json: Record<string, unknown>, field: string][] = [
      ['/v1/offers', 'POST', { ...offer, url: 'https://{sub1}.shop.example/land' }, 'url'],
      ['/v1/offers', 'POST', { ...offer, url: 'https://shop.example:{sub2}/land' }, 'url'],
      ['/v1/offers', 'POST', { ...offer, url: 'http{sub1}://shop.example/land' }, 'url'],
      ['/v1/offers', 'POST', { ...offer, url: '{offer_static_url}' }, 'url'],
      ['/v1/offers', 'POST', { ...offer, url: 'https://shop.example{click_id}/land' }, 'url'],
      ['/v1/offers', 'POST', { ...offer, url: 'https://user:%7Bsub1%7D@shop.example/' }, 'url'],
      ['/v1/offers', 'POST', { ...offer, url: 'https:/\t/{sub1}.shop.example/' }, 'url'],
      ['/v1/offers', 'POST', { ...offer, url: 'https://shop.example/', staticUrl: 'https://{sub3}/' }, 'staticUrl'],
      ['/v1/publishers', 'POST', { name: 'Macro publisher', postbackUrl: 'https://{sub1}/pb?tx={transaction_id}' }, 'postbackUrl'],
      ['/v1/publishers', 'POST', { name: 'Macro publisher', postbackUrl: 'https://tracker.example:{payout}/pb' }, 'postbackUrl'],
    ];
    for (const [path, method, json, field] of refused) {
      const response = await server.json(path, { method, json });
      expect(response.status, JSON.stringify(json)).toBe(422);
      expect(response.body.error.issues).toContainEqual(expect.objectContaining({ path: field, message: expect.stringMatching(/macros may only fill the path, query and fragment/) }));
    }
    const publisher = await server.json('/v1/publishers', { method: 'POST', json: { name: 'Plain publisher', postbackUrl: 'https://tracker.example/pb' } });
    const patched = await server.json(`/v1/publishers/${publisher.body.id}`, { method: 'PATCH', json: { postbackUrl: 'https://{sub1}.tracker.example/pb' } });
    expect(patched.status).toBe(422);
    expect(patched.body.error.issues[0].path).toBe('postbackUrl');

    const allowed = await server.json('/v1/offers', { method: 'POST', json: { ...offer, url: 'https://shop.example/{sub1}/land?c={click_id}#{sub2}' } });
    expect(allowed.status).toBe(201);
  });

  it('reads at most 64 KB of a reply, and shows a publisher key its status but never its body', async () => {
    const head = 'SECRET-BODY\u0000\u001b[31m stack trace\r\nline two\u202e ';
    const big = await startBodyReceiver({ status: 500, head, size: 1024 * 1024, end: true });
    try {
      const { key, deliveries } = await convertFor(`${big.url}/pb?tx={transaction_id}`);
      expect(await dispatcher({ allowPrivateDestinations: true, maxAttempts: 1 }).tick()).toMatchObject({ failed: 1 });
      expect(big.seen).toHaveLength(1);

      const [admin] = await deliveries();
      expect(admin).toMatchObject({ status: 'failed', lastResponseStatus: 500 });
      expect(admin.lastError).toMatch(/^HTTP 500: SECRET-BODY \[31m stack trace line two x+$/);
      expect(admin.lastError.length).toBeLessThanOrEqual('HTTP 500: '.length + 200);
      const forPublisher = await server.json(`/v1/deliveries/${admin.id}`, { key });
      expect(forPublisher.body).toMatchObject({ status: 'failed', lastResponseStatus: 500, lastError: 'HTTP 500' });
      expect(JSON.stringify((await deliveries(key))[0])).not.toMatch(/SECRET|stack|xxxx/);
    } finally {
      await big.close();
    }
  });

  it('delivers a postback whose 2xx reply never ends, closing the connection after 64 KB', async () => {
    const endless = await startBodyReceiver({ status: 200, head: 'ok', size: 1024 * 1024, end: false });
    try {
      const { deliveries } = await convertFor(`${endless.url}/pb?tx={transaction_id}`);
      expect(await dispatcher({ allowPrivateDestinations: true }).tick()).toMatchObject({ delivered: 1 });
      expect(await endless.closedBeforeEnd(0)).toBe(true);
      expect((await deliveries())[0]).toMatchObject({ status: 'delivered', attempts: 1, lastResponseStatus: 200 });
    } finally {
      await endless.close();
    }
  });

  it('answers 422 at once for a postback URL whose host is localhost or a private address, unless private destinations are allowed', async () => {
    const hosts = [
      'http://127.0.0.1:9/pb',
      'http://localhost/pb',
      'http://LocalHost./pb',
      'http://tracker.localhost/pb',
      'http://[::1]/pb',
      'http://[::ffff:127.0.0.1]/pb',
      'http://2130706433/pb',
      'http://0.0.0.0/pb',
      'http://10.1.2.3/pb?tx={transaction_id}',
      'http://192.168.0.10/pb',
      'http://100.64.1.1/pb',
      'http://169.254.169.254/latest/meta-data/',
      'http://[fd00:ec2::254]/latest/meta-data/',
    ];
    for (const postbackUrl of hosts) {
      const response = await server.json('/v1/publishers', { method: 'POST', json: { name: 'Private publisher', postbackUrl } });
      expect(response.status, postbackUrl).toBe(422);
      expect(response.body.error.issues).toEqual([expect.objectContaining({ path: 'postbackUrl', message: expect.stringContaining('WAYPOST_ALLOW_PRIVATE_DESTINATIONS') })]);
    }
    const publisher = await server.json('/v1/publishers', { method: 'POST', json: { name: 'Public publisher', postbackUrl: 'https://tracker.example.com/pb' } });
    expect(publisher.status).toBe(201);
    const patched = await server.json(`/v1/publishers/${publisher.body.id}`, { method: 'PATCH', json: { postbackUrl: 'http://10.0.0.5/pb' } });
    expect(patched.status).toBe(422);
    expect(patched.body.error.issues[0].path).toBe('postbackUrl');

    const allowing = await startTestServer(backend, { env: { WAYPOST_ALLOW_PRIVATE_DESTINATIONS: 'true' } });
    try {
      for (const postbackUrl of hosts) {
        expect((await allowing.json('/v1/publishers', { method: 'POST', json: { name: 'Own network publisher', postbackUrl } })).status, postbackUrl).toBe(201);
      }
    } finally {
      await allowing.close();
    }
  });
});
