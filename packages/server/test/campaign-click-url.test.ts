import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, DESKTOP_BROWSER, startTestServer, type TestServer } from './support/harness.js';
import { createCampaign, createLander, visit } from './support/campaigns.js';

describe.each(backends())('the lander click URL (%s)', (backend) => {
  let server: TestServer;
  const offers: string[] = [];

  beforeAll(async () => {
    server = await startTestServer(backend);
    for (const name of ['one', 'two', 'three']) offers.push((await server.createOffer({ url: `https://${name}.example/?cid={click_id}` })).id);
  });
  afterAll(() => server.close());

  const follow = (path: string, cookie?: string) => server.request(path, { key: null, headers: { 'user-agent': DESKTOP_BROWSER, ...(cookie ? { cookie } : {}) } });
  const clickOf = async (id: string | null) => (await server.json(`/v1/clicks/${id}`)).body;

  /** A campaign whose one stream shows a lander with `slots` offer links and lists the three offers, weighted 1 : 0 : 0 in effect. */
  const funnel = async (slots: number, redirect: '302' | 'meta' = '302') => {
    const lander = await createLander(server, { url: 'https://lander.example/?go={click_url}', offers: slots });
    return createCampaign(server, {
      redirect,
      streams: [{ name: 's', action: { type: 'flow', landers: [{ landerId: lander.id, weight: 1 }], offers: [{ offerId: offers[0]!, weight: 1000 }, { offerId: offers[1]!, weight: 1 }, { offerId: offers[2]!, weight: 1 }] } }],
    });
  };

  it('sends the visitor to the offer and records the lander click once, however often it is followed', async () => {
    const campaign = await funnel(1);
    const landed = await visit(server, campaign.id);
    const drawn = (await clickOf(landed.clickId)).offerId;
    const first = await follow(`/click/1?cid=${landed.clickId}`);
    expect(first.status).toBe(302);
    expect(new URL(first.headers.get('location')!).searchParams.get('cid')).toBe(landed.clickId);
    const clickedAt = (await clickOf(landed.clickId)).landerClickedAt;
    expect(clickedAt).toBe(server.clock.now().toISOString());
    server.clock.advance(60_000);
    const again = await follow(`/click/1?cid=${landed.clickId}`);
    expect(again.status).toBe(302);
    const click = await clickOf(landed.clickId);
    expect(click.landerClickedAt).toBe(clickedAt);
    // One slot: the offer drawn at the visit.
    expect(click.offerId).toBe(drawn);
    expect(new URL(again.headers.get('location')!).host).toBe(new URL(first.headers.get('location')!).host);
    server.clock.set('2026-03-01T12:00:00Z');
  });

  it("takes the stream's N-th offer for slot N of a lander with several slots, and the click's offer becomes it", async () => {
    const campaign = await funnel(3);
    const landed = await visit(server, campaign.id);
    const second = await follow(`/click/2?cid=${landed.clickId}`);
    expect(new URL(second.headers.get('location')!).host).toBe('two.example');
    expect((await clickOf(landed.clickId)).offerId).toBe(offers[1]);
    const third = await follow(`/click/3?cid=${landed.clickId}`);
    expect(new URL(third.headers.get('location')!).host).toBe('three.example');
    expect((await clickOf(landed.clickId)).offerId).toBe(offers[2]);
  });

  it('finds the visit by the waypost_cid cookie when the URL carries no cid, and sets the cookie', async () => {
    const campaign = await funnel(1);
    const landed = await visit(server, campaign.id);
    const followed = await follow('/click/1', `waypost_cid=${landed.clickId}`);
    expect(followed.status).toBe(302);
    expect(followed.headers.get('set-cookie')).toContain(`waypost_cid=${landed.clickId}`);
    expect((await clickOf(landed.clickId)).landerClickedAt).not.toBeNull();
  });

  it("answers in the campaign's redirect mode", async () => {
    const campaign = await funnel(1, 'meta');
    const landed = await visit(server, campaign.id);
    const followed = await follow(`/click/1?cid=${landed.clickId}`);
    expect(followed.status).toBe(200);
    expect(await followed.text()).toMatch(/<meta http-equiv="refresh" content="0;url=https:\/\/\w+\.example\//);
  });

  it('shows the 404 page for an unknown click, a click that is not a campaign visit, no click at all and a bad slot', async () => {
    const campaign = await funnel(1);
    const landed = await visit(server, campaign.id);
    const offerClick = await server.click(offers[0]!);
    for (const path of ['/click/1?cid=unknownclick123', `/click/1?cid=${offerClick.clickId}`, '/click/1', `/click/0?cid=${landed.clickId}`, `/click/x?cid=${landed.clickId}`, `/click/11?cid=${landed.clickId}`]) {
      const response = await follow(path);
      expect(response.status, path).toBe(404);
      expect(await response.text()).toBe('This link is not available.\n');
    }
    expect((await clickOf(landed.clickId)).landerClickedAt).toBeNull();
  });
});
