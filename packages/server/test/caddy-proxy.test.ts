import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fencedBlock } from '../../../scripts/test-support/readme.js';
import { startTestServer, type TestServer } from './support/harness.js';
import { freePort } from './support/nginx.js';
import { isExecutable, SBIN, which } from './support/postgres.js';
import { writeMmdb } from './support/mmdb.js';

/**
 * The README's Caddyfile in front of a real server that trusts it (`WAYPOST_TRUST_PROXY=127.0.0.1`), with the country
 * header left at its default, so that only the Caddyfile keeps a visitor from naming their country. Caddy's own
 * certificate authority stands in for a public one (`local_certs`);
 * otherwise the site block is the README's, with only the upstream port changed. Visitors connect from two
 * loopback addresses, 127.0.0.2 and 127.0.0.3, which an operator database places in two countries.
 */
const README = fileURLToPath(new URL('../../../README.md', import.meta.url));
/** The caddy executable: WAYPOST_CADDY, else `caddy` on PATH or in the sbin folders, as scripts/lib/system-deps.mjs finds it. */
function findCaddy(): string | undefined {
  const explicit = process.env.WAYPOST_CADDY;
  if (explicit) return isExecutable(explicit) ? explicit : undefined;
  return which('caddy', SBIN);
}

const caddy = findCaddy();
if (!caddy) {
  const reason = 'no caddy command (apt-get install -y caddy, or set WAYPOST_CADDY)';
  // Never skipped in CI: there the README's Caddyfile must be tested.
  if (process.env.CI === 'true') throw new Error(reason);
  console.warn(`[caddy] ${reason}: the README's Caddyfile is not tested.`);
}

