import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startTestServer, type TestServer } from './support/harness.js';
import { createCampaign, createLander, createTrafficSource, toOffer, visit } from './support/campaigns.js';

describe.each(backends())('campaign clicks in lists and reports (%s)', (backend) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());

  it('lists only the clicks of the campaign, lander or traffic source asked for', async () => {
    const offer = (await server.createOffer({ url: 'https://offer.example/?cid={click_id}' })).id;
    const lander = await createLander(server, { url: 'https://lp.example/' });
    const source = await createTrafficSource(server, []);
    const withLander = await createCampaign(server, { trafficSourceId: source.id, streams: [{ name: 'lp', action: { type: 'flow', landers: [{ landerId: lander.id, weight: 100 }], offers: [{ offerId: offer, weight: 100 }] } }] });
    const direct = await createCampaign(server, { streams: [{ name: 'direct', action: toOffer(offer) }] });
    const first = await visit(server, withLander.id);
    const second = await visit(server, direct.id);
    await server.click(offer);
    expect([first.status, second.status]).toEqual([302, 302]);

    const ids = async (query: string) => ((await server.json(`/v1/clicks?${query}`)).body.data as { id: string }[]).map((click) => click.id);
    expect(await ids(`campaignId=${withLander.id}`)).toEqual([first.clickId]);
    expect(await ids(`campaignId=${direct.id}`)).toEqual([second.clickId]);
    expect(await ids(`landerId=${lander.id}`)).toEqual([first.clickId]);
    expect(await ids(`trafficSourceId=${source.id}`)).toEqual([first.clickId]);
    expect(await ids(`offerId=${offer}`)).toHaveLength(3);
  });

  it('records no click for a visit that a redirect or not_found stream answers, so that it counts nowhere and the visitor stays unique', async () => {
    const offer = (await server.createOffer({ url: 'https://offer.example/?cid={click_id}' })).id;
    const campaign = await createCampaign(server, {
      cost: { model: 'cpc', amount: '0.05' },
      streams: [
        { name: 'safe page', type: 'forced', filters: [{ type: 'param', mode: 'allow', values: ['safe=1'] }], action: { type: 'redirect', url: 'https://safe.example/' } },
        { name: 'nothing', type: 'forced', filters: [{ type: 'param', mode: 'allow', values: ['safe=0'] }], action: { type: 'not_found' } },
        { name: 'offer', action: toOffer(offer) },
      ],
    });
    expect((await visit(server, campaign.id, { query: 'safe=1' })).location).toBe('https://safe.example/');
    expect((await visit(server, campaign.id, { query: 'safe=0' })).status).toBe(404);
    const paid = await visit(server, campaign.id);
    expect(paid.status).toBe(302);

    const clicks = (await server.json(`/v1/clicks?campaignId=${campaign.id}`)).body.data as { id: string; isUnique: boolean }[];
    expect(clicks.map(({ id, isUnique }) => ({ id, isUnique }))).toEqual([{ id: paid.clickId, isUnique: true }]);
    const day = server.clock.now().toISOString().slice(0, 10);
    const { body } = await server.json(`/v1/reports?from=${day}&to=${day}&campaignId=${campaign.id}`);
    expect(body.totals).toMatchObject({ visits: 1, uniqueVisits: 1, bots: 0, cost: '0.05' });
  });
});
