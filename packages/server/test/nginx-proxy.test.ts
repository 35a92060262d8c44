// The README's nginx config, run as written in front of a server with WAYPOST_TRUST_PROXY set: TLS on a certificate
// made here, visitors on their own loopback addresses (127.0.0.0/8 is all loopback), and a request straight to the
// server's port standing for one from outside the proxy.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fencedBlock } from '../../../scripts/test-support/readme.js';
import { backends, startTestServer, type TestServer } from './support/harness.js';
import { writeMmdb } from './support/mmdb.js';
import { findNginx, freePort, type RunningNginx, startNginx } from './support/nginx.js';

const README = fileURLToPath(new URL('../../../README.md', import.meta.url));
const HOST = 'track.waypost.test';
/** Where the visitor, a stranger and the affiliate network connect from. */
const VISITOR = '127.0.2.10';
const STRANGER = '127.0.3.10';
const NETWORK = '127.0.4.10';
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

const nginx = findNginx();
if (!nginx) {
  const reason = 'nginx is not installed (apt-get install nginx, or WAYPOST_NGINX=/path/to/nginx); `npm test` installs it as root';
  // Never skipped in CI: there the reverse-proxy test must run.
  if (process.env.CI === 'true') throw new Error(reason);
  console.warn(`[nginx] ${reason}. The reverse-proxy tests are skipped.`);
}

