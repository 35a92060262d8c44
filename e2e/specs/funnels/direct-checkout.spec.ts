import { clickCookies, expect, HOSTS, test, trackingParams } from '../../fixtures.js';

test.describe('the direct funnel: the static lander with ?pub=, then the express-checkout shop on the checkout host', () => {
  test.skip(({ build }) => build !== 'script', 'examples/static-lander is plain pages with the script tag');

  test("reports the shop's sale through the Node SDK on the click that the lander's visit recorded", async ({ page, waypost, examples }) => {
    const publisher = await waypost.createPublisher();
    const offer = await waypost.createOffer({ payout: { model: 'cps', percent: '10' } });
    const shopUrl = await examples.shop(HOSTS.checkout);
    const landerUrl = await examples.lander(HOSTS.lander, { offerId: offer.id, buyUrl: `${shopUrl}checkout` });

    await page.goto(`${landerUrl}lander.html?pub=${publisher.id}&sub2=newsletter`);
    const { click_id: clickId } = await trackingParams(page);
    expect(await waypost.clicks(offer.id)).toEqual([
      expect.objectContaining({ id: clickId, source: 'direct', publisherId: publisher.id, sub2: 'newsletter' }),
    ]);
    // No data-cookie-domain on the example's pages: the cookie goes on the widest domain, which the checkout shares.
    expect(await clickCookies(page)).toEqual([expect.objectContaining({ domain: '.waypost.test', value: clickId })]);

    await page.click('#offer-link');
    await page.click('#buy-link');
    await page.waitForURL(`${shopUrl}checkout`);
    await page.click('#pay');
    const orderId = await page.locator('#order-id').textContent();
    expect(orderId).toMatch(/^A-[0-9a-f]{12}$/);

    expect(await waypost.conversions(offer.id)).toEqual([
      expect.objectContaining({
        clickId,
        publisherId: publisher.id,
        transactionId: orderId,
        // Reported from the shop's server with an API key: trusted, so the offer's default status.
        source: 'api',
        status: 'approved',
        amount: '49.90',
        currency: 'USD',
        payout: '4.99',
      }),
    ]);
    expect(await waypost.clicks(offer.id)).toHaveLength(1);
  });
});
