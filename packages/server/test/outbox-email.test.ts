import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { OutboxDispatcher, outboxOptions } from '../src/outbox/dispatcher.js';
import { backends, startTestServer, type TestServer } from './support/harness.js';
import { type SmtpReceiver, startSmtpReceiver } from './support/receivers.js';

describe.each(backends())('conversion e-mails on %s', (backend) => {
  let smtp: SmtpReceiver;
  beforeAll(async () => {
    smtp = await startSmtpReceiver();
  });
  afterAll(() => smtp.close());

  /** A server with an offer that e-mails each conversion, and a click on it. */
  async function setUp(server: TestServer) {
    const publisher = (await server.json('/v1/publishers', { method: 'POST', json: { name: 'Mail publisher' } })).body as { id: string };
    const offer = await server.json('/v1/offers', {
      method: 'POST',
      json: {
        name: 'Mailed offer',
        url: 'https://shop.example.com/?cid={click_id}',
        payout: { model: 'cps', percent: '10' },
        email: {
          enabled: true,
          to: ['sales@shop.example.com', 'ops@shop.example.com'],
          subject: 'Sale {transaction_id} on {offer_id} ({status})',
          template: 'Order {transaction_id}: {amount} {currency}\nPayout {payout}, status {status}\nSub {sub1} from {country_code}{not_a_macro}\n',
        },
      },
    });
    expect(offer.status).toBe(201);
    const click = await server.request(`/c/${offer.body.id}?pub=${publisher.id}&sub1=spring%20%26%20sun`, { key: null, headers: { 'cf-ipcountry': 'FR' } });
    const clickId = /waypost_cid=([^;]+)/.exec(click.headers.get('set-cookie') ?? '')![1]!;
    return { offerId: offer.body.id as string, clickId };
  }

  it('e-mails each accepted conversion and each status change with the template macros expanded', async () => {
    const server = await startTestServer(backend, { env: { WAYPOST_SMTP_URL: smtp.url, WAYPOST_SMTP_FROM: 'Shop tracking <tracking@shop.example.com>' } });
    const outbox = new OutboxDispatcher(server.context, {}, () => {}).start();
    try {
      const { offerId, clickId } = await setUp(server);
      const before = smtp.received.length;
      const created = await server.json('/v1/conversions', { method: 'POST', json: { clickId, amount: '49.90', transactionId: 'A-1001' } });
      expect(created.status).toBe(201);
      await outbox.tick();

      const [mail] = smtp.received.slice(before);
      expect(smtp.received.length - before).toBe(1);
      expect(mail!.mailFrom).toBe('tracking@shop.example.com');
      expect(mail!.rcptTo).toEqual(['sales@shop.example.com', 'ops@shop.example.com']);
      expect(mail!.headers.subject).toBe(`Sale A-1001 on ${offerId} (approved)`);
      expect(mail!.text).toBe('Order A-1001: 49.90 USD\nPayout 4.99, status approved\nSub spring & sun from FR\n');
      const conversionId = created.body.conversionId as string;
      const [delivery] = (await server.json(`/v1/deliveries?conversionId=${conversionId}`)).body.data;
      expect(delivery).toMatchObject({ kind: 'email', status: 'delivered', attempts: 1, target: 'sales@shop.example.com, ops@shop.example.com', subject: `Sale A-1001 on ${offerId} (approved)` });
      // Every try of one delivery carries its id, so a retried e-mail is recognisably the same message.
      expect(mail!.headers['x-waypost-delivery']).toBe(delivery.id);
      expect(mail!.headers['message-id']).toBe(`<${delivery.id}@waypost>`);

      expect((await server.json(`/v1/conversions/${conversionId}`, { method: 'PATCH', json: { status: 'rejected', reason: 'refund' } })).status).toBe(200);
      await outbox.tick();
      expect(smtp.received.length - before).toBe(2);
      expect(smtp.received.at(-1)!.headers.subject).toBe(`Sale A-1001 on ${offerId} (rejected)`);
    } finally {
      await outbox.stop();
      await server.close();
    }
  });

  it('keeps e-mails pending with a visible reason while no SMTP server is configured, and sends them once one is', async () => {
    const server = await startTestServer(backend);
    const logged: string[] = [];
    const outbox = new OutboxDispatcher(server.context, {}, (message) => logged.push(String(message))).start();
    try {
      const { clickId } = await setUp(server);
      const before = smtp.received.length;
      const created = await server.json('/v1/conversions', { method: 'POST', json: { clickId, amount: '20.00', transactionId: 'W-1' } });
      await outbox.tick();
      server.clock.advance(86_400_000);
      await outbox.tick();
      expect(smtp.received.length).toBe(before);
      const path = `/v1/deliveries?conversionId=${created.body.conversionId}`;
      expect((await server.json(path)).body.data).toEqual([
        expect.objectContaining({ kind: 'email', status: 'pending', attempts: 0, lastError: expect.stringContaining('WAYPOST_SMTP_URL') }),
      ]);
      expect(logged.join('\n')).toContain('set WAYPOST_SMTP_URL');

      // A server started with an SMTP server sends what waited.
      const configured = new OutboxDispatcher(server.context, { smtpUrl: smtp.url }, () => {});
      await configured.tick();
      await configured.stop();
      expect(smtp.received.length - before).toBe(1);
      expect(smtp.received.at(-1)!.text).toContain('Order W-1: 20.00 USD');
      expect((await server.json(path)).body.data[0]).toMatchObject({ status: 'delivered', attempts: 1, lastError: null });
    } finally {
      await outbox.stop();
      await server.close();
    }
  });

  it('retries an e-mail while the SMTP server is unreachable', async () => {
    const server = await startTestServer(backend, { env: { WAYPOST_SMTP_URL: 'smtp://127.0.0.1:1', WAYPOST_DELIVERY_TIMEOUT_MS: '2000' } });
    const outbox = new OutboxDispatcher(server.context, {}, () => {}).start();
    try {
      const { clickId } = await setUp(server);
      const created = await server.json('/v1/conversions', { method: 'POST', json: { clickId, amount: '20.00', transactionId: 'U-1' } });
      await outbox.tick();
      const path = `/v1/deliveries?conversionId=${created.body.conversionId}`;
      expect((await server.json(path)).body.data[0]).toMatchObject({ kind: 'email', status: 'pending', attempts: 1, lastError: expect.stringMatching(/ECONNREFUSED/) });

      const relay = new OutboxDispatcher(server.context, { smtpUrl: smtp.url }, () => {});
      server.clock.advance(3_600_000);
      await relay.tick();
      await relay.stop();
      expect((await server.json(path)).body.data[0]).toMatchObject({ status: 'delivered', attempts: 2 });
    } finally {
      await outbox.stop();
      await server.close();
    }
  });
});

it('refuses an SMTP URL that is not smtp:// or smtps://, naming the variable, and documents its delivery defaults', () => {
  expect(() => loadConfig({ WAYPOST_SMTP_URL: 'mail.example.com:25' })).toThrow(/WAYPOST_SMTP_URL/);
  expect(() => loadConfig({ WAYPOST_DELIVERY_ATTEMPTS: '0' })).toThrow(/WAYPOST_DELIVERY_ATTEMPTS/);
  const config = loadConfig({ WAYPOST_PUBLIC_URL: 'https://track.shop.example' });
  expect(outboxOptions(config)).toEqual({
    maxAttempts: 12,
    backoffMs: 30_000,
    backoffMaxMs: 21_600_000,
    timeoutMs: 10_000,
    pollMs: 5_000,
    smtpUrl: undefined,
    smtpFrom: 'Waypost <waypost@track.shop.example>',
    batchSize: 20,
    allowPrivateDestinations: false,
  });
});