/** The README's site config with only what a test must change: ports, certificate files and server name. */
function testConfig(config: string, ports: { https: number; http: number; server: number }, certDir: string): string {
  const replace = (text: string, from: string, to: string, times = 1) => {
    const found = text.split(from).length - 1;
    if (found !== times) throw new Error(`the README's nginx config has "${from}" ${found} times, not ${times}`);
    return text.replaceAll(from, to);
  };
  let text = replace(config, 'listen 443 ssl http2;', `listen 127.0.0.1:${ports.https} ssl http2;`);
  text = replace(text, 'listen 80;', `listen 127.0.0.1:${ports.http};`);
  text = replace(text, 'server 127.0.0.1:8787;', `server 127.0.0.1:${ports.server};`);
  text = replace(text, '/etc/letsencrypt/live/track.example.com/fullchain.pem', join(certDir, 'cert.pem'));
  text = replace(text, '/etc/letsencrypt/live/track.example.com/privkey.pem', join(certDir, 'key.pem'));
  return replace(text, 'server_name track.example.com;', `server_name ${HOST};`, 2);
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

describe.skipIf(!nginx).each(backends())('Waypost behind nginx on %s', (backend) => {
  const dir = mkdtempSync(join(tmpdir(), 'waypost-nginx-'));
  let server: TestServer;
  let proxy: RunningNginx | undefined;
  let cert: Buffer;
  let ports: { https: number; http: number; server: number };
  let offer: { id: string; postbackToken: string };
  let publisher: { id: string };

  beforeAll(async () => {
    await promisify(execFile)('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${HOST}`, '-addext', `subjectAltName=DNS:${HOST}`,
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ]);
    cert = readFileSync(join(dir, 'cert.pem'));
    const geoipDb = join(dir, 'operator.mmdb');
    writeFileSync(
      geoipDb,
      writeMmdb([
        { network: '127.0.2.0/24', record: { country: { iso_code: 'FR' } } },
        { network: '127.0.3.0/24', record: { country_code: 'IT' } },
        { network: '127.0.4.0/24', record: { country_code: 'NL' } },
        { network: '203.0.113.0/24', record: { country: { iso_code: 'DE' } } },
      ]),
    );
    const https = await freePort();
    const http = await freePort();
    server = await startTestServer(backend, {
      env: { WAYPOST_TRUST_PROXY: '127.0.0.1', WAYPOST_PUBLIC_URL: `https://${HOST}:${https}`, WAYPOST_GEOIP_DB: geoipDb },
    });
    ports = { https, http, server: Number(new URL(server.url).port) };
    proxy = await startNginx(nginx!, dir, testConfig(fencedBlock(README, 'nginx', '# /etc/nginx/conf.d/waypost.conf'), ports, dir), https);

    publisher = (await server.json('/v1/publishers', { method: 'POST', json: { name: 'Proxy publisher' } })).body;
    offer = (
      await server.json('/v1/offers', {
        method: 'POST',
        json: {
          name: 'Proxy offer',
          url: 'https://shop.example.com/lp?cid={click_id}&cc={country_code}',
          payout: { model: 'cpa', amount: '5.00', geo: [{ countries: ['FR'], amount: '9.00' }] },
          postbackIpAllowlist: ['127.0.4.0/24'],
        },
      })
    ).body;
  });
  afterAll(async () => {
    await proxy?.stop();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A request from `from`: over TLS through nginx, plain HTTP to nginx's port 80, or straight to the server. */
  const send = (
    via: 'nginx' | 'nginx-http' | 'server',
    from: string,
    path: string,
    headers: Record<string, string> = {},
  ): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const common = { host: '127.0.0.1', path, localAddress: from, agent: false as const };
      const onResponse = (response: IncomingMessage) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body }));
      };
      const request =
        via === 'nginx'
          ? httpsRequest({ ...common, port: ports.https, servername: HOST, ca: cert, headers: { host: `${HOST}:${ports.https}`, ...headers } }, onResponse)
          : httpRequest({ ...common, port: via === 'server' ? ports.server : ports.http, headers: { host: via === 'server' ? `127.0.0.1:${ports.server}` : HOST, ...headers } }, onResponse);
      request.once('error', reject);
      request.end();
    });
  const clickOf = async (answer: Answer) => {
    expect(answer.status).toBe(302);
    const location = new URL(answer.headers.location!);
    return { location, click: (await server.json(`/v1/clicks/${location.searchParams.get('cid')}`)).body, cookie: answer.headers['set-cookie']!.join('\n') };
  };
  const trackingPath = () => `/c/${offer.id}?pub=${publisher.id}`;

  it('answers /healthz over TLS on the certificate the test made', async () => {
    const answer = await send('nginx', VISITOR, '/healthz');
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 'ok' });
  });

  it("takes the visitor's address from nginx for the country and the stored network, whatever X-Forwarded-For or country header the visitor sends", async () => {
    const answer = await send('nginx', VISITOR, trackingPath(), { 'x-forwarded-for': '203.0.113.7', 'cf-ipcountry': 'US', 'user-agent': BROWSER });
    const { location, click, cookie } = await clickOf(answer);
    expect(click).toMatchObject({ country: 'FR', ipPrefix: '127.0.2.0/24' });
    expect(location.searchParams.get('cc')).toBe('FR');
    expect(cookie).toMatch(/^waypost_cid=\w+;.*; Secure/);
    expect(cookie).toMatch(/HttpOnly/);
  });

  it('believes no X-Forwarded-For or X-Forwarded-Proto sent straight to the server from outside the proxy', async () => {
    const answer = await send('server', STRANGER, trackingPath(), { 'x-forwarded-for': VISITOR, 'x-forwarded-proto': 'https', 'user-agent': BROWSER });
    const { click, cookie } = await clickOf(answer);
    expect(click).toMatchObject({ country: 'IT', ipPrefix: '127.0.3.0/24' });
    expect(cookie).not.toMatch(/Secure/i);
  });

  it("holds postbacks to the offer's IP allowlist by the address that connected to nginx", async () => {
    const { click } = await clickOf(await send('nginx', VISITOR, trackingPath(), { 'user-agent': BROWSER }));
    const postback = (transactionId: string) => `/postback?click_id=${click.id}&amount=20.00&transaction_id=${transactionId}&token=${offer.postbackToken}`;

    const spoofed = await send('nginx', STRANGER, postback('T-spoofed'), { 'x-forwarded-for': NETWORK });
    expect(spoofed.status).toBe(403);
    expect(JSON.parse(spoofed.body)).toMatchObject({ status: 'rejected', reason: 'ip_not_allowed' });
    const direct = await send('server', STRANGER, postback('T-direct'), { 'x-forwarded-for': NETWORK });
    expect(direct.status).toBe(403);
    expect(JSON.parse(direct.body)).toMatchObject({ reason: 'ip_not_allowed' });

    const accepted = await send('nginx', NETWORK, postback('T-network'));
    expect(accepted.status).toBe(200);
    const { conversionId } = JSON.parse(accepted.body);
    // The click's country, from the visitor's address, chose the geo payout.
    expect((await server.json(`/v1/conversions/${conversionId}`)).body).toMatchObject({ status: 'approved', country: 'FR', payout: '9.00' });
    const log = await server.json(`/v1/postbacks?offerId=${offer.id}`);
    expect(JSON.stringify(log.body)).toContain(NETWORK);
  });

  it('hands out links on the https public URL, which lead through nginx to the offer', async () => {
    const publicUrl = `https://${HOST}:${ports.https}`;
    const links = await send('nginx', VISITOR, `/v1/offers/${offer.id}/links?publisherId=${publisher.id}`, { authorization: `Bearer ${server.adminKey}` });
    expect(links.status).toBe(200);
    const body = JSON.parse(links.body);
    expect(body.trackingUrl).toBe(`${publicUrl}${trackingPath()}`);
    for (const link of [body.postbackUrl, body.pixelUrl, body.impressionUrl]) expect(link.startsWith(`${publicUrl}/`)).toBe(true);
    const openapi = JSON.parse((await send('nginx', VISITOR, '/openapi.json')).body);
    expect(openapi.servers).toEqual([expect.objectContaining({ url: publicUrl })]);

    const tracking = new URL(body.trackingUrl);
    const { location } = await clickOf(await send('nginx', VISITOR, `${tracking.pathname}${tracking.search}`, { 'user-agent': BROWSER }));
    expect(`${location.origin}${location.pathname}`).toBe('https://shop.example.com/lp');

    // A link typed with http:// is sent to https.
    const plain = await send('nginx-http', VISITOR, trackingPath());
    expect(plain.status).toBe(301);
    expect(plain.headers.location).toBe(`https://${HOST}${trackingPath()}`);
  });
});
