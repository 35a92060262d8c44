import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateCampaignParams } from '@waypost/schema';
import { backends, startTestServer, type TestServer } from './support/harness.js';
import { createCampaign, toOffer, visit } from './support/campaigns.js';

const BOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

describe.each(backends())('money on campaign traffic (%s)', (backend) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());

  type Offer = { id: string; postbackToken: string };
  const campaignFor = (offer: Offer, cost: CreateCampaignParams['cost'], currency?: string) =>
    createCampaign(server, { cost, ...(currency ? { currency } : {}), streams: [{ name: 's', action: toOffer(offer.id) }] });
  /** A visit from a visitor of its own (so that each one is unique); its click id. */
  let visitors = 0;
  const visitOnce = async (campaignId: string, headers: Record<string, string> = {}) => {
    visitors += 1;
    const result = await visit(server, campaignId, { headers: { cookie: `waypost_v=money-visitor-${String(visitors).padStart(6, '0')}`, ...headers } });
    expect(result.status).toBe(302);
    return result.clickId!;
  };
  const convert = async (offer: Offer, clickId: string, query = '') => {
    const response = await server.json(`/postback?click_id=${clickId}&token=${offer.postbackToken}${query}`, { key: null });
    expect(response.status).toBe(200);
    return response.body.conversionId as string;
  };
  const setStatus = async (conversionId: string, status: string) =>
    expect((await server.json(`/v1/conversions/${conversionId}`, { method: 'PATCH', json: { status } })).status).toBe(200);
  const totals = async (campaignId: string) => (await server.json(`/v1/reports?from=2026-03-01&to=2026-03-01&campaignId=${campaignId}`)).body.totals;
  const money = async (campaignId: string) => {
    const { revenue, payout, cost, profit, roi } = await totals(campaignId);
    return { revenue, payout, cost, profit, roi };
  };

  it('books a cpa cost on approval and takes it back when the conversion is rejected later', async () => {
    const offer = await server.createOffer<Offer>({ payout: { model: 'cpa', amount: '4.00' } });
    const campaign = await campaignFor(offer, { model: 'cpa', amount: '1.50' });
    const pending = await convert(offer, await visitOnce(campaign.id), '&status=pending');
    expect((await money(campaign.id)).cost).toBe('0.00');
    await setStatus(pending, 'approved');
    expect(await money(campaign.id)).toEqual({ revenue: '4.00', payout: '0.00', cost: '1.50', profit: '2.50', roi: '166.67' });
    await setStatus(pending, 'rejected');
    expect(await money(campaign.id)).toEqual({ revenue: '0.00', payout: '0.00', cost: '0.00', profit: '0.00', roi: null });
  });

  it('books a cpa cost per conversion, not per rebill', async () => {
    const offer = await server.createOffer<Offer>({ payout: { model: 'cpa', amount: '4.00' }, duplicates: 'rebill' });
    const campaign = await campaignFor(offer, { model: 'cpa', amount: '1.50' });
    const clickId = await visitOnce(campaign.id);
    await convert(offer, clickId, '&transaction_id=first');
    await convert(offer, clickId, '&transaction_id=second');
    const report = await totals(campaign.id);
    expect([report.rebills, report.revenue, report.cost]).toEqual([1, '8.00', '1.50']);
  });

  it("books revshare as a percent of the conversion's revenue on approval, and reverses it on rejection", async () => {
    const offer = await server.createOffer<Offer>({ payout: { model: 'cps', percent: '10' } });
    const campaign = await campaignFor(offer, { model: 'revshare', percent: '12.5' });
    const sale = await convert(offer, await visitOnce(campaign.id), '&amount=99.90&status=approved');
    // 10% of 99.90 is 9.99 of revenue; 12.5% of it is 1.24875, rounded once.
    expect(await money(campaign.id)).toEqual({ revenue: '9.99', payout: '0.00', cost: '1.25', profit: '8.74', roi: '699.20' });
    await setStatus(sale, 'rejected');
    expect((await money(campaign.id)).cost).toBe('0.00');
  });

  it('sums sub-cent costs in millionths and rounds the sum once, half away from zero', async () => {
    const offer = await server.createOffer<Offer>();
    const cpc = await campaignFor(offer, { model: 'cpc', amount: '0.001' });
    for (let i = 0; i < 5; i++) await visitOnce(cpc.id);
    // Five visits at a tenth of a cent each: 0.005, which rounds up; per visit each would round to 0.00.
    expect((await totals(cpc.id)).cost).toBe('0.01');
    const cpa = await campaignFor(offer, { model: 'cpa', amount: '0.0004' });
    for (let i = 0; i < 12; i++) await convert(offer, await visitOnce(cpa.id), '&status=approved');
    expect((await totals(cpa.id)).cost).toBe('0.00');
    await convert(offer, await visitOnce(cpa.id), '&status=approved');
    // 13 × 0.0004 = 0.0052.
    expect((await totals(cpa.id)).cost).toBe('0.01');
  });

  it('converts costs in the campaign currency into the account currency at the stored rate', async () => {
    expect((await server.json('/v1/fx-rates', { method: 'PUT', json: { rates: { EUR: '1.10' } } })).status).toBe(200);
    const offer = await server.createOffer<Offer>();
    const campaign = await campaignFor(offer, { model: 'cpc', amount: '0.50' }, 'EUR');
    await visitOnce(campaign.id);
    await visitOnce(campaign.id);
    expect((await totals(campaign.id)).cost).toBe('1.10');
  });

  it('prices a campaign conversion that waited for its FX rate as revenue, with its revshare cost, once the rate is stored', async () => {
    const offer = await server.createOffer<Offer>({ payout: { model: 'cps', percent: '10' } });
    const campaign = await campaignFor(offer, { model: 'revshare', percent: '50' });
    const conversionId = await convert(offer, await visitOnce(campaign.id), '&amount=50&currency=GBP&status=approved');
    expect((await server.json(`/v1/conversions/${conversionId}`)).body.awaitingFxRate).toBe('GBP');
    expect((await money(campaign.id)).cost).toBe('0.00');
    expect((await server.json('/v1/fx-rates', { method: 'PUT', json: { rates: { GBP: '1.20' } } })).status).toBe(200);
    const conversion = (await server.json(`/v1/conversions/${conversionId}`)).body;
    expect([conversion.awaitingFxRate, conversion.revenue, conversion.payout]).toEqual([null, '6.00', '0.00']);
    expect(await money(campaign.id)).toEqual({ revenue: '6.00', payout: '0.00', cost: '3.00', profit: '3.00', roi: '100.00' });
  });

  it("takes the revenue on traffic without a publisher from the offer's revenue rule, else from its payout rule, with no payout", async () => {
    const withoutRevenue = await server.createOffer<Offer>({ payout: { model: 'cpa', amount: '7.00', geo: [{ countries: ['DE'], amount: '9.00' }] } });
    const campaign = await campaignFor(withoutRevenue, { model: 'none' });
    const conversionId = await convert(withoutRevenue, await visitOnce(campaign.id, { 'cf-ipcountry': 'DE' }));
    const conversion = (await server.json(`/v1/conversions/${conversionId}`)).body;
    expect([conversion.publisherId, conversion.revenue, conversion.payout]).toEqual([null, '9.00', '0.00']);

    const withRevenue = await server.createOffer<Offer>({ payout: { model: 'cpa', amount: '7.00' }, revenue: { amount: '11.00' } });
    const other = await campaignFor(withRevenue, { model: 'none' });
    const second = (await server.json(`/v1/conversions/${await convert(withRevenue, await visitOnce(other.id))}`)).body;
    expect([second.revenue, second.payout]).toEqual(['11.00', '0.00']);
    expect(await money(other.id)).toEqual({ revenue: '11.00', payout: '0.00', cost: '0.00', profit: '11.00', roi: null });
  });

  it("still pays a publisher's payout on /c traffic", async () => {
    const offer = await server.createOffer<Offer>({ payout: { model: 'cpa', amount: '7.00' } });
    const publisher = (await server.json('/v1/publishers', { method: 'POST', json: { name: 'Money publisher' } })).body;
    const { clickId } = await server.click(offer.id, { query: `pub=${publisher.id}` });
    const conversion = (await server.json(`/v1/conversions/${await convert(offer, clickId)}`)).body;
    expect([conversion.payout, conversion.revenue]).toEqual(['7.00', '0.00']);
  });

  it("counts a CPC offer's click price as revenue on traffic without a publisher, never for bots, and books no payout", async () => {
    const offer = await server.createOffer<Offer>({ payout: { model: 'cpc', amount: '0.35' } });
    const campaign = await campaignFor(offer, { model: 'cpc', amount: '0.10' });
    await visitOnce(campaign.id);
    await visitOnce(campaign.id);
    await visitOnce(campaign.id, { 'user-agent': BOT });
    const report = await totals(campaign.id);
    expect([report.visits, report.bots, report.revenue, report.payout, report.cost, report.profit, report.roi]).toEqual([3, 1, '0.70', '0.00', '0.30', '0.40', '133.33']);
  });
});
