import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startTestServer, type TestServer } from './support/harness.js';

// Webhook networks (README, Affiliate networks): notifications built as each network documents them (see
// src/engine/webhooks/*.ts), posted to POST /postback/:networkId of a real server.

/**
 * A ClickBank Instant Notification (version 6.0 and later): the order as JSON, AES-256-CBC under the first 32
 * characters of the hex SHA-1 of the account's secret key, sent as `{ notification, iv }` in base64.
 */
function clickbankNotification(secretKey: string, order: Record<string, unknown>): string {
  const key = Buffer.from(createHash('sha1').update(secretKey).digest('hex').slice(0, 32), 'ascii');
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  const notification = Buffer.concat([cipher.update(JSON.stringify(order), 'utf8'), cipher.final()]);
  return JSON.stringify({ notification: notification.toString('base64'), iv: iv.toString('base64') });
}

/** The decrypted part of a ClickBank notification, as its INS documentation lists the fields (customer left short). */
function clickbankOrder(fields: { transactionType: string; receipt: string; trackingCodes?: string[]; currency?: string; totalOrderAmount?: number; totalAccountAmount?: number }) {
  return {
    transactionTime: '2026-03-01T04:00:00-08:00',
    vendor: 'cbvendor',
    affiliate: 'cbaffiliate',
    role: 'AFFILIATE',
    paymentMethod: 'VISA',
    totalTaxAmount: 0,
    totalShippingAmount: 0,
    currency: 'USD',
    totalOrderAmount: 47,
    totalAccountAmount: 23.5,
    orderLanguage: 'EN',
    lineItems: [{ itemNo: '1', productTitle: 'Product', productPrice: 47, affiliatePayout: 23.5, quantity: 1, recurring: false }],
    customer: { billing: { firstName: 'Test', lastName: 'Buyer', email: 'buyer@example.com', address: { country: 'US' } } },
    version: 8.0,
    attemptCount: 1,
    ...fields,
  };
}

const SECRET_KEY = 'MYSECRETKEY12345';
const PS_SECRET = 'ps-postback-secret-0123456789';

