import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, DESKTOP_BROWSER, startTestServer, type TestServer } from './support/harness.js';
import { createCampaign, createLander, createTrafficSource } from './support/campaigns.js';

const LANDER_ORIGIN = 'https://lander.example';

describe.each(backends())('campaign direct tracking (%s)', (backend) => {
  let server: TestServer;
  let offerId: string;

  beforeAll(async () => {
    server = await startTestServer(backend);
    offerId = (await server.createOffer()).id;
  });
  afterAll(() => server.close());

  const postVisit = (body: unknown, origin = LANDER_ORIGIN) =>
    server.json('/v1/visits', { key: null, method: 'POST', headers: { 'content-type': 'text/plain', origin, 'user-agent': DESKTOP_BROWSER }, body: JSON.stringify(body) });

  const directCampaign = async (fields: { directTracking?: boolean; allowedOrigins?: string[] } = {}) => {
    const lander = await createLander(server, { url: `${LANDER_ORIGIN}/` });
    const source = await createTrafficSource(server, [{ field: 'externalId', param: 'zid' }]);
    return createCampaign(server, {
      directTracking: true,
      allowedOrigins: [LANDER_ORIGIN],
      trafficSourceId: source.id,
      cost: { model: 'cpc', amount: '0.002' },
      ...fields,
      streams: [{ name: 's', action: { type: 'flow', landers: [{ landerId: lander.id, weight: 1 }], offers: [{ offerId, weight: 1 }] } }],
    });
  };

  it('routes a visit that came without a redirect and answers with the chosen offer and lander', async () => {
    const campaign = await directCampaign();
    const { status, body } = await postVisit({ campaignId: campaign.id, landingUrl: `${LANDER_ORIGIN}/?zid=Z-9&sub1=a`, referrer: 'https://ads.example/', publisherId: 'pub_ignored', adClickIds: { gclid: 'G' } });
    expect(status).toBe(201);
    const landerId = (campaign.streams[0]!.action as { landers: { landerId: string }[] }).landers[0]!.landerId;
    expect(body).toEqual({ clickId: expect.any(String), offerId, landerId, publisherId: null, sub1: 'a', sub2: null, sub3: null, sub4: null, sub5: null });
    const click = (await server.json(`/v1/clicks/${body.clickId}`)).body;
    expect(click).toMatchObject({ source: 'campaign', campaignId: campaign.id, landerId, externalId: 'Z-9', cost: '0.002', landingUrl: `${LANDER_ORIGIN}/?zid=Z-9&sub1=a`, referrer: 'https://ads.example/', adClickIds: { gclid: 'G' }, isUnique: true });
  });

  it('records a visit on a known click of the campaign instead of a new click', async () => {
    const campaign = await directCampaign();
    const first = await postVisit({ campaignId: campaign.id, landingUrl: `${LANDER_ORIGIN}/` });
    const again = await postVisit({ campaignId: campaign.id, clickId: first.body.clickId, landingUrl: `${LANDER_ORIGIN}/again` });
    expect(again.status).toBe(200);
    expect(again.body.clickId).toBe(first.body.clickId);
  });

  it('refuses a campaign without directTracking, a foreign origin and an unknown campaign', async () => {
    const closed = await directCampaign({ directTracking: false });
    expect((await postVisit({ campaignId: closed.id, landingUrl: `${LANDER_ORIGIN}/` })).body.error.code).toBe('direct_tracking_disabled');
    const open = await directCampaign();
    const foreign = await postVisit({ campaignId: open.id, landingUrl: 'https://elsewhere.example/' }, 'https://elsewhere.example');
    expect([foreign.status, foreign.body.error.code]).toEqual([403, 'origin_not_allowed']);
    expect((await postVisit({ campaignId: 'cmp_unknown', landingUrl: `${LANDER_ORIGIN}/` })).status).toBe(404);
    const invalid = await postVisit({ campaignId: open.id, landingUrl: 'not a url' });
    expect([invalid.status, invalid.body.error.code]).toEqual([422, 'validation_error']);
  });
});