describe.runIf(caddy)('the README Caddyfile in front of the server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'waypost-caddy-'));
  let server: TestServer;
  let proxy: ChildProcess;
  let httpsPort: number;
  let httpPort: number;
  let ca: Buffer;

  beforeAll(async () => {
    [httpsPort, httpPort] = [await freePort(), await freePort()];
    const geoip = join(dir, 'countries.mmdb');
    writeFileSync(
      geoip,
      writeMmdb([
        { network: '127.0.0.2/32', record: { country: { iso_code: 'GB' } } },
        { network: '127.0.0.3/32', record: { country: { iso_code: 'FR' } } },
      ]),
    );
    server = await startTestServer('sqlite', {
      env: { WAYPOST_TRUST_PROXY: '127.0.0.1', WAYPOST_GEOIP_DB: geoip, WAYPOST_PUBLIC_URL: `https://track.example.com:${httpsPort}` },
    });
    const site = fencedBlock(README, 'caddyfile', 'reverse_proxy').replace('127.0.0.1:8787', new URL(server.url).host);
    const options = `{\n\tadmin off\n\tlocal_certs\n\tskip_install_trust\n\tstorage file_system ${join(dir, 'data')}\n\thttp_port ${httpPort}\n\thttps_port ${httpsPort}\n\tservers {\n\t\tprotocols h1 h2\n\t}\n}\n`;
    writeFileSync(join(dir, 'Caddyfile'), `${options}${site}\n`);
    proxy = spawn(caddy!, ['run', '--config', join(dir, 'Caddyfile'), '--adapter', 'caddyfile'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: dir, XDG_DATA_HOME: join(dir, 'xdg-data'), XDG_CONFIG_HOME: join(dir, 'xdg-config') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Caddy logs JSON lines on stderr: ready once it serves the configuration and holds the site's certificate.
    await new Promise<void>((resolve, reject) => {
      let log = '';
      const waiting = new Set(['serving initial configuration', 'certificate obtained successfully']);
      proxy.stderr!.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        for (const message of waiting) if (log.includes(`"msg":"${message}"`)) waiting.delete(message);
        if (waiting.size === 0) resolve();
      });
      proxy.once('exit', (code) => reject(new Error(`caddy exited with ${code}:\n${log}`)));
    });
    ca = readFileSync(join(dir, 'data', 'pki', 'authorities', 'local', 'root.crt'));
  });

  afterAll(async () => {
    proxy?.kill();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** An https request to track.example.com through Caddy, from a visitor at `from`. */
  const viaCaddy = (path: string, { from = '127.0.0.2', headers = {} as Record<string, string> } = {}) =>
    new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: httpsPort, path, servername: 'track.example.com', localAddress: from, ca, headers: { host: `track.example.com:${httpsPort}`, ...headers } },
        (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
        },
      );
      req.on('error', reject);
      req.end();
    });

  const offer = async () => {
    const publisher = (await server.json('/v1/publishers', { method: 'POST', json: { name: `Caddy publisher ${Math.random()}` } })).body;
    const created = await server.json('/v1/offers', {
      method: 'POST',
      json: { name: `Caddy offer ${Math.random()}`, url: 'https://shop.example.com/?cid={click_id}&cc={country_code}', payout: { model: 'cpa', amount: '5.00' }, postbackIpAllowlist: ['127.0.0.2'] },
    });
    expect(created.status).toBe(201);
    return { offer: created.body as { id: string; postbackToken: string }, publisher: publisher as { id: string } };
  };

  it('answers /healthz over https', async () => {
    const health = await viaCaddy('/healthz');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ status: 'ok' });
  });

  it('places a click by the visitor address that Caddy forwards, not by one the visitor claims, and sets a Secure cookie', async () => {
    const { offer: o, publisher } = await offer();
    const click = await viaCaddy(`/c/${o.id}?pub=${publisher.id}`, { headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0' } });
    expect(click.status).toBe(302);
    expect(new URL(click.headers.location as string).searchParams.get('cc')).toBe('GB');
    expect(String(click.headers['set-cookie'])).toMatch(/waypost_cid=[0-9a-z]+;.*Secure/);

    const spoofed = await viaCaddy(`/c/${o.id}?pub=${publisher.id}`, { from: '127.0.0.3', headers: { 'x-forwarded-for': '127.0.0.2', 'cf-ipcountry': 'GB' } });
    expect(new URL(spoofed.headers.location as string).searchParams.get('cc')).toBe('FR');
  });

  it('holds postbacks to the allowlist by the forwarded address, which a spoofed X-Forwarded-For cannot change', async () => {
    const { offer: o, publisher } = await offer();
    const click = await viaCaddy(`/c/${o.id}?pub=${publisher.id}`);
    const clickId = /waypost_cid=([^;]+)/.exec(String(click.headers['set-cookie']))![1]!;
    const postback = `/postback?click_id=${clickId}&amount=10.00&token=${o.postbackToken}`;
    const spoofed = await viaCaddy(postback, { from: '127.0.0.3', headers: { 'x-forwarded-for': '127.0.0.2' } });
    expect(spoofed.status).toBe(403);
    const allowed = await viaCaddy(postback, { from: '127.0.0.2' });
    expect(allowed.status).toBe(200);
    expect(JSON.parse(allowed.body).status).toBe('accepted');
    const log = (await server.json(`/v1/postbacks?offerId=${o.id}`)).body.data as { ip: string; status: string }[];
    expect(log.map((entry) => entry.ip).sort()).toEqual(['127.0.0.2', '127.0.0.3']);
  });

  it('gives links on the https public URL, and redirects plain http to https', async () => {
    const { offer: o, publisher } = await offer();
    const links = await viaCaddy(`/v1/offers/${o.id}/links?publisherId=${publisher.id}`, { headers: { authorization: `Bearer ${server.adminKey}` } });
    expect(JSON.parse(links.body).trackingUrl).toBe(`https://track.example.com:${httpsPort}/c/${o.id}?pub=${publisher.id}`);
    const plain = await new Promise<IncomingMessage>((resolve, reject) =>
      httpGet({ host: '127.0.0.1', port: httpPort, path: '/healthz', headers: { host: 'track.example.com' } }, resolve).on('error', reject),
    );
    plain.resume();
    expect(plain.statusCode).toBe(308);
    expect(plain.headers.location).toMatch(/^https:\/\/track\.example\.com\//);
  });
});
