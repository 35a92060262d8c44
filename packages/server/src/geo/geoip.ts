import { readFileSync, type Stats, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { Reader, type Response } from 'maxmind';
import { ConfigError } from '../config.js';

/** The country of a visitor's IP address, for clicks, visits and impressions without a trusted country header. */
export interface CountryLookup {
  /** The ISO 3166-1 alpha-2 code of the country `ip` is in; null when the database does not know it, or `ip` is no address. */
  country(ip: string | undefined): string | null;
}

/** `WAYPOST_GEOIP_DB=off`: no lookup, so a visit has a country only from the trusted header. */
export const NO_COUNTRY_LOOKUP: CountryLookup = { country: () => null };

/**
 * The CC0 country database of @ip-location-db (from registries' WHOIS data and ASNs), shipped inside the npm package,
 * so nothing is downloaded at run time.
 */
export const BUILT_IN_COUNTRY_DB: string = createRequire(import.meta.url).resolve(
  '@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb',
);

/** The two record shapes of country databases: MaxMind GeoLite2/GeoIP2 and DB-IP nest it, ip-location-db does not. */
interface CountryRecord {
  country?: { iso_code?: unknown };
  country_code?: unknown;
}

/** The country code of a database record, or null for none (an ocean, a record without a country). */
export function countryOfRecord(record: unknown): string | null {
  if (!record || typeof record !== 'object') return null;
  const { country, country_code } = record as CountryRecord;
  const code = (country && typeof country === 'object' ? country.iso_code : undefined) ?? country_code;
  return typeof code === 'string' && /^[A-Z]{2}$/.test(code) ? code : null;
}

/**
 * Decoded records by their offset in the file: a country database has a few hundred distinct records, so nearly
 * every lookup is a hit. Bounded for City databases, which have far more.
 */
class RecordCache {
  private readonly entries = new Map<number, unknown>();
  get(offset: number): unknown {
    return this.entries.get(offset);
  }
  set(offset: number, value: unknown): void {
    if (this.entries.size >= 10_000) this.entries.clear();
    this.entries.set(offset, value);
  }
}

/** A dotted IPv4 address in IPv6 form, as a server listening on `::` sees IPv4 visitors. */
const MAPPED_IPV4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

function readerOf(bytes: Buffer): Reader<Response> {
  return new Reader<Response>(bytes, { cache: new RecordCache() });
}

export interface MmdbCountryLookupOptions {
  /** Reads the file again when it changes (its inode, size or modification time), keeping the old data until the new file reads. @default false */
  watch?: boolean;
  /** How often a watched file is checked. @default 10000 (10 s) */
  pollMs?: number;
  /** Called after each try to read a changed file, with the error when the new file could not be used. @default logs errors */
  onReload?: (error?: Error) => void;
}

/** What tells one version of a file from the next: replaced by rename, rewritten in place, or a moved symlink. */
const versionOf = (stats: Stats) => `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}`;

/** A MaxMind DB (MMDB) file held in memory: lookups do no I/O, and a watched file is swapped in whole. */
export class MmdbCountryLookup implements CountryLookup {
  private reader: Reader<Response>;
  private readonly timer?: NodeJS.Timeout;

  /** Reads `path` at once; throws when it is missing or not an MMDB file. */
  constructor(
    readonly path: string,
    options: MmdbCountryLookupOptions = {},
  ) {
    // Taken before the read: a change during it only costs one more read.
    let version = versionOf(statSync(path));
    this.reader = readerOf(readFileSync(path));
    if (!options.watch) return;
    const onReload = options.onReload ?? ((error?: Error) => error && console.error(`GeoIP database ${path} not reloaded:`, error.message));
    let checking = false;
    // The file's metadata is polled, against the version that was read, rather than watched for events (fs.watch):
    // events miss some replacements on some file systems, and a poll cannot miss a change made before it began.
    this.timer = setInterval(async () => {
      if (checking) return;
      checking = true;
      try {
        const current = versionOf(await stat(path));
        if (current === version) return;
        version = current;
        try {
          this.reader = readerOf(await readFile(path));
          onReload();
        } catch (error) {
          // Half-written: the old data serves until the next version reads whole.
          onReload(error as Error);
        }
      } catch {
        // Briefly missing while it is replaced: the old data serves.
      } finally {
        checking = false;
      }
    }, options.pollMs ?? 10_000);
    this.timer.unref();
  }

  country(ip: string | undefined): string | null {
    if (!ip) return null;
    const address = MAPPED_IPV4.exec(ip)?.[1] ?? ip;
    const version = isIP(address);
    // An IPv4-only tree would answer an IPv6 address from the bits of its first 32.
    if (version === 0 || (version === 6 && this.reader.metadata.ipVersion === 4)) return null;
    try {
      return countryOfRecord(this.reader.get(address));
    } catch {
      // An address that Node accepts and the reader does not (a zone index): no country rather than a failed click.
      return null;
    }
  }

  /** Stops watching the file. */
  close(): void {
    clearInterval(this.timer);
  }
}

const opened = new Map<string, CountryLookup>();

/**
 * The lookup `WAYPOST_GEOIP_DB` asks for, opened once per process: unset, the built-in database; `off`, none;
 * else the operator's MMDB file, watched for changes. Throws a ConfigError naming the variable when the file cannot
 * be used.
 */
export function countryLookupFor(setting: string | undefined): CountryLookup {
  if (setting === 'off') return NO_COUNTRY_LOOKUP;
  const path = setting === undefined ? BUILT_IN_COUNTRY_DB : resolve(setting);
  let lookup = opened.get(path);
  if (!lookup) {
    try {
      lookup = new MmdbCountryLookup(path, { watch: setting !== undefined });
    } catch (error) {
      throw new ConfigError(`invalid configuration: WAYPOST_GEOIP_DB: cannot read "${path}" as an MMDB country database (${(error as Error).message})`);
    }
    opened.set(path, lookup);
  }
  return lookup;
}
