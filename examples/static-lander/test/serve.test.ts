import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type OfferLinks, Waypost } from '@waypost/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExample, unquotedExcerpts } from '../../../scripts/test-support/readme.js';
import { type ExampleServer, startWaypost } from '../../../scripts/test-support/waypost-server.js';
import { createLanderServer } from '../serve.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const PAGES = ['lander.html', 'offer.html', 'thank-you.html'];

describe('examples/static-lander', () => {
  let waypost: ExampleServer;
  let links: OfferLinks;
  let lander: Server;
  let landerUrl: string;

  beforeAll(async () => {
    waypost = await startWaypost();
    const client = new Waypost({ apiKey: waypost.apiKey, baseUrl: waypost.url });
    const publisher = await client.publishers.create({ name: 'Solar blog' });
    const offer = await client.offers.create({ name: 'SunRoof', url: 'https://lander.example/lander.html', payout: { model: 'cpa', amount: '20.00' }, directTracking: true });
    links = await client.offers.links(offer.id, { publisherId: publisher.id });
    lander = createLanderServer({ trackingUrl: waypost.url, offerId: offer.id }).listen(0, '127.0.0.1');
    await once(lander, 'listening');
    landerUrl = `http://127.0.0.1:${(lander.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    lander.close();
    await waypost.close();
  });

  const page = async (path: string) => {
    const response = await fetch(`${landerUrl}${path}`);
    return { status: response.status, type: response.headers.get('content-type'), html: await response.text() };
  };

  it("serves the lander with the server's own direct-tracking snippet, and a link to the offer page", async () => {
    const { status, type, html } = await page('/lander.html');
    expect(status).toBe(200);
    expect(type).toBe('text/html; charset=utf-8');
    expect(html).toContain(links.directTrackingSnippet);
    expect(html).toContain('href="offer.html"');
    expect((await page('/')).html).toBe(html);
  });

  it('serves the offer page with a link to the thank-you page', async () => {
    const { status, html } = await page('/offer.html');
    expect(status).toBe(200);
    expect(html).toContain('href="thank-you.html"');
  });

  it("serves the thank-you page with the server's conversion snippet, filled with the order", async () => {
    const { status, html } = await page('/thank-you.html');
    expect(status).toBe(200);
    expect(html).toContain(links.conversionSnippet.replace('ORDER_AMOUNT', '49.90').replace('ORDER_ID', 'ORDER-1001'));
  });

  it('links the offer page to a checkout on another host when given buyUrl', async () => {
    const buyUrl = 'http://checkout.shop.example/thank-you.html?from=lander&step=2';
    const other = createLanderServer({ trackingUrl: waypost.url, offerId: links.offerId, buyUrl }).listen(0, '127.0.0.1');
    try {
      await once(other, 'listening');
      const html = await (await fetch(`http://127.0.0.1:${(other.address() as AddressInfo).port}/offer.html`)).text();
      expect(html).toContain('<a id="buy-link" href="http://checkout.shop.example/thank-you.html?from=lander&#38;step=2">');
    } finally {
      other.close();
    }
  });

  it('fills every placeholder, while the files keep them for copying', async () => {
    for (const name of PAGES) expect((await page(`/${name}`)).html).not.toMatch(/track\.example\.com|OFFER_ID/);
    for (const name of ['lander.html', 'thank-you.html']) {
      expect(readFileSync(`${root}${name}`, 'utf8')).toContain('src="https://track.example.com/waypost.js" data-');
    }
  });

  it('serves nothing but the three pages', async () => {
    for (const path of ['/serve.ts', '/README.md', '/package.json', '/%2e%2e/package.json', '/test/serve.test.ts']) {
      expect((await page(path)).status).toBe(404);
    }
  });

  it('runs with node --import tsx, configured by WAYPOST_URL and WAYPOST_OFFER_ID', async () => {
    const example = await startExample('serve.ts', { cwd: root, env: { WAYPOST_URL: waypost.url, WAYPOST_OFFER_ID: links.offerId, PORT: '0' } });
    try {
      const url = /^Lander on (http:\S+)/.exec(example.firstLine)![1]!;
      expect(await (await fetch(url)).text()).toContain(links.directTrackingSnippet);
    } finally {
      example.stop();
    }
  });

  it('README quotes the lines to copy from the pages', () => {
    expect(unquotedExcerpts(`${root}README.md`, PAGES.map((name) => `${root}${name}`).concat(`${root}serve.ts`))).toEqual([]);
  });
});
