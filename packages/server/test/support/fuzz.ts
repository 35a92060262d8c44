// Building blocks of the input fuzz test (test/fuzz.test.ts): hostile values, request encodings, JSON bodies shaped
// by a JSON Schema, and a second connection that reads the whole database to prove that refused input changed nothing.
import { fc } from '@fast-check/vitest';
import Database from 'libsql';
import pg from 'pg';

/**
 * Run settings. The seed is fixed so that a failure in CI replays on any machine; FUZZ_SEED and FUZZ_RUNS widen the
 * search by hand, and the time limit keeps `npm test` bounded on a slow machine whatever the run count.
 */
const FUZZ = {
  seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 1212,
  runs: process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : 100,
  timeLimitMs: process.env.FUZZ_TIME_LIMIT_MS ? Number(process.env.FUZZ_TIME_LIMIT_MS) : 4_000,
};

/**
 * fast-check parameters for one property that draws its input with `fc.gen()`: `weight` scales the run count (and
 * time) of a property that covers more ground.
 */
export function fuzzParameters(weight = 1): fc.Parameters<[fc.GeneratorValue]> {
  return {
    seed: FUZZ.seed,
    numRuns: Math.max(1, Math.round(FUZZ.runs * weight)),
    interruptAfterTimeLimit: FUZZ.timeLimitMs * weight,
    // Running out of time ends the search early; it is not a failure.
    markInterruptAsFailure: false,
  };
}

/** The test timeout for a property with that weight: its time limit, plus shrinking a failure and some slack. */
export function fuzzTimeout(weight = 1): number {
  return FUZZ.timeLimitMs * weight * 3 + 30_000;
}

// ---------------------------------------------------------------------------------------------------------------
// Hostile values

/** Single characters that break naive code: NUL and other controls, lone surrogates, invisible and wide ones. */
const nastyChar = fc.oneof(
  fc.constantFrom('\u0000', '\u0001', '\u0008', '\t', '\n', '\r', '\u001b', '\u001f', '\u007f', '\u0085', '\u00a0'),
  fc.constantFrom('\u2028', '\u2029', '\u200b', '\u202e', '\ufeff', '\ufffd', '\uffff', 'é', 'İ', '\u0301', '💥', '𝕏'),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)),
  fc.constantFrom('%', '&', '=', '?', '#', '+', ';', '/', '\\', '"', "'", '<', '>', '{', '}', '[', ']', ' ', '.', ','),
);

/** Whole values that mean something to a parser: numbers in every spelling, macros, keywords, injections. */
const NASTY_WORDS = [
  '',
  ' ',
  '0',
  '-0',
  '-1',
  '1e309',
  '-1e309',
  '1e-400',
  '1E3',
  '0x1F',
  '0b101',
  '1_000',
  '.5',
  '5.',
  '12,34',
  '1,234.50',
  '9007199254740993',
  '99999999999999999999999999.99',
  '-99999999999999999999',
  'NaN',
  'Infinity',
  '-Infinity',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '{click_id}',
  '{amount}',
  '%7Bamount%7D',
  '{{amount}}',
  '[amount]',
  '#amount#',
  'approved',
  'APPROVED',
  'sale',
  'rejected',
  'refund',
  'rebill',
  'pending',
  'maybe',
  'USD',
  'usd',
  'EUR',
  'JPY',
  'KWD',
  'XYZ',
  'DE',
  'XX',
  "'; DROP TABLE clicks; --",
  '" OR 1=1 --',
  '%s%n%x',
  '${process.exit()}',
  '<script>alert(1)</script>',
  'javascript:alert(1)',
  '=cmd|\' /C calc\'!A0',
  'http://127.0.0.1:1/',
  'file:///etc/passwd',
  '../../../../etc/passwd',
  'a\u0000b',
  '\u0000',
  '\ud800',
  'x\udfffy',
];

const longString = fc
  // Long enough to pass every length limit, short enough that the request line still fits Node's header limit.
  .tuple(fc.constantFrom('x', '9', 'é', '\u0000', '%', '💥', 'ab&c='), fc.integer({ min: 200, max: 1_500 }))
  .map(([piece, length]) => piece.repeat(Math.ceil(length / piece.length)));

