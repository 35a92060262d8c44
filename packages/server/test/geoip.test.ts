import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/config.js';
import { BUILT_IN_COUNTRY_DB, countryLookupFor, MmdbCountryLookup, NO_COUNTRY_LOOKUP } from '../src/geo/geoip.js';
import { backends, startTestServer, type TestServer } from './support/harness.js';
import { type MmdbNetwork, writeMmdb } from './support/mmdb.js';

const dir = mkdtempSync(join(tmpdir(), 'waypost-geoip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Networks in both record shapes: MaxMind's and DB-IP's nested `country`, and ip-location-db's `country_code`. */
const OPERATOR_NETWORKS: MmdbNetwork[] = [
  { network: '198.51.100.0/24', record: { continent: { code: 'EU' }, country: { iso_code: 'FR', geoname_id: 3017382, names: { en: 'France', de: 'Frankreich' } }, city: { names: { en: 'Lyon' } } } },
  { network: '203.0.113.0/25', record: { country_code: 'DE' } },
  { network: '2001:db8::/32', record: { country: { iso_code: 'JP', names: { en: 'Japan' } } } },
  // GeoLite2 gives some networks only the registrant's country: that is not where the visitor is.
  { network: '192.0.2.0/24', record: { registered_country: { iso_code: 'US' } } },
];

/** A visitor's browser: bots earn no CPC or CPM payout. */
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

let files = 0;
/** Puts a file in place whole, as geoipupdate does (a new file renamed over the old one). */
function replaceFile(bytes: Buffer, path = join(dir, `operator-${++files}.mmdb`)): string {
  writeFileSync(`${path}.tmp`, bytes);
  renameSync(`${path}.tmp`, path);
  return path;
}
const writeDatabase = (networks: MmdbNetwork[], path?: string) => replaceFile(writeMmdb(networks), path);

/** A watched lookup, and a way to wait for its next reload that worked (`true`) or failed (`false`). */
function watchedLookup(path: string) {
  const waiting: { ok: boolean; resolve: () => void }[] = [];
  const lookup = new MmdbCountryLookup(path, {
    watch: true,
    pollMs: 20,
    onReload: (error) => {
      const index = waiting.findIndex((waiter) => waiter.ok === !error);
      if (index >= 0) waiting.splice(index, 1)[0]!.resolve();
    },
  });
  const nextReload = (ok: boolean) => new Promise<void>((resolve) => waiting.push({ ok, resolve }));
  return { lookup, nextReload };
}

describe('the built-in country database', () => {
  const lookup = countryLookupFor(undefined);

  it('answers from the CC0 database shipped in the npm package, with nothing downloaded', () => {
    expect(BUILT_IN_COUNTRY_DB).toMatch(/@ip-location-db[/\\]geo-whois-asn-country-mmdb[/\\]geo-whois-asn-country\.mmdb$/);
    expect(lookup.country('8.8.8.8')).toBe('US');
    expect(lookup.country('81.2.69.160')).toBe('GB');
    expect(lookup.country('2001:4860:4860::8888')).toBe('US');
  });

  it('reads an IPv4 visitor as a server listening on :: sees one, IPv4-mapped', () => {
    expect(lookup.country('::ffff:8.8.8.8')).toBe('US');
    expect(lookup.country('::FFFF:81.2.69.160')).toBe('GB');
  });

  it('has no country for private, loopback or malformed addresses', () => {
    for (const ip of ['127.0.0.1', '10.1.2.3', '::1', 'fe80::1%eth0', 'not an address', '8.8.8', '', undefined]) {
      expect(lookup.country(ip)).toBeNull();
    }
  });

  it('is read once per process', () => {
    expect(countryLookupFor(undefined)).toBe(lookup);
  });
});

describe("an operator's MMDB file", () => {
  const opened: MmdbCountryLookup[] = [];
  afterEach(() => opened.splice(0).forEach((lookup) => lookup.close()));

  it('reads both record shapes, IPv4 and IPv6', () => {
    const lookup = new MmdbCountryLookup(writeDatabase(OPERATOR_NETWORKS));
    expect(lookup.country('198.51.100.77')).toBe('FR');
    expect(lookup.country('::ffff:198.51.100.77')).toBe('FR');
    expect(lookup.country('203.0.113.9')).toBe('DE');
    expect(lookup.country('2001:db8:1234::1')).toBe('JP');
  });

  it('gives no country where the file has none: outside its networks, or only a registered country', () => {
    const lookup = new MmdbCountryLookup(writeDatabase(OPERATOR_NETWORKS));
    expect(lookup.country('203.0.113.200')).toBeNull();
    expect(lookup.country('192.0.2.1')).toBeNull();
    expect(lookup.country('8.8.8.8')).toBeNull();
    expect(lookup.country('2001:db9::1')).toBeNull();
  });

  it('is read again when the file is replaced, and keeps its data while a new file is broken', async () => {
    const path = writeDatabase(OPERATOR_NETWORKS);
    const { lookup, nextReload } = watchedLookup(path);
    opened.push(lookup);
    expect(lookup.country('198.51.100.77')).toBe('FR');

    let reloaded = nextReload(true);
    writeDatabase([{ network: '198.51.100.0/24', record: { country: { iso_code: 'ES' } } }], path);
    await reloaded;
    expect(lookup.country('198.51.100.77')).toBe('ES');
    expect(lookup.country('203.0.113.9')).toBeNull();

    // A download cut short.
    reloaded = nextReload(false);
    replaceFile(writeMmdb([{ network: '198.51.100.0/24', record: { country_code: 'IT' } }]).subarray(0, 100), path);
    await reloaded;
    expect(lookup.country('198.51.100.77')).toBe('ES');

    reloaded = nextReload(true);
    writeDatabase([{ network: '198.51.100.0/24', record: { country_code: 'IT' } }], path);
    await reloaded;
    expect(lookup.country('198.51.100.77')).toBe('IT');
  });

  it('stops the server from starting when WAYPOST_GEOIP_DB names no MMDB file', () => {
    const notMmdb = join(dir, 'not-a-database.mmdb');
    writeFileSync(notMmdb, 'hello');
    for (const path of [join(dir, 'missing.mmdb'), notMmdb]) {
      expect(() => countryLookupFor(path)).toThrow(ConfigError);
      expect(() => countryLookupFor(path)).toThrow(/WAYPOST_GEOIP_DB/);
    }
  });

  it('is not looked up at all with WAYPOST_GEOIP_DB=off', () => {
    expect(countryLookupFor('off')).toBe(NO_COUNTRY_LOOKUP);
    expect(NO_COUNTRY_LOOKUP.country('8.8.8.8')).toBeNull();
  });
});

describe.each(backends())('the country of a visit on %s', (backend) => {
  const servers: TestServer[] = [];
  const opened: MmdbCountryLookup[] = [];
  afterEach(async () => {
    opened.splice(0).forEach((lookup) => lookup.close());
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  /** A server behind a proxy on loopback (this test), so that X-Forwarded-For names the visitor. */
  const start = async (env: Record<string, string> = {}, countryLookup?: MmdbCountryLookup) => {
    const server = await startTestServer(backend, { env: { WAYPOST_TRUST_PROXY: 'loopback', ...env }, ...(countryLookup ? { countryLookup } : {}) });
    servers.push(server);
    const publisher = (await server.json('/v1/publishers', { method: 'POST', json: { name: 'Geo publisher' } })).body as { id: string };
    const offer = (
      await server.json('/v1/offers', {
        method: 'POST',
        json: {
          name: 'Geo offer',
          url: 'https://shop.example.com/lp?cid={click_id}&cc={country_code}',
          directTracking: true,
          payout: { model: 'cpc', amount: '0.10', geo: [{ countries: ['FR'], amount: '0.40' }] },
        },
      })
    ).body as { id: string };
    const click = async (ip: string, headers: Record<string, string> = {}) => {
      const response = await server.request(`/c/${offer.id}?pub=${publisher.id}`, { key: null, headers: { 'x-forwarded-for': ip, 'user-agent': BROWSER, ...headers } });
      expect(response.status).toBe(302);
      const location = new URL(response.headers.get('location')!);
      const stored = (await server.json(`/v1/clicks/${location.searchParams.get('cid')}`)).body as { country: string | null; ipPrefix: string | null };
      // The redirect's {country_code} macro is the stored country.
      expect(location.searchParams.get('cc')).toBe(stored.country ?? '');
      return stored;
    };
    return { server, offer, publisher, click };
  };

  it("gives a click without a country header the country of the visitor's address, and stores only its network", async () => {
    const { server, click } = await start({ WAYPOST_GEOIP_DB: writeDatabase(OPERATOR_NETWORKS) });
    const stored = await click('198.51.100.77');
    expect(stored).toMatchObject({ country: 'FR', ipPrefix: '198.51.100.0/24' });
    expect(await click('203.0.113.9')).toMatchObject({ country: 'DE' });
    expect(await click('2001:db8:1234::1')).toMatchObject({ country: 'JP', ipPrefix: '2001:db8:1234::/48' });
    expect(await click('192.0.2.1')).toMatchObject({ country: null });
    const clicks = await server.json('/v1/clicks');
    expect(JSON.stringify(clicks.body)).not.toContain('198.51.100.77');
  });

  it('pays the geo payout, and reports the click, in the country the lookup found', async () => {
    const { server, offer, click } = await start({ WAYPOST_GEOIP_DB: writeDatabase(OPERATOR_NETWORKS) });
    await click('198.51.100.77');
    await click('203.0.113.9');
    const report = await server.json(`/v1/reports?from=2026-03-01&to=2026-03-01&groupBy=country&offerId=${offer.id}`);
    expect(report.status).toBe(200);
    expect(report.body.rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ country: 'FR', clicks: 1, payout: '0.40' }),
        expect.objectContaining({ country: 'DE', clicks: 1, payout: '0.10' }),
      ]),
    );
  });

  it('lets the trusted header win when it is present, and falls back to the lookup when it names no country', async () => {
    const { click } = await start({ WAYPOST_GEOIP_DB: writeDatabase(OPERATOR_NETWORKS) });
    expect(await click('198.51.100.77', { 'cf-ipcountry': 'CA' })).toMatchObject({ country: 'CA' });
    expect(await click('198.51.100.77', { 'cf-ipcountry': 'XX' })).toMatchObject({ country: 'FR' });
    const untrusted = await start({ WAYPOST_GEOIP_DB: writeDatabase(OPERATOR_NETWORKS), WAYPOST_COUNTRY_HEADER: 'off' });
    expect(await untrusted.click('198.51.100.77', { 'cf-ipcountry': 'CA' })).toMatchObject({ country: 'FR' });
  });

  it('looks up visits from the browser script and impressions as it does clicks', async () => {
    const { server, offer, publisher } = await start({ WAYPOST_GEOIP_DB: writeDatabase(OPERATOR_NETWORKS) });
    const visit = await server.json('/v1/visits', {
      key: null,
      method: 'POST',
      headers: { 'x-forwarded-for': '203.0.113.9', 'content-type': 'text/plain' },
      body: JSON.stringify({ offerId: offer.id, publisherId: publisher.id, landingUrl: 'https://shop.example.com/lp' }),
    });
    expect(visit.status).toBe(201);
    expect((await server.json(`/v1/clicks/${visit.body.clickId}`)).body).toMatchObject({ country: 'DE', source: 'direct' });
    const impression = await server.request(`/i/${offer.id}?pub=${publisher.id}`, { key: null, headers: { 'x-forwarded-for': '2001:db8::5', 'user-agent': BROWSER } });
    expect(impression.status).toBe(200);
    const report = await server.json(`/v1/reports?from=2026-03-01&to=2026-03-01&groupBy=country&offerId=${offer.id}`);
    expect(report.body.rows).toContainEqual(expect.objectContaining({ country: 'JP', impressions: 1 }));
  });

  it('finds the country with the built-in database by default, and none with WAYPOST_GEOIP_DB=off', async () => {
    const { click } = await start();
    expect(await click('8.8.8.8')).toMatchObject({ country: 'US', ipPrefix: '8.8.8.0/24' });
    expect(await click('81.2.69.160')).toMatchObject({ country: 'GB' });
    const off = await start({ WAYPOST_GEOIP_DB: 'off' });
    expect(await off.click('8.8.8.8')).toMatchObject({ country: null, ipPrefix: '8.8.8.0/24' });
    expect(await off.click('8.8.8.8', { 'cf-ipcountry': 'NL' })).toMatchObject({ country: 'NL' });
  });

  it("uses the operator's replaced file for the next click, with no restart", async () => {
    const path = writeDatabase(OPERATOR_NETWORKS);
    const { lookup, nextReload } = watchedLookup(path);
    opened.push(lookup);
    const { click } = await start({}, lookup);
    expect(await click('198.51.100.77')).toMatchObject({ country: 'FR' });
    const reloaded = nextReload(true);
    writeDatabase([{ network: '198.51.100.0/24', record: { country_code: 'BE' } }], path);
    await reloaded;
    expect(await click('198.51.100.77')).toMatchObject({ country: 'BE' });
  });
});
