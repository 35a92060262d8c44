import { expect, HOSTS, test, trackingParams } from '../fixtures.js';

test.describe('the thank-you snippet', () => {
  test('records exactly one conversion when the thank-you page is reloaded', async ({ page, site, waypost }) => {
    const offer = await waypost.createOffer({ currency: 'EUR' });
    const landerUrl = site.page(HOSTS.lander, '/offer', { tracker: { offer: offer.id, cookieDomain: 'shop.waypost.test' } });
    const thankYouUrl = site.page(HOSTS.checkout, '/thank-you', {
      tracker: { cookieDomain: 'shop.waypost.test', convert: '', amount: '49.90', currency: 'EUR', transactionId: 'A-1001' },
    });
    await page.goto(landerUrl);
    const { click_id: clickId } = await trackingParams(page);

    const conversionReply = () => page.waitForResponse(`${waypost.publicUrl}/v1/conversions/browser`);
    const firstReply = conversionReply();
    await page.goto(thankYouUrl);
    const first = await (await firstReply).json();
    // The account reports in USD and no EUR rate is set: the sale is kept, and priced once a rate arrives.
    expect(first).toEqual({ status: 'accepted', conversionId: expect.any(String), reason: 'fx_rate_missing' });

    const secondReply = conversionReply();
    await page.reload();
    expect(await (await secondReply).json()).toEqual({ status: 'duplicate', conversionId: first.conversionId });

    expect(await waypost.conversions(offer.id)).toEqual([
      expect.objectContaining({
        id: first.conversionId,
        clickId,
        source: 'browser',
        // Browser conversions are trusted less: pending unless the offer says otherwise.
        status: 'pending',
        amount: '49.90',
        currency: 'EUR',
        transactionId: 'A-1001',
        kind: 'conversion',
      }),
    ]);
  });
});
