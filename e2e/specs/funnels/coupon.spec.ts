import { clickCookies, expect, HOSTS, test, type WaypostServer } from '../../fixtures.js';

test.describe("the coupon-only funnel: a buyer who never clicked enters a publisher's promo code", () => {
  test("credits the sale on the thank-you page to the code's publisher", async ({ page, site, waypost }) => {
    const [publisher, otherPublisher] = [await waypost.createPublisher(), await waypost.createPublisher()];
    const offer = await waypost.createOffer({ payout: { model: 'cps', percent: '20' } });
    await issuePromoCode(waypost, { offerId: offer.id, publisherId: publisher.id, code: 'SUNNY20' });
    await issuePromoCode(waypost, { offerId: offer.id, publisherId: otherPublisher.id, code: 'OTHER20' });
    // The buyer typed the code in lower case at the checkout; codes are case-insensitive.
    const thankYouUrl = site.page(HOSTS.checkout, '/thank-you', {
      tracker: { offer: offer.id, convert: '', amount: '80.00', currency: 'USD', transactionId: 'CPN-1001', coupon: 'sunny20' },
    });

    const pixel = page.waitForResponse((reply) => reply.url().startsWith(`${waypost.publicUrl}/pixel.gif?`));
    await page.goto(thankYouUrl);
    // No click id anywhere, so the conversion goes by pixel, with the offer and the code.
    expect(new URL((await pixel).url()).searchParams.get('coupon')).toBe('sunny20');
    expect(await clickCookies(page)).toEqual([]);

    expect(await waypost.conversions(offer.id)).toEqual([
      expect.objectContaining({
        clickId: null,
        publisherId: publisher.id,
        couponCode: expect.stringMatching(/^sunny20$/i),
        source: 'pixel',
        amount: '80.00',
        transactionId: 'CPN-1001',
        payout: '16.00',
      }),
    ]);
    expect(await waypost.clicks(offer.id)).toEqual([]);
  });
});

/** `POST /v1/promo-codes`: the admin issues a code to a publisher. The Node SDK has no call for it yet. */
async function issuePromoCode(waypost: WaypostServer, code: { offerId: string; publisherId: string; code: string }): Promise<void> {
  const response = await fetch(`${waypost.url}/v1/promo-codes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${waypost.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(code),
  });
  expect(response.status, await response.text()).toBe(201);
}
