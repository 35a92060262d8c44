import Stripe from 'stripe';
import { expect, HOSTS, test, trackingParams } from '../../fixtures.js';

const WEBHOOK_SECRET = 'whsec_e2e_0123456789abcdef';
// The webhook only checks signatures, which makes no request to Stripe: no real key, no network.
const stripe = new Stripe('sk_test_unused');

test.describe('the Stripe funnel: the static lander, then Stripe Checkout and its webhook', () => {
  test.skip(({ build }) => build !== 'script', 'examples/static-lander is plain pages with the script tag');

  test("turns a signed checkout.session.completed for the lander's click into a conversion, and refuses a bad signature", async ({ page, waypost, examples }) => {
    const publisher = await waypost.createPublisher();
    const offer = await waypost.createOffer({ payout: { model: 'cps', percent: '10' } });
    const landerUrl = await examples.lander(HOSTS.lander, { offerId: offer.id });
    const webhookUrl = await examples.stripeWebhook({ stripe, webhookSecret: WEBHOOK_SECRET });

    await page.goto(`${landerUrl}lander.html?pub=${publisher.id}`);
    // What the shop's server passes as client_reference_id when it creates the Checkout Session.
    const { click_id: clickId } = await trackingParams(page);
    expect(clickId).toEqual(expect.any(String));

    const session = (id: string) =>
      JSON.stringify({
        id: `evt_${id}`,
        object: 'event',
        type: 'checkout.session.completed',
        api_version: '2026-01-28',
        created: Math.floor(Date.now() / 1000),
        data: { object: { id, object: 'checkout.session', client_reference_id: clickId, amount_total: 12900, currency: 'usd', payment_status: 'paid', status: 'complete' } },
      });
    const deliver = async (payload: string, secret: string) => {
      const signature = stripe.webhooks.generateTestHeaderString({ payload, secret });
      const response = await fetch(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': signature }, body: payload });
      return { status: response.status, body: await response.json() };
    };

    const forged = await deliver(session('cs_test_forged'), 'whsec_someone_else');
    expect(forged).toMatchObject({ status: 400, body: { error: { code: 'invalid_signature' } } });
    expect(await waypost.conversions(offer.id)).toEqual([]);

    const paid = await deliver(session('cs_test_e2e_paid'), WEBHOOK_SECRET);
    expect(paid).toEqual({
      status: 200,
      body: { received: true, tracked: true, conversion: { status: 'accepted', conversionId: expect.any(String), conversion: expect.objectContaining({ status: 'approved' }) } },
    });
    expect(await waypost.conversions(offer.id)).toEqual([
      expect.objectContaining({
        id: paid.body.conversion.conversionId,
        clickId,
        publisherId: publisher.id,
        transactionId: 'cs_test_e2e_paid',
        source: 'api',
        status: 'approved',
        amount: '129.00',
        currency: 'USD',
        payout: '12.90',
      }),
    ]);
  });
});