const numberSpelling = fc.oneof(
  fc.integer().map(String),
  fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map(String),
  fc.double().map(String),
  fc.tuple(fc.integer({ min: -99_999, max: 99_999 }), fc.integer({ min: -400, max: 400 })).map(([mantissa, exponent]) => `${mantissa}e${exponent}`),
  fc.tuple(fc.nat(99_999), fc.nat(9_999)).map(([units, decimals]) => `${units}.${decimals}`),
);

/** Ordinary text with a NUL, a lone surrogate or another control character inside: what storage chokes on. */
const controlled = fc
  .tuple(fc.string({ maxLength: 8 }), fc.constantFrom('\u0000', '\u0000\u0000', '\ud800', '\udfff', '\udc00\ud800', '\u0001', '\u001f', '\u007f', '\ufffe', '\r\n'), fc.string({ maxLength: 8 }))
  .map((parts) => parts.join(''));

/** A string that is any of the above, or a mix of them. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: controlled, weight: 5 },
  { arbitrary: fc.constantFrom(...NASTY_WORDS), weight: 4 },
  { arbitrary: fc.array(fc.oneof(fc.constantFrom(...NASTY_WORDS), fc.string({ unit: nastyChar, maxLength: 4 }), fc.string({ maxLength: 6 })), { minLength: 1, maxLength: 5 }).map((parts) => parts.join('')), weight: 4 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 30 }), weight: 2 },
  { arbitrary: numberSpelling, weight: 2 },
  { arbitrary: longString, weight: 1 },
);

/** `arbitrary` in about one case out of `every`, else undefined. */
export function sometimes<T>(arbitrary: fc.Arbitrary<T>, every: number): fc.Arbitrary<T | undefined> {
  return fc.oneof({ arbitrary: fc.constant(undefined), weight: every - 1 }, { arbitrary, weight: 1 });
}

/** A value for a header: printable ASCII only, since fetch itself refuses the rest. */
export const headerValue: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)), maxLength: 60 }),
  fc.constantFrom(...NASTY_WORDS.filter((word) => /^[\x20-\x7e]*$/.test(word))),
).map((value) => value.trim());

// ---------------------------------------------------------------------------------------------------------------
// Query strings and forms

/** UTF-8 percent-encoding of everything but unreserved characters; a lone surrogate becomes U+FFFD, as in a browser. */
function percentEncode(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9_.~-]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Percent sequences that decoders disagree on: truncated, not hex, NUL, overlong and surrogate UTF-8, bare bytes. */
const oddEncoding = fc.constantFrom('%', '%%', '%2', '%zz', '%00', '%0a', '%C0%80', '%C0%AE', '%E0%80%80', '%ED%A0%80', '%ED%BF%BF', '%F4%90%80%80', '%FF', '%FE%FF', '%80', '+', '%2B', '%26', '%3D', '%23');

/** One name or value as it may appear on the wire: encoded properly, form-encoded, raw, or with odd escapes inside. */
export function wireText(value: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: value.map(percentEncode), weight: 4 },
    { arbitrary: value.map((text) => percentEncode(text).replace(/%20/g, '+')), weight: 1 },
    // fetch percent-encodes what a URL cannot hold and leaves `%`, `&` and `=` alone, so these change the structure.
    { arbitrary: value, weight: 1 },
    { arbitrary: fc.tuple(value.map(percentEncode), oddEncoding, value.map(percentEncode)).map((parts) => parts.join('')), weight: 2 },
  );
}

/**
 * A query string (or urlencoded form) from name/value pairs: most pairs encoded as a browser would, some with odd
 * escapes, and a stray empty or broken piece now and then.
 */
