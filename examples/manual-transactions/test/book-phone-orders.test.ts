import { fileURLToPath } from 'node:url';
import { Waypost } from '@waypost/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExample, unquotedExcerpts } from '../../../scripts/test-support/readme.js';
import { type ExampleServer, startWaypost } from '../../../scripts/test-support/waypost-server.js';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('examples/manual-transactions', () => {
  let server: ExampleServer;
  let waypost: Waypost;
  let env: Record<string, string>;
  let publisherId: string;

  beforeAll(async () => {
    server = await startWaypost();
    waypost = new Waypost({ apiKey: server.apiKey, baseUrl: server.url });
    publisherId = (await waypost.publishers.create({ name: 'Call center partner' })).id;
    const offer = await waypost.offers.create({ name: 'Solar install', url: 'https://shop.example.com/', payout: { model: 'cps', percent: '10' } });
    env = { WAYPOST_URL: server.url, WAYPOST_API_KEY: server.apiKey, WAYPOST_PUBLISHER_ID: publisherId, WAYPOST_OFFER_ID: offer.id };
  });
  afterAll(() => server.close());

  it("books each phone order once for the publisher, with the offer's payout, however often it runs", async () => {
    const output = await runExample('book-phone-orders.ts', { cwd: root, env });
    expect(output).toMatch(/^PHONE-1001: 120\.00 USD, approved, payout 12\.00 USD \(cv_\w+\)$/m);
    expect(output).toMatch(/^PHONE-1003: 45\.00 USD, pending, payout 4\.50 USD \(cv_\w+\)$/m);

    const booked = (await waypost.conversions.list({ publisherId })).data;
    expect(booked.map(({ transactionId, source, clickId, status, payout }) => ({ transactionId, source, clickId, status, payout })).reverse()).toEqual([
      { transactionId: 'PHONE-1001', source: 'manual', clickId: null, status: 'approved', payout: '12.00' },
      { transactionId: 'PHONE-1002', source: 'manual', clickId: null, status: 'approved', payout: '8.95' },
      { transactionId: 'PHONE-1003', source: 'manual', clickId: null, status: 'pending', payout: '4.50' },
    ]);

    // The order ids are the transaction ids: a second run finds every order booked.
    expect(await runExample('book-phone-orders.ts', { cwd: root, env })).toBe(output);
    expect((await waypost.conversions.list({ publisherId })).data).toEqual(booked);
  });

  it('README quotes the lines to copy from the script', () => {
    expect(unquotedExcerpts(`${root}README.md`, [`${root}book-phone-orders.ts`])).toEqual([]);
  });
});
