import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startTestServer, type TestServer } from './support/harness.js';

// Affiliate networks (README): the macros a network fills decide what the postback URL asks for, and `params` names
// the fixed parameters a network posts to.
describe.each(backends())('network macros and fixed parameter names on %s', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());

  let counter = 0;
  const createNetwork = async (json: Record<string, unknown>) => {
    const response = await server.json('/v1/affiliate-networks', { method: 'POST', json: { name: `Network ${(counter += 1)}`, clickIdParam: 'sub', ...json } });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body as { id: string; macros: Record<string, string>; params: Record<string, string>; statusMap: Record<string, string> };
  };
  const createOffer = async (json: Record<string, unknown> = {}) => {
    const response = await server.json('/v1/offers', {
      method: 'POST',
      json: { name: `Network offer ${(counter += 1)}`, url: 'https://shop.example.com/', currency: 'USD', payout: { model: 'cpa', mode: 'auto', amount: '1.00' }, ...json },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body as { id: string; postbackToken: string };
  };
  const click = async (offerId: string) => {
    const response = await server.request(`/c/${offerId}`, { key: null });
    return /waypost_cid=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')![1]!;
  };
  const postbackUrlOf = async (offerId: string) => (await server.json(`/v1/offers/${offerId}/links`)).body.postbackUrl as string;
  const conversion = async (id: string) => (await server.json(`/v1/conversions/${id}`)).body;

  it('reads the fixed names of a network configured by hand, for postbacks and pixels of its offers', async () => {
    const network = await createNetwork({ macros: {}, params: { click_id: 'cnv_id', payout: 'sum', currency: 'cnv_currency', status: 'goal' } });
    expect(network.params).toEqual({ click_id: 'cnv_id', payout: 'sum', currency: 'cnv_currency', status: 'goal' });
    const offer = await createOffer({ affiliateNetworkId: network.id });
    const clickId = await click(offer.id);
    const reply = await server.json(`/postback?CNV_ID=${clickId}&sum=7,50&cnv_currency=usd&goal=sale&token=${offer.postbackToken}`, { key: null });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(await conversion(reply.body.conversionId)).toMatchObject({ clickId, status: 'approved', payout: '7.50', currency: 'USD' });

    // The pixel finds the click under the same fixed name; without the token it sets no payout (README, Security).
    const pixelClick = await click(offer.id);
    const pixel = await server.request(`/pixel.gif?offer_id=${offer.id}&cnv_id=${pixelClick}&sum=99`, { key: null });
    expect(pixel.status).toBe(200);
    const recorded = (await server.json(`/v1/conversions?offerId=${offer.id}`)).body.data as { clickId: string; source: string; payout: string }[];
    expect(recorded.find((row) => row.clickId === pixelClick)).toMatchObject({ source: 'pixel', payout: '1.00' });
  });

  it("leaves a network's fixed names to the offers that use the network", async () => {
    await createNetwork({ macros: {}, params: { click_id: 'u9' } });
    const offer = await createOffer();
    const clickId = await click(offer.id);
    const reply = await server.json(`/postback?u9=${clickId}&token=${offer.postbackToken}`, { key: null });
    expect([reply.status, reply.body.reason]).toEqual([400, 'click_id_required']);
  });

  it('asks in the postback URL only for what the network has a macro for', async () => {
    const cake = await createNetwork({ clickIdParam: 's2', macros: { clickId: '#s2#', payout: '#price#' } });
    const cakeOffer = await createOffer({ affiliateNetworkId: cake.id });
    const cakeUrl = await postbackUrlOf(cakeOffer.id);
    expect(cakeUrl).toBe(`http://track.waypost.test/postback?click_id=#s2#&payout=#price#&token=${cakeOffer.postbackToken}`);
    expect(cakeUrl).not.toContain('amount=');

    const full = await createNetwork({ macros: { clickId: '{sub1}', amount: '{order_sum}', payout: '{sum}', transactionId: '{transactionid}', status: '{status}', currency: '{currency}', event: '{goal}', coupon: '{promo_code}' } });
    const fullOffer = await createOffer({ affiliateNetworkId: full.id });
    expect(await postbackUrlOf(fullOffer.id)).toBe(
      `http://track.waypost.test/postback?click_id={sub1}&amount={order_sum}&transaction_id={transactionid}&payout={sum}&status={status}&currency={currency}&event={goal}&coupon={promo_code}&token=${fullOffer.postbackToken}`,
    );

    // A network that posts the click id under a fixed name of its own appends it itself; one with no way at all is
    // asked for Waypost's own macro.
    const fixed = await createOffer({ affiliateNetworkId: (await createNetwork({ macros: {}, params: { click_id: 'u1' } })).id });
    expect(await postbackUrlOf(fixed.id)).toBe(`http://track.waypost.test/postback?token=${fixed.postbackToken}`);
    const bare = await createOffer({ affiliateNetworkId: (await createNetwork({ macros: {} })).id });
    expect(await postbackUrlOf(bare.id)).toBe(`http://track.waypost.test/postback?click_id={click_id}&token=${bare.postbackToken}`);
  });

  it('records a postback from a network without an amount macro, filled the way the network fills it', async () => {
    const cake = await createNetwork({ clickIdParam: 's2', macros: { clickId: '#s2#', payout: '#price#' } });
    const offer = await createOffer({ affiliateNetworkId: cake.id });
    const clickId = await click(offer.id);
    const url = new URL((await postbackUrlOf(offer.id)).replace('#s2#', clickId).replace('#price#', '4.20'));
    const reply = await server.json(`${url.pathname}${url.search}`, { key: null });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(await conversion(reply.body.conversionId)).toMatchObject({ amount: null, payout: '4.20', currency: 'USD' });
  });

  it('replaces macros, params and statusMap whole on PATCH', async () => {
    const network = await createNetwork({ macros: { clickId: '{sub1}', amount: '{sum}' }, params: { currency: 'cur' }, statusMap: { '2': 'pending' } });
    const patched = await server.json(`/v1/affiliate-networks/${network.id}`, { method: 'PATCH', json: { macros: { clickId: '{sub2}' }, params: { payout: 'sum' }, statusMap: { paid: 'approved' } } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ macros: { clickId: '{sub2}' }, params: { payout: 'sum' }, statusMap: { paid: 'approved' } });
    expect((await server.json(`/v1/affiliate-networks/${network.id}`)).body).toMatchObject({ macros: { clickId: '{sub2}' }, params: { payout: 'sum' }, statusMap: { paid: 'approved' } });
  });

  it('refuses fixed names that would read one parameter as another', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ amount: 'payout' }, 'params.amount'],
      [{ payout: 'sum2', amount: 'SUM2' }, 'params.payout'],
      [{ click_id: 'a b' }, 'params.click_id'],
      [{ token: 'secret' }, 'params.token'],
    ];
    for (const [params, path] of cases) {
      const response = await server.json('/v1/affiliate-networks', { method: 'POST', json: { name: 'Bad params', clickIdParam: 'sub', macros: {}, params } });
      expect([JSON.stringify(params), response.status]).toEqual([JSON.stringify(params), 422]);
      expect(response.body.error.issues.map((issue: { path: string }) => issue.path)).toContain(path);
    }
  });
});