describe.each(backends())('webhook networks on %s', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());

  let offers = 0;
  /** A network from the template, an offer on it (pays 1.00 in auto mode) and one click on the offer. */
  const setup = async (template: string, secret: string | undefined, offer: Record<string, unknown> = {}) => {
    const network = await server.json('/v1/affiliate-networks', { method: 'POST', json: { template, ...(secret !== undefined ? { secret } : {}) } });
    expect(network.status, JSON.stringify(network.body)).toBe(201);
    const created = await server.json('/v1/offers', {
      method: 'POST',
      json: { name: `${template} offer ${(offers += 1)}`, url: 'https://vendor.example.com/', currency: 'USD', affiliateNetworkId: network.body.id, payout: { model: 'cpa', mode: 'auto', amount: '1.00' }, ...offer },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return { networkId: network.body.id as string, offerId: created.body.id as string, clickId: await clickOn(created.body.id) };
  };
  const clickOn = async (offerId: string) => {
    const click = await server.request(`/c/${offerId}`, { key: null });
    return /waypost_cid=([^;]+)/.exec(click.headers.get('set-cookie') ?? '')![1]!;
  };
  const notify = (networkId: string, body: string, { query = '', contentType = 'application/json' } = {}) =>
    server.json(`/postback/${networkId}${query}`, { key: null, method: 'POST', headers: { 'content-type': contentType }, body });
  const conversionsOf = async (offerId: string) => (await server.json(`/v1/conversions?offerId=${offerId}`)).body.data as Record<string, unknown>[];
  /** The postback-log entries written since `since` entries were there, oldest first. */
  const logSince = async (since: number) => {
    const entries = (await server.json('/v1/postbacks?limit=200')).body.data as Record<string, any>[];
    return entries.slice(0, entries.length - since).reverse();
  };
  const logCount = async () => ((await server.json('/v1/postbacks?limit=200')).body.data as unknown[]).length;

  describe('ClickBank', () => {
    it('records a SALE encrypted with the account\'s secret key, attributed by the tid, with its amount, payout and currency', async () => {
      const { networkId, offerId, clickId } = await setup('clickbank', SECRET_KEY);
      // ClickBank may upper-case a tracking code; the click id is found either way.
      const sale = clickbankOrder({ transactionType: 'SALE', receipt: 'CBRCPT01', trackingCodes: [clickId.toUpperCase()] });
      const reply = await notify(networkId, clickbankNotification(SECRET_KEY, sale));
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      expect(reply.body.status).toBe('accepted');
      const conversion = (await server.json(`/v1/conversions/${reply.body.conversionId}`)).body;
      expect(conversion).toMatchObject({ offerId, clickId, transactionId: 'CBRCPT01', status: 'approved', source: 'postback', amount: '47.00', payout: '23.50', currency: 'USD' });
    });

    it('answers a notification sent again as a duplicate, and reverses the sale on a refund and on a chargeback', async () => {
      const { networkId, offerId, clickId } = await setup('clickbank', SECRET_KEY);
      const sale = clickbankNotification(SECRET_KEY, clickbankOrder({ transactionType: 'SALE', receipt: 'CBRCPT02', trackingCodes: [clickId] }));
      const first = await notify(networkId, sale);
      expect(first.body.status).toBe('accepted');
      const retry = await notify(networkId, sale);
      expect([retry.status, retry.body.status, retry.body.conversionId]).toEqual([200, 'duplicate', first.body.conversionId]);

      // A refund carries the sale's receipt and negative amounts, which are not a new price.
      const refund = clickbankOrder({ transactionType: 'RFND', receipt: 'CBRCPT02', trackingCodes: [clickId], totalOrderAmount: -47, totalAccountAmount: -23.5 });
      const reversed = await notify(networkId, clickbankNotification(SECRET_KEY, refund));
      expect([reversed.status, reversed.body.status, reversed.body.conversionId]).toEqual([200, 'updated', first.body.conversionId]);
      const chargeback = clickbankOrder({ transactionType: 'CGBK', receipt: 'CBRCPT02', trackingCodes: [clickId], totalOrderAmount: -47 });
      expect((await notify(networkId, clickbankNotification(SECRET_KEY, chargeback))).body.status).toBe('duplicate');

      const [conversion, ...others] = await conversionsOf(offerId);
      expect(others).toEqual([]);
      expect(conversion).toMatchObject({ status: 'rejected', amount: '47.00', payout: '23.50' });
    });

    it('records a BILL as a rebill, and an order in another currency with its amount but the offer\'s payout', async () => {
      const { networkId, offerId, clickId } = await setup('clickbank', SECRET_KEY, { duplicates: 'rebill', currency: 'EUR' });
      const sale = clickbankOrder({ transactionType: 'SALE', receipt: 'CBRCPT03', trackingCodes: [clickId], currency: 'EUR', totalOrderAmount: 39, totalAccountAmount: 21.4 });
      const first = await notify(networkId, clickbankNotification(SECRET_KEY, sale));
      expect(first.body.status, JSON.stringify(first.body)).toBe('accepted');
      // ClickBank pays the account in dollars: for a euro order, what the account earns is not read as the payout.
      expect((await server.json(`/v1/conversions/${first.body.conversionId}`)).body).toMatchObject({ amount: '39.00', currency: 'EUR', payout: '1.00' });

      const bill = clickbankOrder({ transactionType: 'BILL', receipt: 'CBRCPT03B', trackingCodes: [clickId], currency: 'EUR', totalOrderAmount: 39 });
      const rebill = await notify(networkId, clickbankNotification(SECRET_KEY, bill));
      expect([rebill.status, rebill.body.status], JSON.stringify(rebill.body)).toEqual([200, 'rebill']);
      expect((await conversionsOf(offerId)).map((row) => [row.kind, row.transactionId, row.status]).sort()).toEqual([
        ['conversion', 'CBRCPT03', 'approved'],
        ['rebill', 'CBRCPT03B', 'approved'],
      ]);
    });

    it('answers the test notifications with 200 and records nothing, and logs the types it does not map as ignored', async () => {
      const { networkId, offerId, clickId } = await setup('clickbank', SECRET_KEY);
      const since = await logCount();
      for (const transactionType of ['TEST', 'TEST_SALE', 'TEST_BILL', 'TEST_RFND']) {
        const reply = await notify(networkId, clickbankNotification(SECRET_KEY, clickbankOrder({ transactionType, receipt: 'TESTRCPT', trackingCodes: [clickId] })));
        expect([transactionType, reply.status, reply.body.status]).toEqual([transactionType, 200, 'test']);
      }
      const cancel = await notify(networkId, clickbankNotification(SECRET_KEY, clickbankOrder({ transactionType: 'CANCEL-REBILL', receipt: 'CBRCPT04', trackingCodes: [clickId] })));
      expect([cancel.status, cancel.body]).toEqual([200, { status: 'ignored', reason: 'transaction_type_not_mapped' }]);
      // Sales Waypost did not send: no tracking code, or only the affiliate's own.
      for (const trackingCodes of [[], ['FBADGROUP123VIDEO2']]) {
        const foreign = await notify(networkId, clickbankNotification(SECRET_KEY, clickbankOrder({ transactionType: 'SALE', receipt: 'CBRCPT05', trackingCodes })));
        expect([foreign.status, foreign.body]).toEqual([200, { status: 'ignored', reason: 'no_click_id' }]);
      }

      expect(await conversionsOf(offerId)).toEqual([]);
      const log = await logSince(since);
      expect(log.map((entry) => [entry.outcome, entry.reason, entry.httpStatus])).toEqual([
        ['test', null, 200],
        ['test', null, 200],
        ['test', null, 200],
        ['test', null, 200],
        ['ignored', 'transaction_type_not_mapped', 200],
        ['ignored', 'no_click_id', 200],
        ['ignored', 'no_click_id', 200],
      ]);
      expect(log[1]!.params).toMatchObject({ network: networkId, format: 'clickbank', transactionType: 'TEST_SALE', receipt: 'TESTRCPT' });
      // The customer's details are not kept.
      expect(JSON.stringify(log)).not.toContain('buyer@example.com');
    });

    it('refuses a notification under another key with 401, garbage with 400, and one for another network\'s click with 403, logging each and recording nothing', async () => {
      const { networkId, offerId, clickId } = await setup('clickbank', SECRET_KEY);
      const other = await setup('clickbank', 'OTHERKEY');
      const since = await logCount();
      const sale = (codes: string[]) => clickbankOrder({ transactionType: 'SALE', receipt: 'CBRCPT06', trackingCodes: codes });

      const wrongKey = await notify(networkId, clickbankNotification('WRONGKEY', sale([clickId])));
      expect([wrongKey.status, wrongKey.body.reason]).toEqual([401, 'decryption_failed']);
      const garbage = [
        'not json at all',
        JSON.stringify({ hello: 'world' }),
        JSON.stringify({ notification: '%%%not base64%%%', iv: randomBytes(16).toString('base64') }),
        JSON.stringify({ notification: randomBytes(32).toString('base64'), iv: randomBytes(8).toString('base64') }),
        '',
      ];
      for (const body of garbage) {
        const reply = await notify(networkId, body);
        expect([body, reply.status, reply.body.reason]).toEqual([body, 400, 'malformed_notification']);
      }
      // Decrypted, but not a notification.
      const noType = await notify(networkId, clickbankNotification(SECRET_KEY, { receipt: 'X' }));
      expect([noType.status, noType.body.reason]).toEqual([400, 'malformed_notification']);
      // A click on an offer of another ClickBank network is not this network's to report.
      const foreign = await notify(networkId, clickbankNotification(SECRET_KEY, sale([other.clickId])));
      expect([foreign.status, foreign.body.reason]).toEqual([403, 'network_mismatch']);
      const tooLarge = await notify(networkId, JSON.stringify({ notification: 'A'.repeat(70_000), iv: '' }));
      expect([tooLarge.status, tooLarge.body.reason]).toEqual([413, 'payload_too_large']);

      expect(await conversionsOf(offerId)).toEqual([]);
      expect(await conversionsOf(other.offerId)).toEqual([]);
      const log = await logSince(since);
      expect(log.map((entry) => [entry.httpStatus, entry.outcome, entry.reason])).toEqual([
        [401, 'error', 'decryption_failed'],
        ...garbage.map(() => [400, 'error', 'malformed_notification']),
        [400, 'error', 'malformed_notification'],
        [403, 'error', 'network_mismatch'],
        [413, 'error', 'payload_too_large'],
      ]);
      expect(log.every((entry) => entry.params.network === networkId && entry.params.format === 'clickbank')).toBe(true);
    });
  });

  describe('PartnerStack', () => {
    /** A partner postback as PartnerStack documents its envelope: `{ event, data }`. */
    const reward = (event: string, data: Record<string, unknown>) =>
      JSON.stringify({ event, data: { key: 'rwrd_Qm3k2Jd8a0', amount: 1250, description: 'Signup reward', customer: { key: 'cust_8sJd', name: 'Acme' }, ...data } });

    it('records a reward postback to the URL with the network\'s secret as its payout, and its later statuses, attributed by the click id it carries', async () => {
      const { networkId, offerId, clickId } = await setup('partnerstack', PS_SECRET);
      const query = `?token=${PS_SECRET}`;
      const created = await notify(networkId, reward('reward_created', { reward_status: 'pending', customer: { key: 'cust_8sJd', xid: clickId } }), { query });
      expect([created.status, created.body.status], JSON.stringify(created.body)).toEqual([200, 'accepted']);
      const conversionId = created.body.conversionId as string;
      expect((await server.json(`/v1/conversions/${conversionId}`)).body).toMatchObject({ offerId, clickId, transactionId: 'rwrd_Qm3k2Jd8a0', status: 'pending', payout: '12.50', currency: 'USD' });

      const retry = await notify(networkId, reward('reward_created', { reward_status: 'pending', customer: { key: 'cust_8sJd', xid: clickId } }), { query });
      expect([retry.status, retry.body.status, retry.body.conversionId]).toEqual([200, 'duplicate', conversionId]);
      const approved = await notify(networkId, reward('reward_updated', { reward_status: 'approved', customer: { xid: clickId } }), { query });
      expect([approved.body.status, approved.body.conversionId]).toEqual(['updated', conversionId]);
      const declined = await notify(networkId, reward('reward_updated', { reward_status: 'declined', customer: { xid: clickId } }), { query });
      expect([declined.body.status, declined.body.conversionId]).toEqual(['updated', conversionId]);
      expect((await server.json(`/v1/conversions/${conversionId}`)).body.status).toBe('rejected');
    });

    it('answers the test event with 200 and records nothing, and logs other events and rewards without a click of its own as ignored', async () => {
      const { networkId, offerId, clickId } = await setup('partnerstack', PS_SECRET);
      const query = `?token=${PS_SECRET}`;
      const test = await notify(networkId, JSON.stringify({ event: 'test', data: { message: 'Test event sent!' } }), { query });
      expect([test.status, test.body]).toEqual([200, { status: 'test' }]);
      const action = await notify(networkId, JSON.stringify({ event: 'action_created', data: { key: 'actn_1', customer: { xid: clickId } } }), { query });
      expect([action.status, action.body]).toEqual([200, { status: 'ignored', reason: 'event_not_mapped' }]);
      const foreign = await notify(networkId, reward('reward_created', { reward_status: 'approved' }), { query });
      expect([foreign.status, foreign.body]).toEqual([200, { status: 'ignored', reason: 'no_click_id' }]);
      expect(await conversionsOf(offerId)).toEqual([]);
    });

    it('refuses a postback without the secret or with another one with 401, and garbage with 400, logging each and recording nothing', async () => {
      const { networkId, offerId, clickId } = await setup('partnerstack', PS_SECRET);
      const since = await logCount();
      const body = reward('reward_created', { reward_status: 'approved', customer: { xid: clickId } });
      const missing = await notify(networkId, body);
      const wrong = await notify(networkId, body, { query: '?token=ps-postback-secret-9999999999' });
      expect([missing.status, missing.body.reason, wrong.status, wrong.body.reason]).toEqual([401, 'invalid_token', 401, 'invalid_token']);
      const garbage = await notify(networkId, '{"event":', { query: `?token=${PS_SECRET}` });
      const noKey = await notify(networkId, JSON.stringify({ event: 'reward_created', data: { amount: 100 } }), { query: `?token=${PS_SECRET}` });
      expect([garbage.status, garbage.body.reason, noKey.status, noKey.body.reason]).toEqual([400, 'malformed_notification', 400, 'malformed_notification']);

      expect(await conversionsOf(offerId)).toEqual([]);
      const log = await logSince(since);
      expect(log.map((entry) => [entry.httpStatus, entry.reason])).toEqual([
        [401, 'invalid_token'],
        [401, 'invalid_token'],
        [400, 'malformed_notification'],
        [400, 'malformed_notification'],
      ]);
    });
  });

  describe('the network\'s secret and format', () => {
    it('takes the secret on create and PATCH and never returns it, only whether one is set', async () => {
      const created = await server.json('/v1/affiliate-networks', { method: 'POST', json: { template: 'clickbank', secret: SECRET_KEY } });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ format: 'clickbank', hasSecret: true });
      const id = created.body.id as string;
      const reads = [created.body, (await server.json(`/v1/affiliate-networks/${id}`)).body, ...(await server.json('/v1/affiliate-networks?limit=200')).body.data];
      for (const read of reads) expect(JSON.stringify(read)).not.toContain(SECRET_KEY);
      expect((await server.json(`/v1/affiliate-networks/${id}`)).body.hasSecret).toBe(true);

      const renamed = await server.json(`/v1/affiliate-networks/${id}`, { method: 'PATCH', json: { name: 'ClickBank (main account)' } });
      expect(renamed.body).toMatchObject({ name: 'ClickBank (main account)', hasSecret: true, format: 'clickbank' });
      const cleared = await server.json(`/v1/affiliate-networks/${id}`, { method: 'PATCH', json: { secret: null } });
      expect(cleared.body.hasSecret).toBe(false);
      const set = await server.json(`/v1/affiliate-networks/${id}`, { method: 'PATCH', json: { secret: 'NEWKEY' } });
      expect([set.body.hasSecret, JSON.stringify(set.body).includes('NEWKEY')]).toEqual([true, false]);
    });

    it('refuses a format given by hand and a PartnerStack secret too short to be a URL token', async () => {
      const byHand = await server.json('/v1/affiliate-networks', { method: 'POST', json: { name: 'Mine', clickIdParam: 'tid', macros: {}, format: 'clickbank' } });
      expect(byHand.status).toBe(422);
      const short = await server.json('/v1/affiliate-networks', { method: 'POST', json: { template: 'partnerstack', secret: 'short' } });
      expect([short.status, short.body.error.issues[0].path]).toEqual([422, 'secret']);
    });

    it('answers 404 for an unknown network, 422 for one that does not notify by webhook and 401 for one without a secret, with log entries', async () => {
      const since = await logCount();
      const unknown = await notify('net_doesnotexist', '{}');
      const plain = (await server.json('/v1/affiliate-networks', { method: 'POST', json: { template: 'affise' } })).body;
      const notWebhook = await notify(plain.id, '{}');
      const { networkId, clickId } = await setup('clickbank', undefined);
      const noSecret = await notify(networkId, clickbankNotification(SECRET_KEY, clickbankOrder({ transactionType: 'SALE', receipt: 'CBRCPT07', trackingCodes: [clickId] })));
      expect([unknown.status, unknown.body.reason, notWebhook.status, notWebhook.body.reason, noSecret.status, noSecret.body.reason]).toEqual([
        404, 'unknown_network', 422, 'not_a_webhook_network', 401, 'secret_not_set',
      ]);
      expect((await logSince(since)).map((entry) => [entry.httpStatus, entry.reason])).toEqual([
        [404, 'unknown_network'],
        [422, 'not_a_webhook_network'],
        [401, 'secret_not_set'],
      ]);
    });
  });
});
