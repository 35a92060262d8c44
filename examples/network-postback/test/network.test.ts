import { fileURLToPath } from 'node:url';
import { type Offer, type OfferLinks, Waypost } from '@waypost/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExample, unquotedExcerpts } from '../../../scripts/test-support/readme.js';
import { type ExampleServer, startWaypost } from '../../../scripts/test-support/waypost-server.js';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('examples/network-postback', () => {
  let server: ExampleServer;
  let waypost: Waypost;
  let offer: Offer;
  let links: OfferLinks;

  beforeAll(async () => {
    server = await startWaypost();
    waypost = new Waypost({ apiKey: server.apiKey, baseUrl: server.url });
    const publisher = await waypost.publishers.create({ name: 'Media buyer' });
    // A subscription offer: a rebill on an already converted click pays again (duplicates: 'rebill').
    offer = await waypost.offers.create({
      name: 'Streaming subscription',
      url: 'https://network.example/offer?click_id={click_id}',
      payout: { model: 'cpa', amount: '30.00' },
      revenue: { amount: '45.00' },
      duplicates: 'rebill',
    });
    links = await waypost.offers.links(offer.id, { publisherId: publisher.id });
  });
  afterAll(() => server.close());

  const run = (env: Record<string, string>) => runExample('network.ts', { cwd: root, env: { WAYPOST_POSTBACK_URL: links.postbackUrl!, ...env } });

  it('records the lead, updates it to approved with the sale, then adds a rebill that pays again', async () => {
    const output = await run({ WAYPOST_TRACKING_URL: links.trackingUrl });
    expect(output).toMatch(/^lead NET-\w+: 200 \{"status":"accepted","conversionId":"cv_\w+"\}$/m);
    expect(output).toMatch(/^sale NET-\w+: 200 \{"status":"updated","conversionId":"cv_\w+"\}$/m);
    expect(output).toMatch(/^rebill NET-\w+-R1: 200 \{"status":"rebill","conversionId":"cv_\w+"\}$/m);

    const conversions = (await waypost.conversions.list({ offerId: offer.id, order: 'asc' })).data;
    expect(conversions.map(({ kind, status, source, payout, revenue }) => ({ kind, status, source, payout, revenue }))).toEqual([
      { kind: 'conversion', status: 'approved', source: 'postback', payout: '30.00', revenue: '45.00' },
      { kind: 'rebill', status: 'approved', source: 'postback', payout: '30.00', revenue: '45.00' },
    ]);
    expect(conversions[1]).toMatchObject({ transactionId: `${conversions[0]!.transactionId}-R1`, clickId: conversions[0]!.clickId, amount: '49.90' });

    const today = new Date().toISOString().slice(0, 10);
    const { totals } = await waypost.reports.get({ from: today, to: today, offerId: offer.id });
    expect(totals).toMatchObject({ clicks: 1, conversions: { total: 1, approved: 1, pending: 0, rejected: 0 }, rebills: 1, payout: '60.00', revenue: '90.00' });
  });

  it('reports against the click id it is given', async () => {
    const tracked = await fetch(links.trackingUrl, { redirect: 'manual' });
    const clickId = new URL(tracked.headers.get('location')!).searchParams.get('click_id')!;
    await run({ WAYPOST_CLICK_ID: clickId });
    const conversions = (await waypost.conversions.list({ offerId: offer.id })).data.filter((conversion) => conversion.clickId === clickId);
    expect(conversions.map((conversion) => conversion.kind).sort()).toEqual(['conversion', 'rebill']);
  });

  it('README quotes the lines to copy from the script', () => {
    expect(unquotedExcerpts(`${root}README.md`, [`${root}network.ts`])).toEqual([]);
  });
});
