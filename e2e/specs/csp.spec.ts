import { expect, HOSTS, test, trackingParams, type WaypostServer } from '../fixtures.js';

/** Only the page's own origin and the tracking origin, for scripts, requests and images (the pixel). */
const strictPolicy = (waypost: WaypostServer) =>
  [
    "default-src 'none'",
    `script-src 'self' ${waypost.publicUrl}`,
    `connect-src 'self' ${waypost.publicUrl}`,
    `img-src 'self' ${waypost.publicUrl}`,
  ].join('; ');

test.describe('a page with a strict Content-Security-Policy', () => {
  test('tracks a visit and reports a conversion with no violation and no console error', async ({ page, site, waypost, problems }) => {
    const headers = { 'Content-Security-Policy': strictPolicy(waypost) };
    const offer = await waypost.createOffer();
    const landerUrl = site.page(HOSTS.lander, '/offer', { tracker: { offer: offer.id, cookieDomain: 'shop.waypost.test' }, headers });
    const thankYouUrl = site.page(HOSTS.checkout, '/thank-you', {
      tracker: { cookieDomain: 'shop.waypost.test', convert: '', amount: '19.00', transactionId: 'CSP-1' },
      headers,
    });

    const response = await page.goto(landerUrl);
    expect(response?.headers()['content-security-policy']).toBe(headers['Content-Security-Policy']);
    const { click_id: clickId } = await trackingParams(page);
    expect(await waypost.clicks(offer.id)).toEqual([expect.objectContaining({ id: clickId, source: 'direct' })]);

    const conversionReply = page.waitForResponse(`${waypost.publicUrl}/v1/conversions/browser`);
    await page.goto(thankYouUrl);
    expect(await (await conversionReply).json()).toMatchObject({ status: 'accepted' });
    expect(await waypost.conversions(offer.id)).toEqual([expect.objectContaining({ clickId, source: 'browser', transactionId: 'CSP-1' })]);

    expect(problems).toEqual({ consoleErrors: [], pageErrors: [], cspViolations: [] });
  });

  test('reports a conversion by image pixel, the click found by the tracking cookie, with no violation', async ({ page, site, waypost, problems }) => {
    const headers = { 'Content-Security-Policy': strictPolicy(waypost) };
    // The offer URL passes no click id, so the pages never learn it: only the tracking domain's cookie knows.
    const landerUrl = site.page(HOSTS.lander, '/offer', { headers });
    const thankYouUrl = site.page(HOSTS.checkout, '/thank-you', {
      tracker: { convert: '', amount: '19.00', transactionId: 'CSP-2' },
      headers,
    });
    const offer = await waypost.createOffer({ url: landerUrl, directTracking: false });

    await page.goto(`${waypost.publicUrl}/c/${offer.id}`);
    expect(page.url()).toBe(landerUrl);
    const [click] = await waypost.clicks(offer.id);

    const pixel = page.waitForResponse((reply) => reply.url().startsWith(`${waypost.publicUrl}/pixel.gif?`));
    await page.goto(thankYouUrl);
    expect((await pixel).headers()['content-type']).toBe('image/gif');
    expect(await waypost.conversions(offer.id)).toEqual([
      expect.objectContaining({ clickId: click!.id, source: 'pixel', amount: '19.00', transactionId: 'CSP-2' }),
    ]);

    expect(problems).toEqual({ consoleErrors: [], pageErrors: [], cspViolations: [] });
  });
});
