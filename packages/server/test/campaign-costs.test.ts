import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateCampaignParams } from '@waypost/schema';
import { backends, startTestServer, type TestServer } from './support/harness.js';
import { createCampaign, createTrafficSource, toOffer, visit } from './support/campaigns.js';

describe.each(backends())('campaign visit costs (%s)', (backend) => {
  let server: TestServer;
  let offerId: string;

  beforeAll(async () => {
    server = await startTestServer(backend);
    offerId = (await server.createOffer()).id;
  });
  afterAll(() => server.close());

  const campaignCosting = (cost: CreateCampaignParams['cost'], trafficSourceId?: string) => createCampaign(server, { cost, trafficSourceId, streams: [{ name: 's', action: toOffer(offerId) }] });
  const costOf = async (clickId: string | null) => (await server.json(`/v1/clicks/${clickId}`)).body.cost;
  /** A first visit and a return visit of one visitor, plus a first visit of another; their costs. */
  const threeVisits = async (campaignId: string, query = '') => {
    const first = await visit(server, campaignId, { query, headers: { 'x-forwarded-for': '198.51.100.1' } });
    const again = await visit(server, campaignId, { query, headers: { cookie: `waypost_v=${first.visitorCookie}` } });
    const other = await visit(server, campaignId, { query, headers: { cookie: 'waypost_v=another-visitor-0001' } });
    return Promise.all([first, again, other].map((result) => costOf(result.clickId)));
  };

  it('charges cpc on every visit, to the millionth', async () => {
    expect(await threeVisits((await campaignCosting({ model: 'cpc', amount: '0.0004' })).id)).toEqual(['0.0004', '0.0004', '0.0004']);
  });

  it('charges cpuc on unique visits only', async () => {
    expect(await threeVisits((await campaignCosting({ model: 'cpuc', amount: '0.0025' })).id)).toEqual(['0.0025', '0', '0.0025']);
  });

  it('charges a thousandth of the cpm amount on every visit', async () => {
    expect(await threeVisits((await campaignCosting({ model: 'cpm', amount: '0.75' })).id)).toEqual(['0.00075', '0.00075', '0.00075']);
  });

  it("charges the traffic source's cost parameter with auto, with a decimal comma, and nothing when it is missing or unfilled", async () => {
    const source = await createTrafficSource(server, [{ field: 'cost', param: 'price', macro: '{cost}' }]);
    const campaign = await campaignCosting({ model: 'auto' }, source.id);
    expect(await threeVisits(campaign.id, 'price=0.0031')).toEqual(['0.0031', '0.0031', '0.0031']);
    expect(await costOf((await visit(server, campaign.id, { query: 'price=0,0057' })).clickId)).toBe('0.0057');
    expect(await costOf((await visit(server, campaign.id, { query: 'price={cost}' })).clickId)).toBe('0');
    expect(await costOf((await visit(server, campaign.id)).clickId)).toBe('0');
  });

  it('charges nothing at the visit with none, cpa and revshare', async () => {
    expect(await threeVisits((await campaignCosting({ model: 'none' })).id)).toEqual(['0', '0', '0']);
    expect(await threeVisits((await campaignCosting({ model: 'cpa', amount: '2.50' })).id)).toEqual(['0', '0', '0']);
    expect(await threeVisits((await campaignCosting({ model: 'revshare', percent: '30' })).id)).toEqual(['0', '0', '0']);
  });

  it('charges bot visits too, flagged as bots', async () => {
    const campaign = await campaignCosting({ model: 'cpc', amount: '0.0009' });
    const bot = await visit(server, campaign.id, { headers: { 'user-agent': 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)' } });
    const click = (await server.json(`/v1/clicks/${bot.clickId}`)).body;
    expect([click.cost, click.isBot, click.isUnique]).toEqual(['0.0009', true, false]);
  });
});
