import { clickCookies, expect, HOSTS, test, trackingParams } from '../fixtures.js';

test.describe('a click id from a tracking link', () => {
  test('is read on the checkout from the cookie the lander set on .shop.waypost.test', async ({ page, site, waypost }) => {
    const tracker = { cookieDomain: 'shop.waypost.test' };
    const landerUrl = site.page(HOSTS.lander, '/offer', { tracker });
    const checkoutUrl = site.page(HOSTS.checkout, '/cart', { tracker });
    const publisher = await waypost.createPublisher();
    const offer = await waypost.createOffer({ url: `${landerUrl}?click_id={click_id}`, directTracking: false });

    await page.goto(`${waypost.publicUrl}/c/${offer.id}?pub=${publisher.id}&sub1=spring`);
    const landed = new URL(page.url());
    expect(landed.host).toBe(new URL(landerUrl).host);
    const clickId = landed.searchParams.get('click_id');
    expect(await waypost.clicks(offer.id)).toEqual([
      expect.objectContaining({ id: clickId, source: 'redirect', publisherId: publisher.id, sub1: 'spring' }),
    ]);
    expect((await trackingParams(page)).click_id).toBe(clickId);
    expect(await clickCookies(page)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ domain: '.shop.waypost.test', path: '/', value: clickId, sameSite: 'Lax', httpOnly: false }),
        // The tracking link's own cookie, for the pixel: HttpOnly on the tracking host only.
        expect.objectContaining({ domain: HOSTS.track, value: clickId, sameSite: 'Lax', httpOnly: true }),
      ]),
    );

    await page.goto(checkoutUrl);
    expect(new URL(page.url()).search).toBe('');
    expect(await trackingParams(page)).toEqual({ click_id: clickId });
  });

  // Without data-cookie-domain (sdk-browser README, Storage and consent) the cookie goes on the widest domain that
  // accepts it. Here that is waypost.test, the registrable domain (Chromium refuses `test` as a top-level domain), as
  // shop.com would be for lander.shop.com. A site that shares its registrable domain with others, as the shop does
  // here, scopes the cookie with data-cookie-domain, as the test above does.
  test('goes on the widest domain that accepts it without data-cookie-domain, and the checkout reads it there', async ({ page, site, waypost }) => {
    const landerUrl = site.page(HOSTS.lander, '/offer');
    const checkoutUrl = site.page(HOSTS.checkout, '/cart');
    const offer = await waypost.createOffer({ url: `${landerUrl}?click_id={click_id}`, directTracking: false });

    await page.goto(`${waypost.publicUrl}/c/${offer.id}`);
    const clickId = new URL(page.url()).searchParams.get('click_id');
    expect((await trackingParams(page)).click_id).toBe(clickId);
    const onShopHosts = (await clickCookies(page)).filter((cookie) => cookie.domain !== HOSTS.track);
    expect(onShopHosts).toEqual([expect.objectContaining({ domain: '.waypost.test', value: clickId, sameSite: 'Lax' })]);

    await page.goto(checkoutUrl);
    expect((await trackingParams(page)).click_id).toBe(clickId);
  });
});
