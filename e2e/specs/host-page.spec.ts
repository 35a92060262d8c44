import { clickCookies, expect, HOSTS, test, trackingParams } from '../fixtures.js';

test.describe('a host page that misbehaves', () => {
  test('whose own scripts throw before and after the tracker does not stop tracking', async ({ page, site, waypost, problems }) => {
    const offer = await waypost.createOffer();
    const landerUrl = site.page(HOSTS.lander, '/offer', {
      head: site.script(HOSTS.lander, '/before.js', "throw new Error('host bug before the tracker');"),
      tracker: { offer: offer.id },
      afterTracker: site.script(HOSTS.lander, '/after.js', "undefinedHostFunction('after the tracker');"),
    });

    await page.goto(landerUrl);
    const params = await trackingParams(page);

    expect(await waypost.clicks(offer.id)).toEqual([expect.objectContaining({ id: params.click_id, source: 'direct' })]);
    expect(params).toEqual({ click_id: expect.any(String), offer_id: offer.id });
    expect(await clickCookies(page)).toEqual([expect.objectContaining({ value: params.click_id })]);
    // The page's own errors happened, and they are the only ones: the tracker threw nothing.
    expect(problems.pageErrors.sort()).toEqual(['host bug before the tracker', 'undefinedHostFunction is not defined']);
  });

  test('that breaks window.fetch before the tracker loads still has its click id captured and its sale reported by pixel', async ({ page, site, waypost, problems }) => {
    const breakFetch = site.script(HOSTS.checkout, '/break-fetch.js', "window.fetch = function () { throw new Error('fetch is broken on this page'); };");
    const landerUrl = site.page(HOSTS.lander, '/offer', { tracker: { cookieDomain: 'shop.waypost.test' } });
    const thankYouUrl = site.page(HOSTS.checkout, '/thank-you', {
      head: breakFetch,
      tracker: { cookieDomain: 'shop.waypost.test', convert: '', amount: '25.00', transactionId: 'FETCH-1' },
    });
    const offer = await waypost.createOffer({ url: `${landerUrl}?click_id={click_id}`, directTracking: false });

    await page.goto(`${waypost.publicUrl}/c/${offer.id}`);
    const clickId = new URL(page.url()).searchParams.get('click_id');
    const pixel = page.waitForResponse((reply) => reply.url().startsWith(`${waypost.publicUrl}/pixel.gif?`));
    await page.goto(thankYouUrl);
    expect((await trackingParams(page)).click_id).toBe(clickId);
    expect(new URL((await pixel).url()).searchParams.get('click_id')).toBe(clickId);

    expect(await waypost.conversions(offer.id)).toEqual([
      expect.objectContaining({ clickId, source: 'pixel', amount: '25.00', transactionId: 'FETCH-1' }),
    ]);
    expect(problems.pageErrors).toEqual([]);
  });

  test('that replaces window.fetch after the tracker loaded does not affect the tracker', async ({ page, site, waypost, problems }) => {
    const offer = await waypost.createOffer();
    const landerUrl = site.page(HOSTS.lander, '/offer', { tracker: { offer: offer.id } });

    await page.goto(landerUrl);
    const { click_id: clickId } = await trackingParams(page);
    const result = await page.evaluate(() => {
      window.fetch = () => Promise.reject(new Error('the host page fetch refuses everything'));
      return window.waypost!.convert({ amount: '12.00', transactionId: 'FETCH-2' });
    });

    expect(result).toEqual({ status: 'accepted', conversionId: expect.any(String) });
    expect(await waypost.conversions(offer.id)).toEqual([
      expect.objectContaining({ id: result.conversionId, clickId, source: 'browser', transactionId: 'FETCH-2' }),
    ]);
    expect(problems.pageErrors).toEqual([]);
  });
});
