import { clickCookies, expect, HOSTS, test, trackingParams } from '../../fixtures.js';

test.describe('the consent funnel: a lander and a thank-you page with data-consent="pending"', () => {
  test('stores nothing before consent, keeps the click id across a reload once granted, and attributes the sale', async ({ page, site, waypost }) => {
    const publisher = await waypost.createPublisher();
    const offer = await waypost.createOffer();
    // Both pages as the site renders them while its consent banner has no answer.
    const tracker = { cookieDomain: 'shop.waypost.test', consent: 'pending' };
    const landerUrl = site.page(HOSTS.lander, '/offer', { tracker: { ...tracker, offer: offer.id } });
    const thankYouUrl = site.page(HOSTS.checkout, '/thank-you', {
      tracker: { ...tracker, convert: '', amount: '49.90', currency: 'USD', transactionId: 'CONSENT-1' },
    });
    const stored = async () => ({
      cookies: (await clickCookies(page)).map((cookie) => cookie.value),
      localStorage: await page.evaluate(() => localStorage.getItem('waypost_cid')),
    });

    await page.goto(`${landerUrl}?pub=${publisher.id}`);
    const { click_id: clickId } = await trackingParams(page);
    expect(clickId).toEqual(expect.any(String));
    expect(await stored()).toEqual({ cookies: [], localStorage: null });

    await page.evaluate(() => window.waypost!.consent(true));
    expect(await stored()).toEqual({ cookies: [clickId], localStorage: clickId });

    await page.reload();
    expect((await trackingParams(page)).click_id).toBe(clickId);
    expect(await waypost.clicks(offer.id)).toEqual([expect.objectContaining({ id: clickId, source: 'direct', publisherId: publisher.id })]);

    const conversionReply = page.waitForResponse(`${waypost.publicUrl}/v1/conversions/browser`);
    await page.goto(thankYouUrl);
    expect(await (await conversionReply).json()).toEqual({ status: 'accepted', conversionId: expect.any(String) });
    expect(await waypost.conversions(offer.id)).toEqual([
      expect.objectContaining({ clickId, publisherId: publisher.id, source: 'browser', amount: '49.90', transactionId: 'CONSENT-1' }),
    ]);
  });
});
