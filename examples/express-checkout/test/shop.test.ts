import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type OfferLinks, Waypost } from '@waypost/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startExample, unquotedExcerpts } from '../../../scripts/test-support/readme.js';
import { type ExampleServer, startWaypost } from '../../../scripts/test-support/waypost-server.js';
import { createShop } from '../shop.js';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('examples/express-checkout', () => {
  let server: ExampleServer;
  let waypost: Waypost;
  let links: OfferLinks;
  const shops: Server[] = [];

  beforeAll(async () => {
    server = await startWaypost();
    waypost = new Waypost({ apiKey: server.apiKey, baseUrl: server.url });
    const publisher = await waypost.publishers.create({ name: 'Deal blog' });
    const offer = await waypost.offers.create({ name: 'SunRoof kit', url: 'https://shop.example/checkout', payout: { model: 'cps', percent: '10' } });
    links = await waypost.offers.links(offer.id, { publisherId: publisher.id });
  });
  afterEach(() => vi.restoreAllMocks());
  afterAll(async () => {
    for (const shop of shops) shop.close();
    await server.close();
  });

  async function startShop(client = waypost): Promise<string> {
    const shop = createShop({ waypost: client }).listen(0, '127.0.0.1');
    shops.push(shop);
    await once(shop, 'listening');
    return `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
  }

  /** A visitor following the tracking link: the click id and the cookie the server set. */
  async function click(): Promise<{ clickId: string; cookie: string }> {
    const response = await fetch(links.trackingUrl, { redirect: 'manual' });
    const cookie = response.headers.get('set-cookie')!.split(';')[0]!;
    return { clickId: cookie.slice('waypost_cid='.length), cookie };
  }

  /** Opens the checkout page and submits its form `times` times, as a buyer double-clicking "Pay". */
  async function checkout(shopUrl: string, { path = '/checkout', cookie, times = 1 }: { path?: string; cookie?: string; times?: number }) {
    const headers: Record<string, string> = cookie ? { cookie } : {};
    const form = await (await fetch(`${shopUrl}${path}`, { headers })).text();
    const action = /<form method="post" action="([^"]+)">/.exec(form)![1]!.replaceAll('&#38;', '&');
    const orderId = /name="orderId" value="([^"]+)"/.exec(form)![1]!;
    const pages: string[] = [];
    for (let i = 0; i < times; i++) {
      const response = await fetch(`${shopUrl}${action}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ orderId }) });
      expect(response.status).toBe(200);
      pages.push(await response.text());
    }
    return { orderId, pages };
  }

  it('reports the sale against the click in the waypost_cid cookie, once for a checkout submitted twice', async () => {
    const shop = await startShop();
    const { clickId, cookie } = await click();
    const { orderId, pages } = await checkout(shop, { cookie, times: 2 });
    expect(pages[1]).toContain(`<strong id="order-id">${orderId}</strong>`);

    const conversions = (await waypost.conversions.list({ transactionId: orderId })).data;
    expect(conversions).toHaveLength(1);
    expect(conversions[0]).toMatchObject({ clickId, source: 'api', status: 'approved', amount: '49.90', currency: 'USD', payout: '4.99' });
  });

  it('reports the sale against a click id in the checkout URL', async () => {
    const shop = await startShop();
    const { clickId } = await click();
    const { orderId } = await checkout(shop, { path: `/checkout?click_id=${clickId}` });
    expect((await waypost.conversions.list({ transactionId: orderId })).data.map((conversion) => conversion.clickId)).toEqual([clickId]);
  });

  it('reports nothing for a buyer who came without a click', async () => {
    const shop = await startShop();
    const { orderId } = await checkout(shop, {});
    expect((await waypost.conversions.list({ transactionId: orderId })).data).toEqual([]);
  });

  it('completes the checkout when Waypost cannot be reached', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const unreachable = new Waypost({ apiKey: server.apiKey, baseUrl: 'http://127.0.0.1:9', maxRetries: 0 });
    const shop = await startShop(unreachable);
    const { cookie } = await click();
    const { orderId, pages } = await checkout(shop, { cookie });
    expect(pages[0]).toContain(orderId);
    expect(logged).toHaveBeenCalledWith('Waypost did not record the conversion', expect.objectContaining({ name: 'WaypostConnectionError' }));
  });

  it('runs with node --import tsx, configured by WAYPOST_URL and WAYPOST_API_KEY', async () => {
    const example = await startExample('shop.ts', { cwd: root, env: { WAYPOST_URL: server.url, WAYPOST_API_KEY: server.apiKey, PORT: '0' } });
    try {
      const url = /^Shop on (http:\S+)/.exec(example.firstLine)![1]!;
      expect(await (await fetch(url)).text()).toContain('<button id="pay" type="submit">Pay 49.90 USD</button>');
    } finally {
      example.stop();
    }
  });

  it('README quotes the lines to copy from the shop', () => {
    expect(unquotedExcerpts(`${root}README.md`, [`${root}shop.ts`])).toEqual([]);
  });
});
