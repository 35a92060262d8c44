import { expect, HOSTS, test } from '../../fixtures.js';

test.describe('the capped-offer funnel', () => {
  test.skip(({ build }) => build !== 'script', 'the capped route is decided by the tracking link; no page loads the browser SDK');

  test("sends a new visitor to the fallback offer's page once the daily cap is reached by real sales", async ({ browser, page, site, waypost, examples }) => {
    const publisher = await waypost.createPublisher();
    const shopUrl = await examples.shop(HOSTS.checkout);
    const fallbackUrl = site.page(HOSTS.lander, '/winter-deal', { tracker: false });
    const fallback = await waypost.createOffer({ url: `${fallbackUrl}?click_id={click_id}`, directTracking: false });
    // The capped offer sends its visitors straight to the shop's checkout, with the click id in the URL.
    const capped = await waypost.createOffer({
      url: `${shopUrl}checkout?click_id={click_id}`,
      cap: { daily: 2, fallbackOfferId: fallback.id },
      directTracking: false,
    });
    const { trackingUrl } = await waypost.api.offers.links(capped.id, { publisherId: publisher.id });

    // Two buyers reach the cap, each in their own browser.
    for (const buyer of [1, 2]) {
      const context = await browser.newContext();
      const buyerPage = await context.newPage();
      await buyerPage.goto(`${trackingUrl}&sub1=buyer-${buyer}`);
      expect(buyerPage.url()).toMatch(new RegExp(`^${shopUrl}checkout\\?click_id=`));
      await buyerPage.click('#pay');
      await expect(buyerPage.locator('#order-id')).toHaveText(/^A-/);
      await context.close();
    }
    expect((await waypost.conversions(capped.id)).map((conversion) => conversion.status)).toEqual(['approved', 'approved']);

    await page.goto(`${trackingUrl}&sub1=late`);
    const landed = new URL(page.url());
    expect(`${landed.origin}${landed.pathname}`).toBe(fallbackUrl);
    expect(await waypost.clicks(fallback.id)).toEqual([
      expect.objectContaining({ id: landed.searchParams.get('click_id'), offerId: fallback.id, publisherId: publisher.id, sub1: 'late', source: 'redirect' }),
    ]);
    expect((await waypost.clicks(capped.id)).map((click) => click.sub1).sort()).toEqual(['buyer-1', 'buyer-2']);
  });
});
