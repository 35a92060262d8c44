// Property-based fuzzing of every public tracking endpoint and every /v1 write (issue #12): random and hostile
// input never earns a 5xx, never takes the server down, is refused with a JSON error that has a code (tracking
// pixels answer a GIF, links a redirect or a plain 404 page), and a refused request leaves the database as it was.
// The seed is fixed; FUZZ_SEED, FUZZ_RUNS and FUZZ_TIME_LIMIT_MS change it (see support/fuzz.ts).
import { createCipheriv, createHash } from 'node:crypto';
import { fc, it } from '@fast-check/vitest';
import {
  CreateBrowserConversionParamsSchema,
  CreateVisitParamsSchema,
  POSTBACK_PARAM_ALIASES,
} from '@waypost/schema';
import { afterAll, afterEach, beforeAll, describe, expect } from 'vitest';
import { z } from 'zod';
import {
  brokenJson,
  changedTables,
  type DatabaseReader,
  encodePairs,
  fuzzParameters,
  fuzzTimeout,
  headerValue,
  hostileJson,
  hostileString,
  jsonFromSchema,
  jsonObject,
  openDatabaseReader,
  type Pools,
  queryString,
  sometimes,
  wireText,
} from './support/fuzz.js';
import { backends, startTestServer, type TestServer } from './support/harness.js';

/** One request as the fuzzer builds it; `expect` says what kind of answer the endpoint owes. */
interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  expect: 'json' | 'gif' | 'link';
}

interface Reply {
  status: number;
  type: string;
  body: Buffer;
  location: string | null;
}

const ALLOWED_ORIGIN = 'https://lander.shop.example';
const LINK_PARAMS = ['pub', 'sub1', 'sub2', 'sub3', 'sub4', 'sub5', 'source', 'gclid', 'gbraid', 'wbraid', 'fbclid', 'ttclid', 'msclkid'];
const CONVERSION_PARAMS = Object.values(POSTBACK_PARAM_ALIASES).flat();
const CLICKBANK_SECRET = 'FUZZSECRET2026';
const PARTNERSTACK_SECRET = 'partnerstack-fuzz-secret';

/** A ClickBank Instant Notification envelope, encrypted the way ClickBank does with the account's secret key. */
function clickbankEnvelope(plaintext: string, iv: Uint8Array): string {
  const key = Buffer.from(createHash('sha1').update(CLICKBANK_SECRET, 'utf8').digest('hex').slice(0, 32), 'ascii');
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  const notification = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return JSON.stringify({ notification: notification.toString('base64'), iv: Buffer.from(iv).toString('base64') });
}

