import { fileURLToPath } from 'node:url';
import { Waypost } from '@waypost/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostbackReceiver, type PostbackReceiver } from '../../../packages/server/test/support/receivers.js';
import { readmeQuotes, runExample } from '../../../scripts/test-support/readme.js';
import { type ExampleServer, startWaypost } from '../../../scripts/test-support/waypost-server.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';

describe('examples/campaign-funnel', () => {
  let server: ExampleServer;
  let pushnet: PostbackReceiver;
  let waypost: Waypost;
  let printed: Record<string, string>;

  beforeAll(async () => {
    server = await startWaypost();
    // The traffic source's postback endpoint, played by a real HTTP server.
    pushnet = await startPostbackReceiver();
    waypost = new Waypost({ apiKey: server.apiKey, baseUrl: server.url });
    const output = await runExample('campaign-funnel.ts', {
      cwd: root,
      env: { WAYPOST_URL: server.url, WAYPOST_ADMIN_KEY: server.apiKey, SOURCE_POSTBACK_URL: `${pushnet.url}/conversion?cid={external_id}&payout={payout}` },
    });
    printed = Object.fromEntries(output.trim().split('\n').map((line) => [line.slice(0, line.indexOf(': ')), line.slice(line.indexOf(': ') + 2)]));
  });
  afterAll(async () => {
    await pushnet?.close();
    await server?.close();
  });

  it('prints the campaign URL with the source’s placeholders, the lander’s call to action and the network’s postback URL', () => {
    expect(printed).toEqual({
      'campaign URL': `${server.publicUrl}/t/pushnet-us?cid={clickid}&zone={zoneid}`,
      'lander call to action': `${server.publicUrl}/click/1`,
      'network postback URL': expect.stringMatching(new RegExp(`^${server.publicUrl}/postback\\?click_id=\\{click_id\\}&amount=\\{amount\\}&transaction_id=\\{transaction_id\\}&token=\\w+$`)),
    });
  });

  it('follows two paid visits through the lander to the offer, a sale by the network’s postback to the source’s postback and the report’s profit and ROI', async () => {
    // The source sends two visitors, filling its placeholders.
    const visit = async (clickid: string, userAgent: string) => {
      const url = printed['campaign URL']!.replace('{clickid}', clickid).replace('{zoneid}', '42');
      const response = await fetch(url.replace(server.publicUrl, server.url), { redirect: 'manual', headers: { 'user-agent': userAgent } });
      expect(response.status).toBe(302);
      return new URL(response.headers.get('location')!);
    };
    const buyerLanding = await visit('PN-1', CHROME);
    await visit('PN-2', IPHONE);
    expect(`${buyerLanding.origin}${buyerLanding.pathname}`).toBe('https://lander.example.com/quiz');

    // The first visitor clicks the lander's call to action, which reaches the network's offer with Waypost's click id.
    const clickUrl = new URL(buyerLanding.searchParams.get('next')!);
    const toOffer = await fetch(`${server.url}${clickUrl.pathname}${clickUrl.search}`, { redirect: 'manual', headers: { 'user-agent': CHROME } });
    expect(toOffer.status).toBe(302);
    const offerPage = new URL(toOffer.headers.get('location')!);
    expect(`${offerPage.origin}${offerPage.pathname}`).toBe('https://network.example/offer');
    const clickId = offerPage.searchParams.get('click_id')!;

    // The network reports the sale on its postback URL.
    const postback = printed['network postback URL']!.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent({ click_id: clickId, transaction_id: 'NET-1', amount: '29.99' }[name] ?? ''));
    const answer = await fetch(postback.replace(server.publicUrl, server.url));
    expect(await answer.json()).toMatchObject({ status: 'accepted' });

    // Waypost tells the traffic source, with its own click id and the revenue.
    await expect.poll(() => pushnet.received.length, { timeout: 10_000 }).toBe(1);
    const told = new URL(pushnet.received[0]!.url);
    expect(Object.fromEntries(told.searchParams)).toEqual({ cid: 'PN-1', payout: '4.00' });

    const click = await waypost.clicks.retrieve(clickId);
    expect(click).toMatchObject({ source: 'campaign', externalId: 'PN-1', sub1: '42', cost: '0.05', landerClickedAt: expect.any(String) });

    const today = new Date().toISOString().slice(0, 10);
    const report = await waypost.reports.get({ from: today, to: today, groupBy: 'campaign,lander,offer' });
    expect(report.rows).toHaveLength(1);
    expect(report.rows[0]).toMatchObject({
      campaignId: click.campaignId,
      landerId: click.landerId,
      offerId: click.offerId,
      visits: 2,
      uniqueVisits: 2,
      landerClicks: 1,
      ctr: '50.00',
      conversions: { total: 1, approved: 1 },
      payout: '0.00',
      revenue: '4.00',
      cost: '0.10',
      profit: '3.90',
      roi: '3900.00',
    });
  });

  it('is quoted whole in the root README', () => {
    expect(readmeQuotes(`${repoRoot}README.md`, `${root}campaign-funnel.ts`)).toBe(true);
  });
});