export function encodePairs(pairs: fc.Arbitrary<readonly (readonly [string, string])[]>): fc.Arbitrary<string> {
  const encoded = (name: string, value: string) =>
    fc.oneof(
      { arbitrary: fc.constant(`${percentEncode(name)}=${percentEncode(value)}`), weight: 12 },
      { arbitrary: fc.tuple(wireText(fc.constant(name)), wireText(fc.constant(value))).map(([n, v]) => `${n}=${v}`), weight: 3 },
      { arbitrary: fc.constantFrom(percentEncode(name), `${percentEncode(name)}=`, `=${percentEncode(value)}`), weight: 1 },
    );
  const stray = fc.constantFrom('', '=', '==', '&', '%=%', '%zz=1', ';');
  return pairs.chain((list) =>
    fc.tuple(fc.tuple(...list.map(([name, value]) => encoded(name, value))), sometimes(stray, 8)).map(([parts, extra]) => [...parts, ...(extra === undefined ? [] : [extra])].join('&')),
  );
}

/** A query string of random pairs drawn from `names` and `values`, repeats included. */
export function queryString(names: fc.Arbitrary<string>, values: fc.Arbitrary<string>, maxPairs = 8): fc.Arbitrary<string> {
  return encodePairs(fc.array(fc.tuple(names, values), { maxLength: maxPairs }));
}

// ---------------------------------------------------------------------------------------------------------------
// JSON bodies, written as text so that they can hold what JSON.stringify never writes (repeated keys, 1e400)

const numberToken = fc.oneof(
  fc.constantFrom('0', '-0', '1', '-1', '0.1', '1e400', '-1e400', '1e-400', '9007199254740993', '123456789012345678901234567890', '1.0000000000000000001', '12.345', '2E2'),
  numberSpelling.filter((text) => /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(text)),
);

const hostileKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'valueOf', '', ' ', 'a\u0000', '\ud800', 'token', 'status', 'payout', 'id', 'offerId', 'clickId', 'amount'),
  fc.string({ maxLength: 8 }),
);

/** Any JSON value, nested a few levels deep, with hostile strings, numbers and keys. */
export const hostileJson: fc.Arbitrary<string> = fc.letrec<{ value: string; array: string; object: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString.map((text) => JSON.stringify(text)),
    fc.integer({ min: 2_000, max: 30_000 }).map((length) => JSON.stringify('\u0000x'.repeat(length / 2))),
    numberToken,
    fc.constantFrom('true', 'false', 'null'),
    tie('array'),
    tie('object'),
  ),
  array: fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
  object: fc.array(fc.tuple(hostileKey, tie('value')), { maxLength: 5 }).map(jsonObject),
})).value;

export function jsonObject(entries: readonly (readonly [string, string])[]): string {
  return `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',')}}`;
}

