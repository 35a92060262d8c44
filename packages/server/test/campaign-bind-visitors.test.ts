import type { StreamParams } from '@waypost/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startTestServer, type TestServer } from './support/harness.js';
import { createCampaign, createLander, visit } from './support/campaigns.js';

describe.each(backends())('bindVisitors through campaign actions (%s)', (backend) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());

  it('gives a returning visitor the same streams on both sides of a campaign action, and the lander and offer they had', async () => {
    const offers = await Promise.all(['a', 'b'].map(async (name) => (await server.createOffer({ url: `https://${name}.example/?cid={click_id}` })).id));
    const landers = await Promise.all(['lp1', 'lp2'].map((name) => createLander(server, { url: `https://${name}.example/` })));
    const flow = {
      type: 'flow' as const,
      landers: landers.map((lander) => ({ landerId: lander.id, weight: 100 })),
      offers: offers.map((offerId) => ({ offerId, weight: 100 })),
    };
    // Two target campaigns of two weighted streams each, and an entry campaign that draws between them by weight.
    const target = () => createCampaign(server, { rotation: 'weight', streams: [{ name: 'x', weight: 100, action: flow }, { name: 'y', weight: 100, action: flow }] });
    const [left, right] = [await target(), await target()];
    const entryStreams: StreamParams[] = [
      { name: 'to left', weight: 100, filters: [{ type: 'language', mode: 'deny', values: ['fr'] }], action: { type: 'campaign', campaignId: left.id } },
      { name: 'to right', weight: 100, filters: [{ type: 'language', mode: 'deny', values: ['fr'] }], action: { type: 'campaign', campaignId: right.id } },
      { name: 'french', type: 'default', action: { type: 'redirect', url: 'https://fr.example/' } },
    ];
    const entry = await createCampaign(server, { rotation: 'weight', bindVisitors: true, streams: entryStreams });
    const routeOf = async (clickId: string | null) => {
      const click = (await server.json(`/v1/clicks/${clickId}`)).body;
      return [click.streamId, click.landerId, click.offerId];
    };

    // Unbound, a return takes the same entry and target streams by chance once in 4 (the lander and offer follow the
    // stream), so 6 visitors × 3 returns would all match once in 4^18.
    for (let visitor = 0; visitor < 6; visitor++) {
      const first = await visit(server, entry.id, { headers: { 'x-forwarded-for': `203.0.113.${visitor}` } });
      const cookie = { cookie: `waypost_v=${first.visitorCookie}` };
      const route = await routeOf(first.clickId);
      for (let again = 0; again < 3; again++) {
        const next = await visit(server, entry.id, { headers: cookie });
        expect(await routeOf(next.clickId)).toEqual(route);
      }
      // The entry stream's filters no longer pass: the visitor is routed afresh.
      expect((await visit(server, entry.id, { headers: { ...cookie, 'accept-language': 'fr' } })).location).toBe('https://fr.example/');
    }
  });
});
