import { aroundToday, expect, HOSTS, test, trackingParams } from '../../fixtures.js';

test.describe('the redirect funnel: an ad, the tracking link, the static lander, the thank-you page on the checkout host', () => {
  test.skip(({ build }) => build !== 'script', 'examples/static-lander is plain pages with the script tag');

  test('counts one conversion with the offer payout for the publisher and sub id of the ad', async ({ page, site, waypost, examples }) => {
    const publisher = await waypost.createPublisher();
    const otherPublisher = await waypost.createPublisher();
    const offer = await waypost.createOffer({ payout: { model: 'cpa', amount: '12.50' }, directTracking: true });
    // The shop uploaded the same files to its checkout host; the offer page's "Buy now" goes there.
    const checkoutUrl = await examples.lander(HOSTS.checkout, { offerId: offer.id });
    const landerUrl = await examples.lander(HOSTS.lander, { offerId: offer.id, buyUrl: `${checkoutUrl}thank-you.html` });
    await waypost.api.offers.update(offer.id, { url: `${landerUrl}lander.html?click_id={click_id}` });
    const { trackingUrl } = await waypost.api.offers.links(offer.id, { publisherId: publisher.id });
    const adUrl = site.page(HOSTS.ads, '/article', {
      tracker: false,
      body: `<h1>Ten ways to cut your power bill</h1><p><a id="ad" href="${trackingUrl}&amp;sub1=banner-top">Solar panels, six-year payback</a></p>`,
    });
    // Another publisher's visitor, who does not buy: the report must keep the two apart.
    await fetch(`${waypost.url}/c/${offer.id}?pub=${otherPublisher.id}&sub1=banner-top`, { redirect: 'manual' });

    await page.goto(adUrl);
    await page.click('#ad');
    await page.waitForURL(`${landerUrl}lander.html?click_id=*`);
    const clickId = new URL(page.url()).searchParams.get('click_id');
    expect((await trackingParams(page)).click_id).toBe(clickId);
    await page.click('#offer-link');
    await page.waitForURL(`${landerUrl}offer.html`);
    const conversionReply = page.waitForResponse(`${waypost.publicUrl}/v1/conversions/browser`);
    await page.click('#buy-link');
    await page.waitForURL(`${checkoutUrl}thank-you.html`);
    expect(await (await conversionReply).json()).toEqual({ status: 'accepted', conversionId: expect.any(String) });

    expect((await waypost.clicks(offer.id)).find((click) => click.id === clickId)).toMatchObject({
      source: 'redirect',
      publisherId: publisher.id,
      sub1: 'banner-top',
      // Chromium's default policy (strict-origin-when-cross-origin) sends another site only the ad page's origin.
      referrer: `${site.origin(HOSTS.ads)}/`,
    });
    expect(await waypost.conversions(offer.id)).toEqual([
      expect.objectContaining({ clickId, publisherId: publisher.id, amount: '49.90', currency: 'USD', transactionId: 'ORDER-1001', payout: '12.50' }),
    ]);
    const report = await waypost.api.reports.get({ ...aroundToday(), offerId: offer.id, groupBy: ['publisher', 'sub1'] });
    expect(report.rows).toHaveLength(2);
    expect(report.rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          publisherId: publisher.id,
          sub1: 'banner-top',
          clicks: 1,
          // Browser conversions are pending unless the offer sets approval.browserStatus.
          conversions: { total: 1, approved: 0, pending: 1, rejected: 0, clickless: 0 },
          payout: '12.50',
        }),
        expect.objectContaining({ publisherId: otherPublisher.id, sub1: 'banner-top', clicks: 1, conversions: { total: 0, approved: 0, pending: 0, rejected: 0, clickless: 0 }, payout: '0.00' }),
      ]),
    );
  });
});