/** Text that is not JSON, or JSON of a surprising shape, or a nesting deeper than any sane body. */
export const brokenJson: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', ' ', '{', '}', '{"a":', '{"a":1,}', "{'a':1}", '{"a":1}}', 'nul', 'NaN', '\u0000', '\ufeff{}', '{"a":"\\ud800"}', '{"a":"\\u0000"}', '{"\\u0000":1}'),
  fc.constantFrom('null', 'true', '0', '"text"', '[]', '[{}]'),
  fc.integer({ min: 100, max: 20_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
  fc.integer({ min: 100, max: 10_000 }).map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
  hostileJson.chain((text) => fc.nat(text.length).map((cut) => text.slice(0, cut))),
);

type JsonSchema = Record<string, any>;

/** What a schema-shaped body can take from the test's world: ids, codes and URLs that exist. */
export interface Pools {
  /** Ids of every kind (offers, publishers, clicks, payments…), for any id-shaped string. */
  ids: readonly string[];
  /** Other strings worth trying where a schema wants a string. */
  strings: readonly string[];
  /** Strings for properties whose name matches: URLs for `url`, codes for `currency`… A schema cannot say that. */
  named: readonly (readonly [RegExp, readonly string[]])[];
}

/**
 * A JSON body (as text) mostly shaped like `schema`, so that it gets past validation and into the engine and the
 * database, with a hostile value, key or shape mixed in at any level.
 */
export function jsonFromSchema(schema: JsonSchema, pools: Pools): fc.Arbitrary<string> {
  // One node in forty is replaced by hostile JSON: most bodies then pass validation, and get to the database.
  const node = (s: JsonSchema, name?: string): fc.Arbitrary<string> =>
    fc.oneof({ arbitrary: shaped(s, name), weight: 39 }, { arbitrary: hostileJson, weight: 1 });

  const shaped = (s: JsonSchema, name?: string): fc.Arbitrary<string> => {
    if (s.const !== undefined) return fc.constant(JSON.stringify(s.const));
    if (Array.isArray(s.enum)) return fc.constantFrom(...s.enum.map((value: unknown) => JSON.stringify(value)));
    const choices: JsonSchema[] | undefined = s.anyOf ?? s.oneOf;
    if (choices) return fc.oneof(...choices.map((choice) => shaped(choice, name)));
    const types: string[] = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
    if (types.length === 0) return hostileJson;
    return fc.oneof(...types.map((type) => byType(type, s, name)));
  };

  const byType = (type: string, s: JsonSchema, name?: string): fc.Arbitrary<string> => {
    switch (type) {
      case 'string':
        return stringFor(s, name).map((text) => JSON.stringify(text));
      case 'number':
      case 'integer': {
        const min = Math.ceil(Math.max(s.minimum ?? -1e6, Number.MIN_SAFE_INTEGER));
        const max = Math.floor(Math.min(s.maximum ?? 1e6, Number.MAX_SAFE_INTEGER));
        return fc.oneof(
          { arbitrary: fc.integer({ min: Math.max(min, 0), max: Math.max(Math.min(max, 100), min, 0) }).map(String), weight: 4 },
          { arbitrary: fc.integer({ min, max }).map(String), weight: 2 },
          { arbitrary: fc.constantFrom(String(min - 1), String(max + 1), '12.5', '0.001', '1e400', '-1'), weight: 1 },
          { arbitrary: numberToken, weight: 1 },
        );
      }
      case 'boolean':
        return fc.constantFrom('true', 'false');
      case 'null':
        return fc.constant('null');
      case 'array': {
        const items: JsonSchema = s.items ?? {};
        const minLength = Math.min(s.minItems ?? 0, 3);
        return fc.array(node(items, name), { minLength, maxLength: Math.max(minLength, Math.min(s.maxItems ?? 4, 4)) }).map((values) => `[${values.join(',')}]`);
      }
      case 'object': {
        const properties: Record<string, JsonSchema> = s.properties ?? {};
        const required = new Set<string>(s.required ?? []);
        const fields = Object.entries(properties).map(([name, property]) =>
          // A required field is nearly always there, an optional one now and then: most bodies then pass validation.
          fc.option(node(property, name).map((value) => [name, value] as const), { freq: required.has(name) ? 20 : 2, nil: undefined }),
        );
        const extraValue: JsonSchema = typeof s.additionalProperties === 'object' ? s.additionalProperties : {};
        const record = typeof s.additionalProperties === 'object';
        const extraKey = s.propertyNames ? stringFor(s.propertyNames, name) : hostileKey;
        const extras = record ? fc.array(fc.tuple(extraKey, node(extraValue, name)), { maxLength: 4 }) : sometimes(fc.tuple(hostileKey, hostileJson), 20).map((extra) => (extra ? [extra] : []));
        return fc
          .tuple(fc.tuple(...fields), extras, sometimes(fc.nat(), 15))
          .map(([entries, extra, repeat]) => {
            const all = [...entries.filter((entry): entry is readonly [string, string] => entry !== undefined), ...extra];
            // A repeated key, which JSON.parse resolves to the last one: sent once with the same value, once with null.
            if (repeat !== undefined && all.length > 0) {
              const [key, value] = all[repeat % all.length]!;
              all.push([key, repeat % 2 === 0 ? value : 'null']);
            }
            return jsonObject(all);
          });
      }
      default:
        return hostileJson;
    }
  };

  const stringFor = (s: JsonSchema, name?: string): fc.Arbitrary<string> => {
    const pattern = typeof s.pattern === 'string' ? safeRegExp(s.pattern) : undefined;
    const fits = (text: string) =>
      (!pattern || pattern.test(text)) && text.length >= (s.minLength ?? 0) && text.length <= (s.maxLength ?? Infinity);
    const named = name ? pools.named.filter(([match]) => match.test(name)).flatMap(([, values]) => values) : [];
    const known = (named.length > 0 ? named : pattern ? [...pools.ids, ...pools.strings] : pools.strings).filter(fits);
    let made: fc.Arbitrary<string>;
    if (s.format === 'date-time') made = fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((date) => date.toISOString());
    else if (s.format === 'email') made = fc.constantFrom('pub@example.com', 'ops@shop.example');
    else if (pattern) made = fc.stringMatching(pattern).filter(fits);
    else made = fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 40, 40) });
    // One string in ten is hostile: a body of several fields then often carries exactly one, past validation.
    return fc.oneof(
      ...(known.length > 0 ? [{ arbitrary: fc.constantFrom(...known), weight: 8 }] : []),
      { arbitrary: made, weight: known.length > 0 ? 1 : 9 },
      { arbitrary: hostileString, weight: known.length > 0 ? 1 : 2 },
    );
  };

  return node(schema);
}

