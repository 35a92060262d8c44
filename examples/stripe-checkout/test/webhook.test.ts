import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Waypost } from '@waypost/node';
import express from 'express';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExample, unquotedExcerpts } from '../../../scripts/test-support/readme.js';
import { type ExampleServer, startWaypost } from '../../../scripts/test-support/waypost-server.js';
import { stripeWebhook } from '../webhook.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const SECRET = 'whsec_test_0123456789abcdef';
// The webhook only checks signatures, which makes no request to Stripe: no real key, no network.
const stripe = new Stripe('sk_test_unused');

describe('examples/stripe-checkout', () => {
  let server: ExampleServer;
  let waypost: Waypost;
  let webhook: Server;
  let webhookUrl: string;
  const trackingUrls: Record<'usd' | 'jpy', string> = { usd: '', jpy: '' };

  beforeAll(async () => {
    server = await startWaypost();
    waypost = new Waypost({ apiKey: server.apiKey, baseUrl: server.url });
    const publisher = await waypost.publishers.create({ name: 'Newsletter' });
    const usd = await waypost.offers.create({ name: 'Course', url: 'https://shop.example/', payout: { model: 'cps', percent: '10' } });
    const jpy = await waypost.offers.create({ name: 'Course JP', url: 'https://shop.example/jp', currency: 'JPY', payout: { model: 'cps', percent: '10' } });
    trackingUrls.usd = (await waypost.offers.links(usd.id, { publisherId: publisher.id })).trackingUrl;
    trackingUrls.jpy = (await waypost.offers.links(jpy.id, { publisherId: publisher.id })).trackingUrl;
    const app = express();
    app.use(stripeWebhook({ stripe, webhookSecret: SECRET, waypost }));
    webhook = app.listen(0, '127.0.0.1');
    await once(webhook, 'listening');
    webhookUrl = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/webhooks/stripe`;
  });
  afterAll(async () => {
    webhook.close();
    await server.close();
  });

  let sessions = 0;
  /** A visitor's click on an offer, and the Checkout Session event a paid checkout after it sends. */
  async function checkout(session: Partial<Stripe.Checkout.Session> = {}, type = 'checkout.session.completed', offer: 'usd' | 'jpy' = 'usd') {
    const tracked = await fetch(trackingUrls[offer], { redirect: 'manual' });
    const clickId = /waypost_cid=([^;]+)/.exec(tracked.headers.get('set-cookie')!)![1]!;
    const id = `cs_test_${Date.now()}_${++sessions}`;
    const object = { id, object: 'checkout.session', client_reference_id: clickId, amount_total: 4990, currency: 'usd', payment_status: 'paid', status: 'complete', ...session };
    const payload = JSON.stringify({ id: `evt_${sessions}`, object: 'event', type, api_version: '2026-01-28', created: Math.floor(Date.now() / 1000), data: { object } });
    return { clickId, sessionId: id, payload };
  }

  async function deliver(payload: string, signature = stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET })) {
    const response = await fetch(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': signature }, body: payload });
    return { status: response.status, body: (await response.json()) as { tracked?: boolean; conversion?: { status: string; conversionId?: string }; error?: { code: string } } };
  }

  const conversionsOf = async (sessionId: string) => (await waypost.conversions.list({ transactionId: sessionId })).data;

  it('turns a signed checkout.session.completed event into a conversion, once however often Stripe delivers it', async () => {
    const { clickId, sessionId, payload } = await checkout();
    const first = await deliver(payload);
    const again = await deliver(payload);
    expect(first).toEqual({
      status: 200,
      body: { received: true, tracked: true, conversion: { status: 'accepted', conversionId: expect.any(String), conversion: expect.objectContaining({ payout: '4.99' }) } },
    });
    expect(again.body.conversion).toEqual({ status: 'duplicate', conversionId: first.body.conversion!.conversionId });

    const conversions = await conversionsOf(sessionId);
    expect(conversions).toHaveLength(1);
    expect(conversions[0]).toMatchObject({ clickId, source: 'api', status: 'approved', amount: '49.90', currency: 'USD', payout: '4.99' });
  });

  it("accepts a signature made as Stripe documents it: HMAC-SHA256 of 't.payload' under the secret", async () => {
    const { sessionId, payload } = await checkout();
    const t = Math.floor(Date.now() / 1000);
    const v1 = createHmac('sha256', SECRET).update(`${t}.${payload}`).digest('hex');
    expect((await deliver(payload, `t=${t},v1=${v1}`)).body.tracked).toBe(true);
    expect(await conversionsOf(sessionId)).toHaveLength(1);
  });

  it('refuses a bad signature with 400 and records nothing', async () => {
    const { sessionId, payload } = await checkout();
    const otherSecret = stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_someone_else' });
    const tampered = payload.replace('"amount_total":4990', '"amount_total":499000');
    const old = stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET, timestamp: Math.floor(Date.now() / 1000) - 600 });
    for (const [body, signature] of [[payload, otherSecret], [tampered, stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET })], [payload, old], [payload, '']] as const) {
      const refused = await deliver(body, signature);
      expect(refused).toMatchObject({ status: 400, body: { error: { code: 'invalid_signature' } } });
    }
    expect(await conversionsOf(sessionId)).toEqual([]);
  });

  it('waits for async_payment_succeeded when the session completed unpaid', async () => {
    const { payload: completed, sessionId } = await checkout({ payment_status: 'unpaid' });
    expect((await deliver(completed)).body).toEqual({ received: true, tracked: false });
    expect(await conversionsOf(sessionId)).toEqual([]);

    const succeeded = completed.replace('"checkout.session.completed"', '"checkout.session.async_payment_succeeded"').replace('"unpaid"', '"paid"');
    expect((await deliver(succeeded)).body.tracked).toBe(true);
    expect(await conversionsOf(sessionId)).toHaveLength(1);
  });

  it("reads amount_total in Stripe's minor units of the session currency", async () => {
    const { sessionId, payload } = await checkout({ amount_total: 5000, currency: 'jpy' }, 'checkout.session.completed', 'jpy');
    expect((await deliver(payload)).body.tracked).toBe(true);
    expect((await conversionsOf(sessionId))[0]).toMatchObject({ amount: '5000', currency: 'JPY', payout: '500' });
  });

  it('answers 2xx to an event whose click Waypost does not know, so that Stripe stops redelivering it', async () => {
    const { sessionId, payload } = await checkout({ client_reference_id: 'not-a-known-click' });
    expect(await deliver(payload)).toMatchObject({ status: 200, body: { tracked: false } });
    expect(await conversionsOf(sessionId)).toEqual([]);
  });

  it('runs with node --import tsx, configured by the environment', async () => {
    const example = await startExample('webhook.ts', {
      cwd: root,
      env: { STRIPE_SECRET_KEY: 'sk_test_unused', STRIPE_WEBHOOK_SECRET: SECRET, WAYPOST_URL: server.url, WAYPOST_API_KEY: server.apiKey, PORT: '0' },
    });
    try {
      const url = /^Stripe webhook on (http:\S+)/.exec(example.firstLine)![1]!;
      const { sessionId, payload } = await checkout();
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET }) },
        body: payload,
      });
      expect(await response.json()).toMatchObject({ tracked: true, conversion: { status: 'accepted' } });
      expect(await conversionsOf(sessionId)).toHaveLength(1);
    } finally {
      example.stop();
    }
  });

  it('README quotes the lines to copy from the webhook', () => {
    expect(unquotedExcerpts(`${root}README.md`, [`${root}webhook.ts`])).toEqual([]);
  });
});
