import { clickCookies, expect, HOSTS, test, trackingParams } from '../fixtures.js';

test.describe('direct tracking with data-offer', () => {
  test('creates a direct click for a visit without a click id, and stores its id in the cookie and window.waypost', async ({ page, site, waypost }) => {
    const publisher = await waypost.createPublisher();
    const offer = await waypost.createOffer({ allowedOrigins: [site.origin(HOSTS.lander)] });
    const landerUrl = site.page(HOSTS.lander, '/spring-sale', { tracker: { offer: offer.id, cookieDomain: 'shop.waypost.test' } });

    const visitUrl = `${landerUrl}?pub=${publisher.id}&sub1=newsletter&gclid=G-123`;
    await page.goto(visitUrl);
    const params = await trackingParams(page);

    const clicks = await waypost.clicks(offer.id);
    expect(clicks).toEqual([
      expect.objectContaining({
        source: 'direct',
        status: 'accepted',
        offerId: offer.id,
        publisherId: publisher.id,
        sub1: 'newsletter',
        landingUrl: visitUrl,
        adClickIds: { gclid: 'G-123' },
      }),
    ]);
    const clickId = clicks[0]!.id;
    expect(params).toEqual({ click_id: clickId, offer_id: offer.id, publisher_id: publisher.id, sub1: 'newsletter', gclid: 'G-123' });
    expect(await page.evaluate(() => window.waypost?.tracking_params)).toEqual(params);
    expect(await clickCookies(page)).toEqual([
      expect.objectContaining({ domain: '.shop.waypost.test', value: clickId, sameSite: 'Lax' }),
    ]);
    expect(await page.evaluate(() => localStorage.getItem('waypost_cid'))).toBe(clickId);
  });

  test('records a second page view as a visit on the same click, not as a new click', async ({ page, site, waypost }) => {
    const offer = await waypost.createOffer();
    const landerUrl = site.page(HOSTS.lander, '/spring-sale', { tracker: { offer: offer.id } });

    await page.goto(landerUrl);
    const first = await trackingParams(page);
    await page.goto(`${landerUrl}?step=2`);
    const second = await trackingParams(page);

    expect(second.click_id).toBe(first.click_id);
    expect(await waypost.clicks(offer.id)).toEqual([expect.objectContaining({ id: first.click_id, source: 'direct' })]);
  });

  test('gets no click for a page on an origin the offer does not allow', async ({ page, site, waypost }) => {
    const offer = await waypost.createOffer({ allowedOrigins: [site.origin(HOSTS.lander)] });
    const adsUrl = site.page(HOSTS.ads, '/banner', { tracker: { offer: offer.id } });

    await page.goto(adsUrl);
    expect(await trackingParams(page)).toEqual({ offer_id: offer.id });
    expect(await waypost.clicks(offer.id)).toEqual([]);
    expect(await clickCookies(page)).toEqual([]);
  });
});
