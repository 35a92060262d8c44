// Serves the three pages for a local run, with the placeholders filled in: `https://track.example.com` becomes
// your Waypost server and `OFFER_ID` your offer. On a real site you replace them once and upload the files.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';

const PAGES = ['lander.html', 'offer.html', 'thank-you.html'];

export interface LanderOptions {
  /** Your Waypost server, such as `http://localhost:8787`: where the pages load waypost.js from. */
  trackingUrl: string;
  /** The offer the lander tracks and the thank-you page converts on (`off_…`). */
  offerId: string;
  /**
   * Where the offer page's "Buy now" link goes, for a checkout on another host of your site, such as
   * `https://checkout.yourshop.com/thank-you.html` (the same files uploaded there) or your shop's checkout.
   * @default 'thank-you.html', on this server
   */
  buyUrl?: string;
}

/** An HTTP server for the pages (`/` is the lander); it does not listen yet. */
export function createLanderServer({ trackingUrl, offerId, buyUrl }: LanderOptions): Server {
  const origin = attribute(new URL(trackingUrl).href.replace(/\/+$/, ''));
  const offer = attribute(offerId);
  const buyLink = `href="${attribute(buyUrl ?? 'thank-you.html')}"`;
  return createServer(async (req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    const page = pathname === '/' ? 'lander.html' : pathname.slice(1);
    if (!PAGES.includes(page)) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    const html = await readFile(new URL(page, import.meta.url), 'utf8');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(html.replaceAll('https://track.example.com', origin).replaceAll('OFFER_ID', offer).replace('href="thank-you.html"', () => buyLink));
  });
}

function attribute(value: string): string {
  return value.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);
}

// `node --import tsx serve.ts` runs this; importing the file (the tests do) does not.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const trackingUrl = process.env.WAYPOST_URL;
  const offerId = process.env.WAYPOST_OFFER_ID;
  if (!trackingUrl || !offerId) throw new Error('set WAYPOST_URL and WAYPOST_OFFER_ID (see README.md)');
  const port = Number(process.env.PORT ?? 8080);
  const server = createLanderServer({ trackingUrl, offerId }).listen(port, () => {
    const { port: bound } = server.address() as AddressInfo;
    console.log(`Lander on http://localhost:${bound}/lander.html (tracking with ${trackingUrl}, offer ${offerId})`);
  });
}
