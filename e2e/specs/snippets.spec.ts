import { expect, HOSTS, test, trackingParams } from '../fixtures.js';

test.describe('the snippets that GET /v1/offers/:id/links hands out', () => {
  test.skip(({ build }) => build !== 'script', 'the snippets are script tags');

  test('track a visit and report its sale when pasted as they are', async ({ page, site, waypost }) => {
    const offer = await waypost.createOffer({ allowedOrigins: [site.origin(HOSTS.lander), site.origin(HOSTS.checkout)] });
    const publisher = await waypost.createPublisher();
    const links = await waypost.api.offers.links(offer.id, { publisherId: publisher.id });
    const conversionSnippet = links.conversionSnippet.replace('ORDER_AMOUNT', '30.00').replace('ORDER_ID', 'SNIP-1');
    const landerUrl = site.page(HOSTS.lander, '/offer', { tracker: false, head: links.directTrackingSnippet });
    const thankYouUrl = site.page(HOSTS.checkout, '/thank-you', { tracker: false, head: conversionSnippet });

    await page.goto(`${landerUrl}?pub=${publisher.id}`);
    const { click_id: clickId } = await trackingParams(page);
    expect(await waypost.clicks(offer.id)).toEqual([expect.objectContaining({ id: clickId, publisherId: publisher.id, source: 'direct' })]);

    const conversionReply = page.waitForResponse(`${waypost.publicUrl}/v1/conversions/browser`);
    await page.goto(thankYouUrl);
    expect(await (await conversionReply).json()).toMatchObject({ status: 'accepted' });
    expect(await waypost.conversions(offer.id)).toEqual([
      expect.objectContaining({ clickId, publisherId: publisher.id, amount: '30.00', currency: offer.currency, transactionId: 'SNIP-1' }),
    ]);
  });
});
