import { fileURLToPath } from 'node:url';
import { Waypost } from '@waypost/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readmeQuotes, runExample } from '../../../scripts/test-support/readme.js';
import { type ExampleServer, startWaypost } from '../../../scripts/test-support/waypost-server.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

describe('examples/set-up-offers', () => {
  let server: ExampleServer;
  let waypost: Waypost;
  let output: string;

  beforeAll(async () => {
    server = await startWaypost();
    waypost = new Waypost({ apiKey: server.apiKey, baseUrl: server.url });
    output = await runExample('set-up-offers.ts', { cwd: root, env: { WAYPOST_URL: server.url, WAYPOST_ADMIN_KEY: server.apiKey } });
  });
  afterAll(() => server.close());

  it('creates one offer of each payout model, with the payout the README describes', async () => {
    const offers = (await waypost.offers.list()).data;
    expect(Object.fromEntries(offers.map((offer) => [offer.payout.model, { name: offer.name, payout: offer.payout, revenue: 'revenue' in offer ? offer.revenue : undefined }]))).toEqual({
      cps: { name: 'Running shoes', payout: { model: 'cps', mode: 'fixed', percent: '10' }, revenue: null },
      cpa: { name: 'Bank account sign-up', payout: { model: 'cpa', mode: 'fixed', amount: '25.00' }, revenue: { mode: 'fixed', amount: '40.00' } },
      cpl: { name: 'Newsletter', payout: { model: 'cpl', mode: 'fixed', amount: '2.50', threshold: { count: 3, period: 'month' } }, revenue: null },
      cpc: { name: 'Price comparison', payout: { model: 'cpc', mode: 'fixed', amount: '0.30' }, revenue: null },
      cpm: { name: 'Banner campaign', payout: { model: 'cpm', mode: 'fixed', amount: '4.00' }, revenue: null },
    });
  });

  it("prints each offer's link for the new publisher, and a click through the shoes link lands with the macros filled in", async () => {
    const [publisher] = (await waypost.publishers.list()).data;
    const lines = output.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`^cps Running shoes: ${server.publicUrl}/c/off_\\w+\\?pub=${publisher!.id}$`)),
      expect.stringMatching(/^cpa Bank account sign-up: \S+\/c\/off_\w+\?pub=pub_\w+$/),
      expect.stringMatching(/^cpl Newsletter: \S+\/c\/off_\w+\?pub=pub_\w+$/),
      expect.stringMatching(/^cpc Price comparison: \S+\/c\/off_\w+\?pub=pub_\w+$/),
      expect.stringMatching(new RegExp(`^cpm Banner campaign: ${server.publicUrl}/i/off_\\w+\\?pub=${publisher!.id}$`)),
    ]);

    const link = new URL(lines[0]!.slice(lines[0]!.indexOf(': ') + 2));
    const click = await fetch(`${server.url}${link.pathname}${link.search}&sub1=spring-sale`, { redirect: 'manual' });
    expect(click.status).toBe(302);
    const landing = new URL(click.headers.get('location')!);
    const [stored] = (await waypost.clicks.list()).data;
    expect(`${landing.origin}${landing.pathname}`).toBe('https://shop.example.com/shoes');
    expect(Object.fromEntries(landing.searchParams)).toEqual({ click_id: stored!.id, utm_source: publisher!.id, utm_campaign: 'spring-sale' });
  });

  it('is quoted whole in the root README', () => {
    expect(readmeQuotes(`${repoRoot}README.md`, `${root}set-up-offers.ts`)).toBe(true);
  });
});