describe.each(backends())('hostile input on %s', (backend) => {
  let server: TestServer;
  let reader: DatabaseReader;
  /** What the server reported as unexpected errors, to show the stack behind a 5xx. */
  const serverErrors: unknown[] = [];

  // The world the fuzzer aims at: real offers, publishers, clicks, codes and keys, so that input gets past the
  // lookups and into the engine and the database.
  const world = {
    offers: [] as { id: string; postbackToken: string; affiliateNetworkId: string | null }[],
    publisherIds: [] as string[],
    clicks: [] as { id: string; offerId: string; token: string; networkId: string | null }[],
    networkIds: [] as string[],
    /** Networks that notify by webhook (`POST /postback/:networkId`), whose secrets the test knows. */
    webhooks: { clickbank: '', partnerstack: '' },
    /** Every id the server gave out, of any kind; never the test's own admin key. */
    ids: [] as string[],
    publisherKey: '',
    /** A campaign's id and alias, and the clicks its visits made (for the lander's click URL). */
    campaigns: [] as string[],
    campaignClicks: [] as string[],
  };
  let pools: Pools;

  const create = async (path: string, json: unknown, key?: string) => {
    const response = await server.json(path, { method: 'POST', json, ...(key ? { key } : {}) });
    expect(response.status, `${path}: ${JSON.stringify(response.body)}`).toBeLessThan(300);
    if (typeof response.body?.id === 'string') world.ids.push(response.body.id);
    return response.body;
  };

  beforeAll(async () => {
    server = await startTestServer(backend, { log: (error) => serverErrors.push(error) });
    reader = await openDatabaseReader(server.databaseUrl);

    const publisher = await create('/v1/publishers', { name: 'Fuzz publisher', email: 'pub@example.com' });
    const paused = await create('/v1/publishers', { name: 'Paused publisher', status: 'paused' });
    world.publisherIds.push(publisher.id, paused.id);
    const base = { url: 'https://shop.example.com/lp?cid={click_id}&s1={sub1}&p={publisher_id}', payout: { model: 'cpa', amount: '12.50' } };
    const main = await create('/v1/offers', { ...base, name: 'Fuzz CPA', directTracking: true, allowedOrigins: [ALLOWED_ORIGIN] });
    world.offers.push(
      main,
      await create('/v1/offers', { ...base, name: 'Fuzz CPS', currency: 'EUR', duplicates: 'rebill', payout: { model: 'cps', percent: '10' }, approval: { defaultStatus: 'pending' }, directTracking: true, allowedOrigins: [ALLOWED_ORIGIN] }),
      await create('/v1/offers', { ...base, name: 'Fuzz auto', payout: { model: 'cpa', mode: 'auto' }, revenue: { mode: 'auto' } }),
      await create('/v1/offers', { ...base, name: 'Fuzz capped', cap: { daily: 1, fallbackOfferId: main.id } }),
      await create('/v1/offers', { ...base, name: 'Fuzz private', visibility: 'private', publisherIds: [publisher.id], payout: { model: 'cpl', amount: '1' } }),
      await create('/v1/offers', { ...base, name: 'Fuzz CPC', payout: { model: 'cpc', amount: '0.05' } }),
      await create('/v1/offers', { ...base, name: 'Fuzz CPM', payout: { model: 'cpm', amount: '2.00' } }),
      await create('/v1/offers', { ...base, name: 'Fuzz JPY', currency: 'JPY', payout: { model: 'cpa', amount: '100' } }),
      await create('/v1/offers', { ...base, name: 'Fuzz repeats', duplicates: 'allow', approval: { defaultStatus: 'approved', browserStatus: 'approved' }, directTracking: true, allowedOrigins: [ALLOWED_ORIGIN] }),
    );
    world.webhooks.clickbank = (await create('/v1/affiliate-networks', { template: 'clickbank', secret: CLICKBANK_SECRET })).id;
    world.webhooks.partnerstack = (await create('/v1/affiliate-networks', { template: 'partnerstack', secret: PARTNERSTACK_SECRET })).id;
    for (const affiliateNetworkId of Object.values(world.webhooks)) {
      world.offers.push(await create('/v1/offers', { ...base, name: `Fuzz webhook ${affiliateNetworkId}`, affiliateNetworkId, payout: { model: 'cps', percent: '20' } }));
    }
    // Several clicks for each offer and publisher: a click converts once, and later reports are duplicates.
    for (const offer of world.offers) {
      for (const pub of [publisher.id, publisher.id, publisher.id, paused.id, '']) {
        const response = await server.request(`/c/${offer.id}?pub=${pub}&sub1=seed`, { key: null });
        const clickId = /waypost_cid=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1];
        if (clickId) world.clicks.push({ id: clickId, offerId: offer.id, token: offer.postbackToken, networkId: offer.affiliateNetworkId });
      }
    }
    expect(world.clicks.length).toBeGreaterThan(10);
    // A campaign with an alias, a lander with two offer slots and its click URL, and a visit that made a campaign click.
    const lander = await create('/v1/landers', { name: 'Fuzz lander', url: 'https://lander.example.com/?go={click_url}&c={click_id}', offers: 2 });
    const flow = { type: 'flow', landers: [{ landerId: lander.id, weight: 100 }], offers: [{ offerId: main.id, weight: 100 }, { offerId: world.offers[1]!.id, weight: 100 }] };
    const campaign = await create('/v1/campaigns', { name: 'Fuzz campaign', alias: 'fuzz-campaign', streams: [{ name: 'all', action: flow }] });
    world.campaigns.push(campaign.id, 'fuzz-campaign');
    const visit = await server.request('/t/fuzz-campaign?sub1=seed', { key: null });
    const campaignClick = /waypost_cid=([^;]+)/.exec(visit.headers.get('set-cookie') ?? '')?.[1];
    expect(campaignClick).toBeTruthy();
    world.campaignClicks.push(campaignClick!);
    world.ids.push(...world.clicks.map((click) => click.id), campaignClick!);
    const sale = await server.json(`/postback?click_id=${world.clicks[0]!.id}&transaction_id=ORDER-1001&amount=49.90&token=${main.postbackToken}`, { key: null });
    expect(sale.status).toBe(200);
    const cps = world.offers[1]!;
    const lead = await server.json(`/postback?click_id=${world.clicks.find((click) => click.offerId === cps.id)!.id}&transaction_id=LEAD-7&amount=20&token=${cps.postbackToken}`, { key: null });
    expect(lead.status).toBe(200);
    world.ids.push(sale.body.conversionId, lead.body.conversionId);

    await create('/v1/promo-codes', { offerId: main.id, publisherId: publisher.id, code: 'SPRING10' });
    await create(`/v1/offers/${main.id}/personal-payouts`, { publisherId: publisher.id, amount: '15.00' });
    const network = await create('/v1/affiliate-networks', { name: 'Fuzz network', clickIdParam: 'aff_sub', macros: { clickId: '{aff_sub}', amount: '{sum}' }, statusMap: { paid: 'approved' } });
    world.networkIds.push(network.id, ...Object.values(world.webhooks));
    const publisherKey = await create('/v1/api-keys', { role: 'publisher', publisherId: publisher.id, name: 'fuzz publisher key' });
    world.publisherKey = publisherKey.key;
    // A spare admin key that a fuzzed DELETE may revoke; the test's own key is never offered as a target.
    await create('/v1/api-keys', { role: 'admin', name: 'spare admin key' });
    await create('/v1/promo-codes/requests', { offerId: main.id, publisherId: publisher.id, platform: 'instagram' }, world.publisherKey);
    const payment = await server.json('/v1/payments', { method: 'POST', json: { publisherId: publisher.id } });
    if (payment.status < 300 && typeof payment.body?.id === 'string') world.ids.push(payment.body.id);

    const offerIds = world.offers.map((offer) => offer.id);
    pools = {
      ids: [...new Set(world.ids)],
      strings: ['SPRING10', 'ORDER-1001', 'USD', 'EUR', '12.50', 'approved', 'pending', 'DE', 'instagram', 'Europe/Berlin', ALLOWED_ORIGIN],
      named: [
        [/offerId/i, offerIds],
        [/publisherId/i, world.publisherIds],
        [/^clickId$/, world.clicks.map((click) => click.id)],
        [/networkId/i, world.networkIds],
        [
          /url$/i,
          ['https://shop.example.com/lp?cid={click_id}&s={sub1}', 'https://shop.example.com/', `${ALLOWED_ORIGIN}/landing?utm_source=fb`, `${ALLOWED_ORIGIN}/`, `${ALLOWED_ORIGIN}/p/é?q=a%20b#top`, 'https://shop.example.com/{sub1}?t={transaction_id}',
            'http://127.0.0.1:9/hook?c={click_id}', 'https://{sub1}.example.com/', 'https://shop.example.com:{sub2}/', 'ftp://shop.example.com/', 'not a url'],
        ],
        [/currency/i, ['USD', 'EUR', 'JPY', 'KWD', 'usd', 'XYZ']],
        [/amount|payout|percent|rate/i, ['12.50', '0.01', '100', '10', '49.90', '0', '12,34', '1,234', '-1', '1e3']],
        [/timezone/i, ['Europe/Berlin', 'UTC', 'Asia/Kolkata', 'Mars/Olympus']],
        [/origin/i, [ALLOWED_ORIGIN, 'https://*.example.com', 'null', 'http://localhost:3000']],
        [/countr/i, ['DE', 'US', 'GB', 'XX', 'de']],
        [/^to$|email/i, ['pub@example.com', 'ops@shop.example']],
        [/code$/i, ['SPRING10', 'spring10', 'NEWCODE', 'ab']],
        [/transactionId/i, ['ORDER-1001', 'LEAD-7', 'T-2']],
        [/allowlist/i, ['203.0.113.0/24', '::1', '10.0.0.0/8', 'not-an-ip']],
        [/^clickId$|^amount$|^payout$|^status$/, ['{aff_sub}', '#s2#', '{{sum}}']],
        [/secret/i, ['0123456789abcdef-secret']],
      ],
    };
  });

  afterAll(async () => {
    await reader?.close();
    await server?.close();
  });

  afterEach(async () => {
    // The server is still up and answering after everything the property threw at it.
    const health = await server.request('/healthz', { key: null });
    expect(health.status).toBe(200);
  });

  // ----------------------------------------------------------------------------------------------------------------
  // Sending and judging

  const send = async (request: FuzzRequest): Promise<Reply> => {
    let response: Response;
    try {
      response = await fetch(`${server.url}${request.path}`, {
        method: request.method,
        headers: request.headers,
        ...(request.body !== undefined ? { body: request.body } : {}),
        redirect: 'manual',
      });
    } catch (error) {
      throw new Error(`${describeRequest(request)}: no answer (${(error as Error).cause ?? error})`);
    }
    return {
      status: response.status,
      type: response.headers.get('content-type') ?? '',
      body: Buffer.from(await response.arrayBuffer()),
      location: response.headers.get('location'),
    };
  };

  const describeRequest = (request: FuzzRequest) => {
    const body = request.body === undefined ? '' : ` body ${JSON.stringify(String(typeof request.body === 'string' ? request.body : Buffer.from(request.body).toString('latin1')).slice(0, 300))}`;
    return `${request.method} ${request.path.slice(0, 400)} ${JSON.stringify(request.headers)}${body}`;
  };

  /** Asserts the answer's shape; returns whether the request was refused. */
  const judge = (request: FuzzRequest, reply: Reply): boolean => {
    const what = `${describeRequest(request)} -> ${reply.status} ${reply.type} ${reply.body.toString('utf8').slice(0, 300)}`;
    if (reply.status >= 500) {
      const error = serverErrors.at(-1) as Error | undefined;
      throw new Error(`${what}\nserver error: ${error?.stack ?? String(error)}`);
    }
    // Node's HTTP parser refuses an oversized request line before the app sees it; that answer has no body.
    if (reply.status === 431) return true;
    const jsonError = () => {
      expect(reply.type, what).toMatch(/^application\/json/);
      // The answer to HEAD has the headers of the JSON error and no body.
      if (request.method === 'HEAD') return expect(reply.body.length, what).toBe(0);
      const body = JSON.parse(reply.body.toString('utf8'));
      expect(body?.error?.code, what).toMatch(/^[a-z][a-z0-9_]*$/);
    };
    // The pixel's path is always routed: whatever its query, it owes a GIF.
    if (request.path.startsWith('/pixel.gif')) expect(reply.type, what).toMatch(/^image\/gif/);
    if (request.expect === 'gif' && reply.type.startsWith('image/gif')) {
      expect(reply.body.subarray(0, 4).toString('latin1'), what).toBe('GIF8');
      expect([200, 404], what).toContain(reply.status);
      return reply.status !== 200;
    }
    if (request.expect === 'link' && reply.status === 302) {
      expect(() => new URL(reply.location ?? ''), what).not.toThrow();
      return false;
    }
    if (request.expect === 'link' && reply.status === 404 && reply.type.startsWith('text/plain')) return true;
    // Otherwise the pixel and link routes were never reached (a path that cannot be decoded, or no offer id at all),
    // and the API's JSON error is the answer.
    if (request.expect !== 'json') expect(reply.status, what).toBeGreaterThanOrEqual(400);
    if (reply.status >= 400) {
      jsonError();
      return true;
    }
    expect(reply.status, what).toBeLessThan(400);
    return false;
  };

  /**
   * The routes whose refusals count toward the sign-in throttle (README, Team accounts): a wrong password must be counted to be
   * throttled, so a refusal there may add rows to `sign_in_attempts`, at most one per throttle scope (the e-mail and the
   * client address); rows older than the window are pruned.
   */
  const THROTTLED = /^\/v1\/(session|session\/password|invites\/accept|password-reset|password-reset\/complete)\/?$/i;
  const THROTTLE_SCOPES = 2;

  /**
   * Sends one request and checks it. A refused request must leave every table as it was, except `ignore`
   * (the postback log, which records refused tracking calls on purpose) and the sign-in throttle's counted attempts.
   */
  const exercise = async (request: FuzzRequest, ignore: string[] = []) => {
    const before = await reader.snapshot();
    const logged = /^\/(pixel\.gif|postback|v1\/conversions\/browser)\b/.test(request.path);
    const logBefore = logged ? await reader.postbackLog() : undefined;
    const reply = await send(request);
    let refused = judge(request, reply);
    // A request line too long for Node, or a path that cannot be decoded, never reaches a route.
    const routed = reply.status !== 431 && !reply.body.toString('utf8').includes('"code":"malformed_url"');
    if (logBefore && routed) {
      const added = [...(await reader.postbackLog())].filter(([id]) => !logBefore.has(id)).map(([, status]) => status);
      // Every postback is logged, whatever was wrong with it (README, Tracking endpoints).
      // Judged on the path as sent: the URL parser turns `\` into `/`, for one.
      const sent = new URL(request.path, 'http://fuzz.test').pathname;
      if (/^\/postback(\/[^/]+)?\/?$/.test(sent)) expect(added.length, `${describeRequest(request)} left no postback-log entry`).toBeGreaterThan(0);
      else if (/^\/(pixel\.gif|v1\/conversions\/browser)\/?$/.test(sent)) {
        expect(added.length, `${describeRequest(request)} left no postback-log entry`).toBeGreaterThan(0);
        // The pixel always answers 200; the postback log says whether it was refused.
        if (sent.startsWith('/pixel.gif')) refused = added.some((status) => status >= 400);
      }
    }
    if (!refused) return;
    const after = await reader.snapshot();
    const throttled = ['POST', 'PUT'].includes(request.method) && THROTTLED.test(new URL(request.path, 'http://fuzz.test').pathname);
    const changed = changedTables(before, after, throttled ? [...ignore, 'sign_in_attempts'] : ignore);
    expect(changed, `${describeRequest(request)} was refused (${reply.status} ${reply.body.toString('utf8').slice(0, 200)}) yet changed the database`).toEqual([]);
    if (throttled) {
      const attempts = (snapshot: Map<string, string>) => Number(snapshot.get('sign_in_attempts')?.split(':').pop() ?? 0);
      expect(attempts(after) - attempts(before), `${describeRequest(request)} counted more attempts than it has throttle scopes`).toBeLessThanOrEqual(THROTTLE_SCOPES);
    }
  };

  // ----------------------------------------------------------------------------------------------------------------
  // Arbitraries, built once the world exists

  const arbitraries = () => {
    if (cached) return cached;
    const offerIds = world.offers.map((offer) => offer.id);
    const clickIds = world.clicks.map((click) => click.id);
    const tokens = world.offers.map((offer) => offer.postbackToken);
    const offerId = fc.oneof(
      { arbitrary: fc.constantFrom(...offerIds), weight: 8 },
      { arbitrary: wireText(hostileString), weight: 2 },
      { arbitrary: fc.constantFrom('off_nothing', '..', '%2e%2e', '%2F', '%', '%zz', '%00', 'a%00b', '%C0%80', 'x'.repeat(300)), weight: 1 },
    );
    const known = fc.constantFrom(...world.publisherIds, ...clickIds, ...offerIds, ...tokens, 'SPRING10', 'ORDER-1001', 'LEAD-7', '49.90', 'approved', 'EUR');
    const value = fc.oneof({ arbitrary: known, weight: 3 }, { arbitrary: hostileString, weight: 4 });
    const nameFrom = (names: readonly string[]) =>
      fc.oneof(
        { arbitrary: fc.constantFrom(...names), weight: 6 },
        { arbitrary: fc.constantFrom(...names).map((name) => name.toUpperCase()), weight: 1 },
        { arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'token', 'a[b]', 'a[]', 'status', 'payout'), weight: 1 },
        { arbitrary: hostileString, weight: 1 },
      );
    const commonHeaders = fc.record(
      {
        'user-agent': fc.oneof(fc.constantFrom('Googlebot/2.1 (+http://www.google.com/bot.html)', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148', 'curl/8.0'), headerValue),
        referer: headerValue,
        cookie: fc.oneof(fc.constantFrom(...clickIds).map((id) => `waypost_cid=${id}`), headerValue.map((text) => `waypost_cid=${text}`), headerValue),
        'cf-ipcountry': fc.oneof(fc.constantFrom('DE', 'US', 'XX', 'T1', 'de'), headerValue),
        'x-forwarded-for': fc.oneof(fc.constantFrom('203.0.113.9', '2001:db8::1', '::ffff:10.0.0.1', 'unknown'), headerValue),
        'x-waypost-token': fc.oneof(fc.constantFrom(...tokens), headerValue),
        origin: fc.oneof(fc.constantFrom(ALLOWED_ORIGIN, 'https://evil.example', 'null'), headerValue),
      },
      { requiredKeys: [] },
    );

    // Links: mostly a real publisher and sub ids, with random and repeated parameters around them.
    const linkPairs = fc
      .tuple(
        fc.oneof({ arbitrary: fc.constantFrom(...world.publisherIds, ''), weight: 3 }, { arbitrary: fc.constant(undefined), weight: 1 }),
        fc.array(fc.tuple(nameFrom(LINK_PARAMS), value), { maxLength: 6 }),
      )
      .map(([pub, pairs]) => [...(pub === undefined ? [] : [['pub', pub] as const]), ...pairs]);
    const offerLink: fc.Arbitrary<FuzzRequest> = fc
      .record({ kind: fc.constantFrom('c', 'i'), offerId, query: encodePairs(linkPairs), headers: commonHeaders })
      .map(({ kind, offerId: id, query, headers }) => ({ method: 'GET', path: `/${kind}/${id}?${query}`, headers, expect: kind === 'c' ? 'link' : 'gif' }));
    // The campaign links (served ahead of Express's router): the campaign link, the lander's click URL with a campaign
    // click, another click or none, and the double-meta hop with a forged token; in any case and any method.
    const oddSegment = fc.oneof(wireText(hostileString), fc.constantFrom('..', '%2e%2e', '%2F', '%', '%zz', '%00', '%C0%80', 'x'.repeat(300)));
    const campaignLink: fc.Arbitrary<FuzzRequest> = fc
      .record({
        path: fc.oneof(
          fc.record({ ref: fc.oneof({ arbitrary: fc.constantFrom(...world.campaigns), weight: 6 }, { arbitrary: oddSegment, weight: 2 }) }).map(({ ref }) => `/t/${ref}`),
          fc.record({ slot: fc.oneof(fc.constantFrom('1', '2', '3', '10', '0', '11', '01'), oddSegment) }).map(({ slot }) => `/click/${slot}`),
          oddSegment.map((token) => `/r/${token}`),
        ),
        casing: fc.boolean(),
        method: fc.constantFrom('GET', 'GET', 'GET', 'HEAD', 'POST'),
        query: encodePairs(
          fc
            .tuple(linkPairs, sometimes(fc.oneof(fc.constantFrom(...world.campaignClicks, ...clickIds), hostileString), 2))
            .map(([pairs, cid]) => (cid === undefined ? pairs : [...pairs, ['cid', cid] as const])),
        ),
        headers: commonHeaders,
      })
      .map(({ path, casing, method, query, headers }) => ({
        method,
        path: `${casing ? path.replace(/^\/[a-z]+/, (prefix) => prefix.toUpperCase()) : path}?${query}`,
        headers,
        expect: method === 'POST' ? 'json' : 'link',
      }));
    const link = fc.oneof({ arbitrary: offerLink, weight: 2 }, { arbitrary: campaignLink, weight: 1 });

    // Conversions: a real click with its offer's token (or without one), plausible values with hostile ones mixed
    // in, and random parameters; or entirely random parameters.
    const plausible: Record<string, fc.Arbitrary<string>> = {
      amount: fc.oneof(fc.constantFrom('49.90', '10', '0.01', '12,34', '100000', '{amount}'), fc.nat(1_000_000).map((cents) => (cents / 100).toFixed(2))),
      status: fc.constantFrom('approved', 'sale', 'lead', 'pending', 'rejected', 'refund', 'rebill', '1', '0', '-1', 'Approved', 'paid'),
      transaction_id: fc.oneof(fc.constantFrom('ORDER-1001', 'LEAD-7'), fc.nat().map((n) => `T-${n}`)),
      currency: fc.constantFrom('USD', 'EUR', 'JPY', 'KWD'),
      payout: fc.constantFrom('5.00', '99999.99', '0'),
      event: fc.constantFrom('signup', 'purchase'),
      country: fc.constantFrom('DE', 'US'),
      offer_id: fc.constantFrom(...offerIds),
      coupon: fc.constantFrom('SPRING10', 'spring10'),
    };
    const plausiblePair = fc
      .constantFrom(...Object.keys(plausible))
      .chain((name) => fc.tuple(fc.constant(name), fc.oneof({ arbitrary: plausible[name]!, weight: 4 }, { arbitrary: hostileString, weight: 1 })));
    /** `tokenShare` of the reports built around a real click carry its offer's token. */
    const conversionPairs = (tokenShare: number) =>
      fc.oneof(
        {
          arbitrary: fc
            .record({
              click: fc.constantFrom(...world.clicks),
              clickName: fc.constantFrom('click_id', 'subid', 'cid', 'clickid', 'CLICK_ID'),
              token: fc.double({ min: 0, max: 1, noNaN: true }).map((draw) => draw < tokenShare),
              pairs: fc.uniqueArray(plausiblePair, { selector: ([name]) => name, maxLength: 5 }),
              noise: sometimes(fc.tuple(nameFrom(CONVERSION_PARAMS), value), 3),
            })
            .map(({ click, clickName, token, pairs, noise }) => [[clickName, click.id] as const, ...(token ? [['token', click.token] as const] : []), ...pairs, ...(noise ? [noise] : [])]),
          weight: 3,
        },
        { arbitrary: fc.array(fc.tuple(nameFrom(CONVERSION_PARAMS), value), { maxLength: 8 }), weight: 2 },
      );

    const pixel: fc.Arbitrary<FuzzRequest> = fc
      .record({ query: encodePairs(conversionPairs(0.25)), headers: commonHeaders })
      .map(({ query, headers }) => ({ method: 'GET', path: `/pixel.gif?${query}`, headers, expect: 'gif' }));

    // A postback body as JSON: plain, numeric, nested and hostile values.
    const numberValue = (text: string) => fc.constant(/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(text) ? text : JSON.stringify(text));
    const conversionJson = conversionPairs(0.8).chain((pairs) =>
      fc
        .tuple(...pairs.map(([name, text]) => fc.oneof({ arbitrary: fc.constant(JSON.stringify(text)), weight: 6 }, { arbitrary: numberValue(text), weight: 1 }, { arbitrary: hostileJson, weight: 1 }).map((json) => [name, json] as const)))
        .map((entries) => jsonObject(entries)),
    );
    const postbackBody = fc.oneof(
      { arbitrary: encodePairs(conversionPairs(0.8)).map((body) => ({ type: 'application/x-www-form-urlencoded', body })), weight: 5 },
      { arbitrary: conversionJson.map((body) => ({ type: 'application/json', body })), weight: 5 },
      { arbitrary: fc.oneof(hostileJson, brokenJson).map((body) => ({ type: 'application/json', body })), weight: 1 },
      { arbitrary: fc.tuple(fc.constantFrom('text/plain', 'multipart/form-data; boundary=x', 'application/xml', 'application/json; charset=utf-16', 'application/json; charset=bogus', 'application/x-www-form-urlencoded; charset=latin1', '*/*', ''), encodePairs(conversionPairs(0.8))).map(([type, body]) => ({ type, body })), weight: 1 },
      // More fields than the form parser allows, and more bytes than the body limit.
      { arbitrary: fc.integer({ min: 1_001, max: 3_000 }).map((count) => ({ type: 'application/x-www-form-urlencoded', body: `token=${tokens[0]}&${Array.from({ length: count }, (_, i) => `f${i}=1`).join('&')}` })), weight: 1 },
      { arbitrary: fc.constantFrom('a', '%00').map((piece) => ({ type: 'application/x-www-form-urlencoded', body: `click_id=${piece.repeat(20_000)}` })), weight: 1 },
    );
    // A compressed body that is not what its Content-Encoding says, or an encoding nobody supports.
    const encoding = sometimes(fc.record({ name: fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'compress', 'x-bogus', 'gzip, gzip'), bytes: fc.uint8Array({ maxLength: 64 }) }), 10);
    const postback: fc.Arbitrary<FuzzRequest> = fc
      .record({ post: fc.boolean(), query: encodePairs(conversionPairs(0.8)), postQuery: sometimes(queryString(nameFrom(CONVERSION_PARAMS), value, 2), 4), body: postbackBody, encoding, headers: commonHeaders })
      .map(({ post, query: getQuery, postQuery: query, body, encoding: coded, headers }) => {
        if (!post) return { method: 'GET', path: `/postback?${getQuery}`, headers, expect: 'json' } as FuzzRequest;
        const all: Record<string, string> = { ...headers, ...(body.type ? { 'content-type': body.type } : {}) };
        if (!coded) return { method: 'POST', path: `/postback${query === undefined ? '' : `?${query}`}`, headers: all, body: body.body, expect: 'json' } as FuzzRequest;
        all['content-encoding'] = coded.name;
        return { method: 'POST', path: '/postback', headers: all, body: coded.bytes, expect: 'json' } as FuzzRequest;
      });

    const browserBody = (schema: z.ZodType) =>
      fc.oneof(
        { arbitrary: jsonFromSchema(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>, pools), weight: 8 },
        { arbitrary: hostileJson, weight: 1 },
        { arbitrary: brokenJson, weight: 1 },
      );
    const browserType = fc.oneof(
      { arbitrary: fc.constantFrom('text/plain', 'text/plain;charset=UTF-8', 'application/json'), weight: 6 },
      { arbitrary: fc.constantFrom('application/x-www-form-urlencoded', 'application/octet-stream', 'text/plain; charset=utf-16', ''), weight: 1 },
    );
    const browser = (path: string, schema: z.ZodType): fc.Arbitrary<FuzzRequest> =>
      fc
        .record({ body: browserBody(schema), type: browserType, origin: fc.oneof({ arbitrary: fc.constant(ALLOWED_ORIGIN), weight: 4 }, { arbitrary: sometimes(headerValue, 2), weight: 1 }), headers: commonHeaders })
        .map(({ body, type, origin, headers }) => {
          const all: Record<string, string> = { ...headers };
          delete all.origin;
          if (origin !== undefined) all.origin = origin;
          if (type) all['content-type'] = type;
          return { method: 'POST', path, headers: all, body, expect: 'json' };
        });
    const browserCalls = fc.oneof(browser('/v1/visits', CreateVisitParamsSchema), browser('/v1/conversions/browser', CreateBrowserConversionParamsSchema));

    // Webhook notifications: ClickBank's encrypted with the network's real secret and PartnerStack's with its token, so
    // that hostile transactions get past the decryption or the token; or broken envelopes, wrong tokens, any bytes.
    const field = (plausibleJson: fc.Arbitrary<string>) => fc.oneof({ arbitrary: plausibleJson, weight: 6 }, { arbitrary: hostileJson, weight: 1 });
    const quoted = (...values: string[]) => fc.constantFrom(...values.map((text) => JSON.stringify(text)));
    const clicksOf = (networkId: string) => world.clicks.filter((click) => click.networkId === networkId).map((click) => click.id);
    const money = fc.oneof(fc.nat(100_000).map(String), fc.constantFrom('49.90', '"49.90"', '"12,34"', '-1', '1e400', '0.001', '"{amount}"'));
    const clickbankOrder = fc
      .record(
        {
          transactionType: field(quoted('SALE', 'BILL', 'RFND', 'CGBK', 'INSF', 'TEST_SALE', 'CANCEL-REBILL', 'sale')),
          receipt: field(fc.oneof(quoted('RCPT-1', 'RCPT-2'), fc.nat().map((n) => JSON.stringify(`R${n}`)))),
          role: field(quoted('AFFILIATE', 'VENDOR')),
          currency: field(quoted('USD', 'EUR', 'JPY', 'usd', 'XYZ')),
          totalOrderAmount: field(money),
          totalAccountAmount: field(money),
          trackingCodes: field(fc.array(fc.oneof(fc.constantFrom(...clicksOf(world.webhooks.clickbank)).map((id) => JSON.stringify(id.toUpperCase())), quoted(...clicksOf(world.webhooks.clickbank)), hostileString.map((text) => JSON.stringify(text))), { maxLength: 3 }).map((items) => `[${items.join(',')}]`)),
        },
        { requiredKeys: ['transactionType', 'receipt', 'trackingCodes'] },
      )
      .map((order) => jsonObject(Object.entries(order)));
    const clickbankBody = fc.oneof(
      { arbitrary: fc.tuple(fc.oneof({ arbitrary: clickbankOrder, weight: 8 }, { arbitrary: fc.oneof(hostileJson, brokenJson), weight: 1 }), fc.uint8Array({ minLength: 16, maxLength: 16 })).map(([plaintext, iv]) => clickbankEnvelope(plaintext, iv)), weight: 8 },
      { arbitrary: fc.record({ notification: fc.oneof(hostileString, fc.constantFrom('AAAA', 'AAAAAAAAAAAAAAAAAAAAAA==', '====', 'not base64')), iv: fc.oneof(hostileString, fc.constantFrom('AAAAAAAAAAAAAAAAAAAAAA==', 'AA==')) }).map((envelope) => JSON.stringify(envelope)), weight: 1 },
      { arbitrary: fc.oneof(hostileJson, brokenJson), weight: 1 },
    );
    const partnerstackBody = fc
      .record(
        {
          event: field(quoted('reward_created', 'reward_updated', 'test', 'action_created', 'reward_')),
          data: field(
            fc
              .record(
                {
                  key: field(fc.oneof(quoted('rew_1', 'rew_2'), fc.nat().map((n) => JSON.stringify(`rew_${n}`)))),
                  amount: field(money),
                  reward_status: field(quoted('hold', 'pending', 'approved', 'paid', 'declined', 'Approved', 'weird')),
                  ps_xid: field(quoted(...clicksOf(world.webhooks.partnerstack))),
                  nested: hostileJson,
                },
                { requiredKeys: ['key', 'ps_xid'] },
              )
              .map((data) => jsonObject(Object.entries(data))),
          ),
        },
        { requiredKeys: ['event', 'data'] },
      )
      .map((body) => jsonObject(Object.entries(body)));
    const token = fc.oneof({ arbitrary: fc.constant(`?token=${PARTNERSTACK_SECRET}`), weight: 6 }, { arbitrary: fc.constantFrom('', '?token=', `?token=${PARTNERSTACK_SECRET}x`, `?token=${PARTNERSTACK_SECRET}&token=${PARTNERSTACK_SECRET}`), weight: 1 }, { arbitrary: wireText(hostileString).map((text) => `?token=${text}`), weight: 1 });
    const anyNetwork = fc.oneof(fc.constantFrom(...world.networkIds, 'net_nothing'), wireText(hostileString), fc.constantFrom('%', '%zz', '%00', 'x'.repeat(100)));
    const webhookTarget = fc.oneof(
      { arbitrary: clickbankBody.map((body) => ({ path: `/postback/${world.webhooks.clickbank}`, body })), weight: 4 },
      { arbitrary: fc.tuple(token, fc.oneof({ arbitrary: partnerstackBody, weight: 8 }, { arbitrary: fc.oneof(hostileJson, brokenJson), weight: 1 })).map(([query, body]) => ({ path: `/postback/${world.webhooks.partnerstack}${query}`, body })), weight: 4 },
      { arbitrary: fc.tuple(anyNetwork, fc.oneof(clickbankBody, partnerstackBody, hostileJson, brokenJson)).map(([id, body]) => ({ path: `/postback/${id}`, body })), weight: 2 },
    );
    const webhook: fc.Arbitrary<FuzzRequest> = fc
      .record({
        target: webhookTarget,
        type: fc.oneof({ arbitrary: fc.constant('application/json'), weight: 8 }, { arbitrary: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', ''), weight: 1 }),
        encoding,
        headers: commonHeaders,
      })
      .map(({ target, type, encoding: coded, headers }) => {
        const all: Record<string, string> = { ...headers, ...(type ? { 'content-type': type } : {}) };
        if (!coded) return { method: 'POST', path: target.path, headers: all, body: target.body, expect: 'json' };
        all['content-encoding'] = coded.name;
        return { method: 'POST', path: target.path, headers: all, body: coded.bytes, expect: 'json' };
      });

    cached = { link, pixel, postback, browserCalls, webhook };
    return cached;
  };
  let cached: Record<'link' | 'pixel' | 'postback' | 'browserCalls' | 'webhook', fc.Arbitrary<FuzzRequest>> | undefined;

  /** Every /v1 write the server documents, read from its own /openapi.json, so that a new endpoint is fuzzed too. */
  const writeRequests = async (): Promise<fc.Arbitrary<FuzzRequest>> => {
    const document = (await server.json('/openapi.json', { key: null })).body as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Record<string, unknown> }> } }>> };
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([method]) => ['post', 'put', 'patch', 'delete'].includes(method) && path.startsWith('/v1/'))
        .map(([method, operation]) => ({ method: method.toUpperCase(), path, schema: operation.requestBody?.content['application/json']?.schema })),
    );
    expect(operations.length).toBeGreaterThan(15);
    const segment = fc.oneof(
      { arbitrary: fc.constantFrom(...pools.ids), weight: 6 },
      { arbitrary: wireText(hostileString), weight: 2 },
      { arbitrary: fc.constantFrom('%', '%zz', '%00', '..', 'x'.repeat(100), 'off_nothing'), weight: 1 },
    );
    const auth = fc.oneof(
      { arbitrary: fc.constant(`Bearer ${server.adminKey}`), weight: 12 },
      { arbitrary: fc.constant(`Bearer ${world.publisherKey}`), weight: 2 },
      { arbitrary: fc.constantFrom('', 'Bearer', 'Basic YWRtaW46YWRtaW4=', `Bearer ${server.adminKey}x`, `bearer  ${server.adminKey} `), weight: 1 },
      { arbitrary: headerValue.map((text) => `Bearer wp_sk_${text}`), weight: 1 },
    );
    const contentType = fc.oneof(
      { arbitrary: fc.constant('application/json'), weight: 12 },
      { arbitrary: fc.constantFrom('application/json; charset=utf-8', 'application/merge-patch+json', 'application/json; charset=latin1', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', ''), weight: 2 },
    );
    return fc.oneof(
      ...operations.map(({ method, path, schema }) =>
        fc
          .record({
            segments: fc.array(segment, { minLength: 4, maxLength: 4 }),
            body: schema
              ? fc.oneof({ arbitrary: jsonFromSchema(schema, pools), weight: 10 }, { arbitrary: hostileJson, weight: 1 }, { arbitrary: brokenJson, weight: 1 })
              : sometimes(fc.oneof(hostileJson, brokenJson), 4),
            query: sometimes(queryString(hostileString, hostileString, 4), 6),
            auth,
            type: contentType,
            idempotencyKey: sometimes(fc.oneof(headerValue, fc.constant('k'.repeat(300))), 4),
          })
          .map(({ segments, body, query, auth: authorization, type, idempotencyKey }): FuzzRequest => {
            let index = 0;
            const filled = path.replace(/\{\w+\}/g, () => segments[index++]!);
            const headers: Record<string, string> = {};
            if (authorization) headers.authorization = authorization;
            if (body !== undefined && type) headers['content-type'] = type;
            if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
            return { method, path: `${filled}${query !== undefined ? `?${query}` : ''}`, headers, ...(body !== undefined ? { body } : {}), expect: 'json' };
          }),
      ),
    );
  };
  let writes: fc.Arbitrary<FuzzRequest> | undefined;

  // ----------------------------------------------------------------------------------------------------------------
  // The properties

  it.prop([fc.gen()], fuzzParameters())(
    'answers any tracking link or impression with a redirect, a 404 page or a GIF, and books nothing it refuses',
    async (g) => {
      await exercise(g(() => arbitraries().link));
    },
    fuzzTimeout(),
  );

  it.prop([fc.gen()], fuzzParameters())(
    'answers any pixel with a GIF, and a refused pixel changes nothing but the postback log',
    async (g) => {
      await exercise(g(() => arbitraries().pixel), ['postback_log']);
    },
    fuzzTimeout(),
  );

  it.prop([fc.gen()], fuzzParameters(1.5))(
    'refuses a hostile postback, as a query, a form or JSON, with a JSON error and no change but the postback log',
    async (g) => {
      await exercise(g(() => arbitraries().postback), ['postback_log']);
    },
    fuzzTimeout(1.5),
  );

  it.prop([fc.gen()], fuzzParameters())(
    'refuses a hostile webhook notification, encrypted or tokened as its network does it or not, with a JSON error and no change but the postback log',
    async (g) => {
      await exercise(g(() => arbitraries().webhook), ['postback_log']);
    },
    fuzzTimeout(),
  );

  it.prop([fc.gen()], fuzzParameters())(
    'refuses hostile visits and browser conversions with a JSON error and no change but the postback log',
    async (g) => {
      await exercise(g(() => arbitraries().browserCalls), ['postback_log']);
    },
    fuzzTimeout(),
  );

  it('strips NUL from what a webhook notification carries, as from any postback (a fuzz finding)', async () => {
    const offer = world.offers.find((candidate) => candidate.affiliateNetworkId === world.webhooks.clickbank)!;
    const notify = async (receipt: string) => {
      const link = await server.request(`/c/${offer.id}?pub=${world.publisherIds[0]}`, { key: null });
      const clickId = /waypost_cid=([^;]+)/.exec(link.headers.get('set-cookie') ?? '')![1]!;
      const order = JSON.stringify({ transactionType: 'SALE', receipt, totalOrderAmount: 10, currency: 'USD', trackingCodes: [clickId] });
      return server.json(`/postback/${world.webhooks.clickbank}`, { method: 'POST', key: null, headers: { 'content-type': 'application/json' }, body: clickbankEnvelope(order, new Uint8Array(16)) });
    };
    const sale = await notify('R-\u00001');
    expect(sale.body).toMatchObject({ status: 'accepted' });
    expect((await server.json(`/v1/conversions/${sale.body.conversionId}`)).body.transactionId).toBe('R-1');
    expect((await notify('\u0000')).status).toBeLessThan(500);
  });

  // Last: accepted writes change the world the other properties aim at (offers paused, keys revoked).
  it.prop([fc.gen()], fuzzParameters(2))(
    'refuses a hostile write to any /v1 endpoint with a JSON error and leaves the database as it was',
    async (g) => {
      writes ??= await writeRequests();
      const arbitrary = writes;
      await exercise(g(() => arbitrary));
    },
    fuzzTimeout(2),
  );
});

