import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startTestServer, type TestServer } from './support/harness.js';
import { createCampaign, createLander, createTrafficSource, toOffer, visit } from './support/campaigns.js';

describe.each(backends())('GET /v1/clicks by campaign, lander and traffic source (%s)', (backend) => {
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
});
