import { expect, HOSTS, test, trackingParams } from '../fixtures.js';

test.describe('the snippets that GET /v1/offers/:id/links hands out', () => {
  test.skip(({ build }) => build !== 'script', 'the snippets are script tags');

  test('record a tracking-link visit and its sale when pasted as they are, on an offer made with the defaults', async ({ page, site, waypost }) => {
    // Only what an offer must have: no direct tracking, no allowed origins.
    const landerUrl = site.url(HOSTS.lander, '/offer');
    const offer = await waypost.api.offers.create({ name: 'E2E snippets with defaults', url: `${landerUrl}?click_id={click_id}`, payout: { model: 'cpa', amount: '10.00' } });
    expect(offer).toMatchObject({ directTracking: false, allowedOrigins: [] });
    const publisher = await waypost.createPublisher();
    const links = await waypost.api.offers.links(offer.id, { publisherId: publisher.id });
    // POST /v1/visits refuses every view of this offer, so its snippet is not handed out, and the reply says why.
    expect(links).toMatchObject({ directTrackingSnippet: null, directTrackingSnippetUnavailable: 'direct_tracking_disabled' });

    site.page(HOSTS.lander, '/offer', { tracker: false, head: links.landerSnippet });
    const conversionSnippet = links.conversionSnippet.replace('ORDER_AMOUNT', '30.00').replace('ORDER_ID', 'SNIP-1');
    const thankYouUrl = site.page(HOSTS.checkout, '/thank-you', { tracker: false, head: conversionSnippet });

    await page.goto(links.trackingUrl);
    const { click_id: clickId } = await trackingParams(page);
    expect(await waypost.clicks(offer.id)).toEqual([expect.objectContaining({ id: clickId, publisherId: publisher.id, source: 'redirect' })]);

    const conversionReply = page.waitForResponse(`${waypost.publicUrl}/v1/conversions/browser`);
    await page.goto(thankYouUrl);
    expect(await (await conversionReply).json()).toMatchObject({ status: 'accepted' });
    expect(await waypost.conversions(offer.id)).toEqual([
      expect.objectContaining({ clickId, publisherId: publisher.id, amount: '30.00', currency: offer.currency, transactionId: 'SNIP-1' }),
    ]);
  });

  test('record a direct visit and its sale once the offer turns direct tracking on', async ({ page, site, waypost }) => {
    const offer = await waypost.api.offers.create({ name: 'E2E snippets, direct', url: 'https://merchant.example/?click_id={click_id}', payout: { model: 'cpa', amount: '10.00' } });
    await waypost.api.offers.update(offer.id, { directTracking: true });
    const publisher = await waypost.createPublisher();
    const links = await waypost.api.offers.links(offer.id, { publisherId: publisher.id });
    expect(links.directTrackingSnippetUnavailable).toBeNull();
    const conversionSnippet = links.conversionSnippet.replace('ORDER_AMOUNT', '30.00').replace('ORDER_ID', 'SNIP-2');
    const landerUrl = site.page(HOSTS.lander, '/offer', { tracker: false, head: links.directTrackingSnippet! });
    const thankYouUrl = site.page(HOSTS.checkout, '/thank-you', { tracker: false, head: conversionSnippet });

    // No tracking link: the visitor comes straight to the lander, and an empty allowedOrigins lets any page record it.
    await page.goto(`${landerUrl}?pub=${publisher.id}`);
    const { click_id: clickId } = await trackingParams(page);
    expect(await waypost.clicks(offer.id)).toEqual([expect.objectContaining({ id: clickId, publisherId: publisher.id, source: 'direct' })]);

    const conversionReply = page.waitForResponse(`${waypost.publicUrl}/v1/conversions/browser`);
    await page.goto(thankYouUrl);
    expect(await (await conversionReply).json()).toMatchObject({ status: 'accepted' });
    expect(await waypost.conversions(offer.id)).toEqual([expect.objectContaining({ clickId, publisherId: publisher.id, transactionId: 'SNIP-2' })]);
  });
});
