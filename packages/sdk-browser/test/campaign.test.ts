import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { BUILDS, load, openPage, useCleanPage } from './support/page.js';
import { startTrackingServer, type TrackingServer } from './support/tracking-server.js';

let server: TrackingServer;
beforeAll(async () => (server = await startTrackingServer()));
afterAll(() => server.close());
beforeEach(() => server.reset());
useCleanPage();

describe.each(BUILDS)('campaign direct tracking in the %s build', (build) => {
  test('posts a campaign visit on load and takes the offer the server picked for conversions', async () => {
    openPage('http://lander.example.com/?zone=42&sub2=b');
    const tracker = load(build, server.endpoint, { campaign: 'cmp_summer' });
    const params = await tracker.ready();
    const [visit] = server.to('/v1/visits');
    expect(visit!.body).toEqual({ campaignId: 'cmp_summer', sub2: 'b', landingUrl: 'http://lander.example.com/?zone=42&sub2=b', referrer: '', adClickIds: {} });
    expect(params).toMatchObject({ click_id: server.state.issuedClickId, offer_id: 'campaignOffer1' });
    await tracker.convert({ amount: '5.00' });
    expect(server.to('/v1/conversions/browser')[0]!.body).toMatchObject({ clickId: server.state.issuedClickId, offerId: 'campaignOffer1' });
  });

  test('posts no visit on a thank-you page, even with a campaign', async () => {
    openPage('http://shop.example.com/thanks');
    await load(build, server.endpoint, { campaign: 'cmp_summer', convert: '' }).ready();
    expect(server.to('/v1/visits')).toEqual([]);
  });
});
