import type { IncomingMessage } from 'node:http';
import { aroundToday, expect, HOSTS, test } from '../../fixtures.js';

test.describe("the paid-traffic funnel: a traffic source's ad, the campaign link, a lander on another host, the network's offer and postbacks", () => {
  test.skip(({ build }) => build !== 'script', 'no page here loads the browser SDK');
  // Headless Chromium names itself HeadlessChrome, which the campaign link rightly counts as a bot; a visitor's
  // browser does not.
  test.use({ userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36' });

  test('ends with the visit, the lander click, the sale, its cost, profit and ROI in the report, and the traffic source told', async ({ page, site, waypost, examples }) => {
    // The traffic source's postback endpoint. The outbox calls it from Node, which does not resolve *.waypost.test.
    const told: URL[] = [];
    site.route('127.0.0.1', '/pushnet/conversion', (req: IncomingMessage, res) => {
      told.push(new URL(req.url!, 'http://127.0.0.1'));
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
    const sourcePostback = `${site.url('127.0.0.1', '/pushnet/conversion')}?cid={external_id}&payout={payout}`;

    // The lander, on its own host, renders its call to action from the click URL the campaign gives it in `next`.
    const landerUrl = site.route(HOSTS.lander, '/quiz', (req, res) => {
      const next = new URL(req.url!, 'http://lander.invalid').searchParams.get('next') ?? '';
      const href = next.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
        .end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Quiz</title></head><body><h1>Is your connection private?</h1><a href="${href}">Get the VPN</a></body></html>`);
    });
    const offerPage = site.page(HOSTS.network, '/vpn', { tracker: false, body: '<h1>VPN trial</h1>' });

    const printed = await examples.campaignFunnel({ LANDER_URL: `${landerUrl}?next={click_url}`, OFFER_URL: `${offerPage}?click_id={click_id}`, SOURCE_POSTBACK_URL: sourcePostback });
    // The source fills its placeholders in the campaign URL it was given.
    const campaignUrl = printed['campaign URL']!.replace('{clickid}', 'PN-1').replace('{zoneid}', '42');
    expect(campaignUrl).toBe(`${waypost.publicUrl}/t/pushnet-us?cid=PN-1&zone=42`);
    const adUrl = site.page(HOSTS.ads, '/news', { tracker: false, body: `<a href="${campaignUrl.replace(/&/g, '&amp;')}">Browse privately</a>` });

    await page.goto(adUrl);
    await page.getByRole('link', { name: 'Browse privately' }).click();
    await page.waitForURL(`${landerUrl}?*`);
    await expect(page.getByRole('heading', { name: 'Is your connection private?' })).toBeVisible();
    await page.getByRole('link', { name: 'Get the VPN' }).click();
    await page.waitForURL(`${offerPage}?*`);
    await expect(page.getByRole('heading', { name: 'VPN trial' })).toBeVisible();
    const clickId = new URL(page.url()).searchParams.get('click_id')!;

    const click = await waypost.api.clicks.retrieve(clickId);
    expect(click).toMatchObject({ source: 'campaign', externalId: 'PN-1', sub1: '42', cost: '0.05', isUnique: true, isBot: false, landerClickedAt: expect.any(String) });

    // The network reports the sale on the offer's postback URL (from Node, by the server's address).
    const postback = printed['network postback URL']!
      .replace(waypost.publicUrl, waypost.url)
      .replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(({ click_id: clickId, transaction_id: 'NET-1' } as Record<string, string>)[name] ?? ''));
    const answer = await fetch(postback);
    expect(await answer.json()).toMatchObject({ status: 'accepted' });

    await expect.poll(() => told.length).toBe(1);
    expect(Object.fromEntries(told[0]!.searchParams)).toEqual({ cid: 'PN-1', payout: '4.00' });

    const report = await waypost.api.reports.get({ ...aroundToday(), campaignId: click.campaignId!, groupBy: 'campaign,lander,offer' });
    expect(report.rows).toEqual([
      expect.objectContaining({
        campaignId: click.campaignId,
        landerId: click.landerId,
        offerId: click.offerId,
        visits: 1,
        uniqueVisits: 1,
        landerClicks: 1,
        conversions: expect.objectContaining({ total: 1, approved: 1 }),
        payout: '0.00',
        revenue: '4.00',
        cost: '0.05',
        profit: '3.95',
        roi: '7900.00',
      }),
    ]);
  });
});