function safeRegExp(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern);
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The database, read by a connection of the test's own

export interface DatabaseReader {
  /** Every table in a canonical form (PostgreSQL: a digest of its sorted rows), by table name. */
  snapshot(): Promise<Map<string, string>>;
  /** The HTTP status of every postback-log entry, by id. */
  postbackLog(): Promise<Map<string, number>>;
  close(): Promise<void>;
}

export async function openDatabaseReader(databaseUrl: string): Promise<DatabaseReader> {
  if (databaseUrl.startsWith('file:')) {
    const db = new Database(databaseUrl.slice('file:'.length));
    db.pragma('query_only = ON');
    db.pragma('busy_timeout = 5000');
    const all = (sql: string) => db.prepare(sql).all() as Record<string, unknown>[];
    const tables = () =>
      all("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").map((row) => String(row.name));
    return {
      async snapshot() {
        return new Map(tables().map((table) => [table, canonicalRows(all(`SELECT * FROM "${table}"`))]));
      },
      async postbackLog() {
        return new Map(all('SELECT id, http_status FROM postback_log').map((row) => [String(row.id), Number(row.http_status)]));
      },
      async close() {
        db.close();
      },
    };
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  return {
    async snapshot() {
      const tables = (await client.query("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")).rows.map(
        (row: { tablename: string }) => row.tablename,
      );
      // One round trip for all tables: each becomes the digest of its rows as text, in a fixed order.
      const digests = `SELECT ${tables
        .map((table) => `(SELECT coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '') || ':' || count(*) FROM "${table}" t) AS "${table}"`)
        .join(', ')}`;
      const row = (await client.query(digests)).rows[0] as Record<string, string>;
      return new Map(Object.entries(row));
    },
    async postbackLog() {
      const rows = (await client.query('SELECT id, http_status FROM postback_log')).rows as { id: string; http_status: number }[];
      return new Map(rows.map((row) => [row.id, Number(row.http_status)]));
    },
    async close() {
      await client.end();
    },
  };
}

function canonicalRows(rows: Record<string, unknown>[]): string {
  const lines = rows.map((row) => JSON.stringify(row, (_key, value) => (typeof value === 'bigint' ? String(value) : value)));
  return `${lines.sort().join('\n')}:${rows.length}`;
}

/** The tables whose content differs between two snapshots, with their row counts, for a failure message. */
export function changedTables(before: Map<string, string>, after: Map<string, string>, ignore: readonly string[] = []): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  const count = (text: string | undefined) => text?.slice(text.lastIndexOf(':') + 1) ?? 'absent';
  return [...names]
    .filter((name) => !ignore.includes(name) && before.get(name) !== after.get(name))
    .map((name) => `${name} (${count(before.get(name))} -> ${count(after.get(name))} rows)`);
}
