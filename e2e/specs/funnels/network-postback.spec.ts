import { aroundToday, expect, HOSTS, test } from '../../fixtures.js';

test.describe("the S2S funnel: a media buyer's ad, the network's offer page, then the network's postbacks", () => {
  test.skip(({ build }) => build !== 'script', 'no page here loads the browser SDK');

  test('ends with the lead approved by the sale and a rebill that pays again, on the click of the browser', async ({ page, site, waypost, examples }) => {
    const publisher = await waypost.createPublisher();
    const networkOfferUrl = site.page(HOSTS.network, '/streaming', { tracker: false });
    const offer = await waypost.createOffer({
      url: `${networkOfferUrl}?click_id={click_id}`,
      payout: { model: 'cpa', amount: '30.00' },
      revenue: { amount: '45.00' },
      duplicates: 'rebill',
      directTracking: false,
    });
    const links = await waypost.api.offers.links(offer.id, { publisherId: publisher.id });
    const adUrl = site.page(HOSTS.ads, '/watch', { tracker: false, body: `<a id="ad" href="${links.trackingUrl}&amp;sub1=video">Stream it free for a week</a>` });

    await page.goto(adUrl);
    await page.click('#ad');
    await page.waitForURL(`${networkOfferUrl}?*`);
    // The network received the click id in its offer URL, and reports against it.
    const clickId = new URL(page.url()).searchParams.get('click_id')!;
    expect(await waypost.clicks(offer.id)).toEqual([expect.objectContaining({ id: clickId, source: 'redirect', publisherId: publisher.id, sub1: 'video' })]);

    // Node does not resolve track.waypost.test: the network calls the same server by its address.
    const output = await examples.network({ WAYPOST_CLICK_ID: clickId, WAYPOST_POSTBACK_URL: links.postbackUrl!.replace(waypost.publicUrl, waypost.url) });
    expect(output.trim().split('\n')).toEqual([
      expect.stringMatching(/^lead NET-\w+: 200 \{"status":"accepted","conversionId":"cv_\w+"\}$/),
      expect.stringMatching(/^sale NET-\w+: 200 \{"status":"updated","conversionId":"cv_\w+"\}$/),
      expect.stringMatching(/^rebill NET-\w+-R1: 200 \{"status":"rebill","conversionId":"cv_\w+"\}$/),
    ]);

    const conversions = (await waypost.conversions(offer.id)).reverse();
    expect(conversions).toEqual([
      // The sale approves the lead and brings its amount.
      expect.objectContaining({ kind: 'conversion', status: 'approved', source: 'postback', clickId, publisherId: publisher.id, amount: '49.90', payout: '30.00', revenue: '45.00' }),
      expect.objectContaining({ kind: 'rebill', status: 'approved', source: 'postback', clickId, publisherId: publisher.id, amount: '49.90', payout: '30.00', revenue: '45.00' }),
    ]);
    expect(conversions[1]!.transactionId).toBe(`${conversions[0]!.transactionId}-R1`);
    const { totals } = await waypost.api.reports.get({ ...aroundToday(), offerId: offer.id });
    expect(totals).toMatchObject({ clicks: 1, conversions: { total: 1, approved: 1, pending: 0, rejected: 0 }, rebills: 1, payout: '60.00', revenue: '90.00' });
  });
});
