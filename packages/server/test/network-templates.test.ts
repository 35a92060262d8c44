import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startTestServer, type TestServer } from './support/harness.js';

// Built-in templates (README, Affiliate networks): each network's postbacks fired the way its documentation shows (see
// the source of each template in src/domain/network-templates.ts), at a real server, from the offer's own postback URL.

/** The click id of the conversion, as the network echoes it back. */
const CLICK = '<click>';

interface Fire {
  /** What the network fills in for each macro of the offer's postback URL; every macro there must be filled. */
  fill?: Record<string, string>;
  /** Parameters the network adds to the URL under fixed names of its own. */
  append?: string;
  /** How the network sends: a GET query, or the same parameters as a form or JSON body. @default the template's method */
  method?: 'GET' | 'form' | 'json';
}
interface Expected {
  status: 'approved' | 'pending' | 'rejected';
  amount: string | null;
  payout: string;
  currency: string;
  event?: string | null;
}
interface Case {
  key: string;
  /** Tells apart two ways one network can post. */
  way?: string;
  /** The offer's currency. */
  currency: string;
  first: Fire & { expect: Expected };
  /** Later postbacks for the same conversion (a status change, a reversal or a refund): `fill` is merged over the first one's. */
  later?: (Fire & { status: Expected['status'] })[];
}

// Offers pay 1.00 in auto mode: a network's reported payout replaces it, and a network without one earns the 1.00.
const CASES: Case[] = [
  {
    key: 'adcombo',
    currency: 'USD',
    first: { fill: { '{clickid}': CLICK, '{revenue}': '12.5', '{trans_id}': 'ac-1001' }, append: 'status=pending', expect: { status: 'pending', amount: null, payout: '12.50', currency: 'USD' } },
    later: [
      { append: 'status=approved', status: 'approved' },
      { append: 'status=rejected', status: 'rejected' },
    ],
  },
  {
    key: 'admitad',
    currency: 'EUR',
    first: {
      fill: { '[[[subid]]]': CLICK, '[[[order_sum]]]': '200.00', '[[[payment_sum]]]': '14.00', '[[[order_id]]]': 'A-77', '[[[currency]]]': 'EUR' },
      append: 'status=pending',
      expect: { status: 'pending', amount: '200.00', payout: '14.00', currency: 'EUR' },
    },
    later: [{ append: 'status=rejected', status: 'rejected' }],
  },
  {
    key: 'affise',
    currency: 'EUR',
    first: {
      fill: { '{sub1}': CLICK, '{order_sum}': '80.00', '{sum}': '8.00', '{transactionid}': 'af-1', '{status}': '5', '{currency}': 'EUR', '{goal}': '1', '{promo_code}': '' },
      expect: { status: 'pending', amount: '80.00', payout: '8.00', currency: 'EUR', event: '1' },
    },
    later: [
      { fill: { '{status}': '1' }, status: 'approved' },
      { fill: { '{status}': '3' }, status: 'rejected' },
    ],
  },
  { key: 'alfaleads', currency: 'USD', first: { fill: { '{sub1}': CLICK }, expect: { status: 'approved', amount: null, payout: '1.00', currency: 'USD' } } },
  {
    key: 'awin',
    currency: 'GBP',
    first: {
      fill: { '!!!clickRef!!!': CLICK, '!!!transactionAmount!!!': '59.99', '!!!commission!!!': '4.80', '!!!transactionId!!!': '38193021', '!!!transactionCurrency!!!': 'GBP' },
      expect: { status: 'approved', amount: '59.99', payout: '4.80', currency: 'GBP' },
    },
  },
  {
    key: 'binom',
    way: 'as a traffic source',
    currency: 'USD',
    first: { fill: { '{externalid}': CLICK, '{payout}': '3.10', '{cnv_status}': 'approve' }, expect: { status: 'approved', amount: null, payout: '3.10', currency: 'USD' } },
    later: [{ fill: { '{cnv_status}': 'reject' }, status: 'rejected' }],
  },
  {
    key: 'binom',
    way: "in Binom's own postback format",
    currency: 'USD',
    first: { append: `cnv_id=${CLICK}&payout=2,75&cnv_status=hold&cnv_currency=usd`, expect: { status: 'pending', amount: null, payout: '2.75', currency: 'USD' } },
    later: [{ append: `cnv_id=${CLICK}&cnv_status=approve`, status: 'approved' }],
  },
  { key: 'cake', currency: 'USD', first: { fill: { '#s2#': CLICK, '#price#': '22.00', '#leadid#': '98765' }, expect: { status: 'approved', amount: null, payout: '22.00', currency: 'USD' } } },
  {
    key: 'clickflare',
    way: 'as a traffic source',
    currency: 'USD',
    first: { fill: { '{externalid}': CLICK, '{payout}': '5.5', '{transaction.id}': 'cf-1' }, expect: { status: 'approved', amount: null, payout: '5.50', currency: 'USD' } },
  },
  {
    key: 'clickflare',
    way: "in ClickFlare's own postback format",
    currency: 'USD',
    first: { append: `click_id=${CLICK}&payout=6&txid=cf-2&ct=upsell`, expect: { status: 'approved', amount: null, payout: '6.00', currency: 'USD', event: 'upsell' } },
  },
  {
    key: 'digistore24',
    currency: 'EUR',
    first: {
      fill: { '{cid}': CLICK, '{amount_netto}': '97.00', '{amount_affiliate}': '48.50', '{currency}': 'EUR', '{transaction_type}': 'payment' },
      expect: { status: 'approved', amount: '97.00', payout: '48.50', currency: 'EUR' },
    },
    later: [{ fill: { '{transaction_type}': 'refund' }, status: 'rejected' }],
  },
  {
    key: 'everflow',
    currency: 'USD',
    first: { fill: { '{sub1}': CLICK, '{sale_amount}': '120.00', '{payout}': '12.00', '{event_name}': '' }, expect: { status: 'approved', amount: '120.00', payout: '12.00', currency: 'USD', event: null } },
  },
  {
    key: 'impact',
    currency: 'USD',
    first: {
      fill: { '{SubId1}': CLICK, '{Amount}': '150.00', '{Payout}': '15.00', '{ActionId}': '1000.2000.3000', '{Status}': 'PENDING', '{Currency}': 'USD' },
      expect: { status: 'pending', amount: '150.00', payout: '15.00', currency: 'USD' },
    },
    later: [
      { fill: { '{Status}': 'APPROVED' }, status: 'approved' },
      { fill: { '{Status}': 'REVERSED' }, status: 'rejected' },
    ],
  },
  {
    key: 'impact',
    way: 'as a JSON POST',
    currency: 'USD',
    first: {
      method: 'json',
      fill: { '{SubId1}': CLICK, '{Amount}': '30.00', '{Payout}': '3.00', '{ActionId}': '1000.2000.4000', '{Status}': 'APPROVED', '{Currency}': 'USD' },
      expect: { status: 'approved', amount: '30.00', payout: '3.00', currency: 'USD' },
    },
    later: [{ method: 'json', fill: { '{Status}': 'REVERSED' }, status: 'rejected' }],
  },
  {
    key: 'keitaro',
    currency: 'USD',
    first: { fill: { '{external_id}': CLICK, '{revenue}': '9.99', '{tid}': 'k-1', '{status}': 'lead' }, expect: { status: 'pending', amount: null, payout: '9.99', currency: 'USD' } },
    later: [
      { fill: { '{status}': 'sale' }, status: 'approved' },
      { fill: { '{status}': 'rejected' }, status: 'rejected' },
    ],
  },
  { key: 'maxbounty', currency: 'USD', first: { fill: { '#S1#': CLICK, '#RATE#': '35.00', '#LEADID#': '555123' }, expect: { status: 'approved', amount: null, payout: '35.00', currency: 'USD' } } },
  { key: 'rakuten', currency: 'USD', first: { append: `u1=${CLICK}&amount=64.90`, expect: { status: 'approved', amount: '64.90', payout: '1.00', currency: 'USD' } } },
  {
    key: 'redtrack',
    currency: 'EUR',
    first: { append: `clickid=${CLICK}&sum=4.40&status=Pending&type=Deposit&currency=EUR`, expect: { status: 'pending', amount: null, payout: '4.40', currency: 'EUR', event: 'Deposit' } },
    later: [
      { append: `clickid=${CLICK}&sum=4.40&status=Approved&type=Deposit&currency=EUR`, status: 'approved' },
      { append: `clickid=${CLICK}&status=Declined&type=Deposit`, status: 'rejected' },
    ],
  },
  {
    key: 'shareasale',
    currency: 'USD',
    first: {
      fill: { '!!afftrack!!': CLICK, '!!amountOfSale!!': '75.00', '!!commission!!': '7.50', '!!transID!!': '123456', '!!transtype!!': 'sale' },
      expect: { status: 'approved', amount: '75.00', payout: '7.50', currency: 'USD', event: 'sale' },
    },
  },
  {
    key: 'shareasale',
    way: 'as a form POST',
    currency: 'USD',
    first: {
      method: 'form',
      fill: { '!!afftrack!!': CLICK, '!!amountOfSale!!': '20.00', '!!commission!!': '2.00', '!!transID!!': '123457', '!!transtype!!': 'lead' },
      expect: { status: 'approved', amount: '20.00', payout: '2.00', currency: 'USD', event: 'lead' },
    },
  },
  { key: 'tune', currency: 'USD', first: { fill: { '{aff_sub}': CLICK, '{sale_amount}': '49.00', '{payout}': '4.90', '{goal_id}': '' }, expect: { status: 'approved', amount: '49.00', payout: '4.90', currency: 'USD' } } },
  { key: 'voluum', way: 'as a traffic source', currency: 'USD', first: { fill: { '{externalid}': CLICK, '{payout}': '2.20' }, expect: { status: 'approved', amount: null, payout: '2.20', currency: 'USD' } } },
  {
    key: 'voluum',
    way: "in Voluum's own postback format",
    currency: 'USD',
    first: { append: `cid=${CLICK}&payout=1.80&txid=v-1&currency=USD&et=signup`, expect: { status: 'approved', amount: null, payout: '1.80', currency: 'USD', event: 'signup' } },
  },
];

/** Templates of networks that notify by webhook, fired in webhook-networks.test.ts (POST /postback/:networkId). */
const WEBHOOK_TEMPLATES = ['clickbank', 'partnerstack'];

/** The query of a postback URL as name/value pairs, read by hand: a macro such as `#s2#` is not a URL fragment here. */
function queryPairs(url: string): [string, string][] {
  const query = url.slice(url.indexOf('?') + 1);
  return query === '' ? [] : query.split('&').map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]);
}

describe.each(backends())('built-in network templates on %s', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());

  it('lists the templates sorted by name, each written from a source and creatable as it is', async () => {
    const list = await server.json('/v1/affiliate-networks/templates');
    expect(list.status).toBe(200);
    const templates = list.body.data as { key: string; name: string; method: string; source: string; macros: Record<string, string>; notes: string; format?: string }[];
    expect(templates.length).toBeGreaterThanOrEqual(20);
    const names = templates.map((template) => template.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    for (const name of ['Everflow', 'TUNE (HasOffers)', 'CAKE', 'Affise', 'Impact', 'Awin', 'Admitad', 'MaxBounty', 'ClickBank', 'Digistore24', 'ShareASale', 'Rakuten Advertising', 'PartnerStack', 'AdCombo', 'Alfaleads', 'Keitaro', 'Binom', 'Voluum', 'RedTrack']) {
      expect(names).toContain(name);
    }
    for (const template of templates) {
      expect(template.source, template.key).toMatch(/^https?:\/\//);
      expect(template.notes.length, template.key).toBeGreaterThan(0);
      // Every template is fired below, or belongs to webhook support.
      expect(CASES.some((row) => row.key === template.key) || WEBHOOK_TEMPLATES.includes(template.key), template.key).toBe(true);
      // A webhook template names its notification format (one module of the server each), and only those do.
      expect([template.key, template.format]).toEqual([template.key, WEBHOOK_TEMPLATES.includes(template.key) ? template.key : undefined]);
      const created = await server.json('/v1/affiliate-networks', { method: 'POST', json: { template: template.key } });
      expect([template.key, created.status]).toEqual([template.key, 201]);
      expect(created.body).toMatchObject({ name: template.name, macros: template.macros });
    }
  });

  it('creates a network from a template with the fields given beside it replacing the template\'s whole', async () => {
    const created = await server.json('/v1/affiliate-networks', { method: 'POST', json: { template: 'affise', name: 'Affise (sub2)', clickIdParam: 'sub2', macros: { clickId: '{sub2}' } } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Affise (sub2)', clickIdParam: 'sub2', macros: { clickId: '{sub2}' }, statusMap: { '1': 'approved', '3': 'rejected' } });
    expect(created.body.macros).not.toHaveProperty('payout');

    const unknown = await server.json('/v1/affiliate-networks', { method: 'POST', json: { template: 'no-such-network' } });
    expect([unknown.status, unknown.body.error.code, unknown.body.error.issues[0].path]).toEqual([422, 'unknown_template', 'template']);
    const incomplete = await server.json('/v1/affiliate-networks', { method: 'POST', json: { name: 'No template' } });
    expect(incomplete.status).toBe(422);
    expect(incomplete.body.error.issues.map((issue: { path: string }) => issue.path)).toEqual(expect.arrayContaining(['clickIdParam', 'macros']));
  });

  describe.each(CASES.map((row) => [`${row.key}${row.way ? ` ${row.way}` : ''}`, row] as const))('%s', (_label, row) => {
    it('records the conversion from postbacks sent the way the network documents them, and its later changes', async () => {
      const network = (await server.json('/v1/affiliate-networks', { method: 'POST', json: { template: row.key } })).body;
      const template = ((await server.json('/v1/affiliate-networks/templates')).body.data as { key: string; method: Fire['method'] }[]).find((t) => t.key === row.key)!;
      const offer = (
        await server.json('/v1/offers', {
          method: 'POST',
          json: { name: `${row.key} ${row.way ?? ''} offer`, url: 'https://offer.example.com/', currency: row.currency, affiliateNetworkId: network.id, payout: { model: 'cpa', mode: 'auto', amount: '1.00' } },
        })
      ).body;
      const click = await server.request(`/c/${offer.id}`, { key: null });
      const clickId = /waypost_cid=([^;]+)/.exec(click.headers.get('set-cookie') ?? '')![1]!;
      const postbackUrl = (await server.json(`/v1/offers/${offer.id}/links`)).body.postbackUrl as string;

      const fire = async ({ fill, append, method = template.method }: Fire) => {
        // A network that posts to fixed names of its own calls the URL with the token only.
        const asked = fill === undefined ? queryPairs(postbackUrl).filter(([name]) => name === 'token') : queryPairs(postbackUrl);
        const pairs: [string, string][] = asked.map(([name, value]) => {
          if (name === 'token' || fill === undefined) return [name, value];
          const filled = fill[value];
          if (filled === undefined) throw new Error(`the test does not fill ${value} of ${postbackUrl}`);
          return [name, filled.replaceAll(CLICK, clickId)];
        });
        const extra = append ? (queryPairs(`?${append.replaceAll(CLICK, clickId)}`) as [string, string][]) : [];
        const all = [...pairs, ...extra];
        const query = (entries: [string, string][]) => entries.map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('&');
        if (method === 'GET') return server.json(`/postback?${query(all)}`, { key: null });
        const token = all.filter(([name]) => name === 'token');
        const body = all.filter(([name]) => name !== 'token');
        return server.json(`/postback?${query(token)}`, {
          key: null,
          method: 'POST',
          headers: { 'content-type': method === 'form' ? 'application/x-www-form-urlencoded' : 'application/json' },
          body: method === 'form' ? query(body) : JSON.stringify(Object.fromEntries(body)),
        });
      };

      const first = await fire(row.first);
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      const conversionId = first.body.conversionId as string;
      const conversion = (await server.json(`/v1/conversions/${conversionId}`)).body;
      const { event, ...money } = row.first.expect;
      expect(conversion).toMatchObject({ clickId, ...money, ...(event !== undefined ? { event } : {}) });

      for (const step of row.later ?? []) {
        const reply = await fire({ ...step, fill: row.first.fill && { ...row.first.fill, ...step.fill } });
        expect(reply.status, JSON.stringify(reply.body)).toBe(200);
        expect(reply.body.conversionId).toBe(conversionId);
        expect((await server.json(`/v1/conversions/${conversionId}`)).body.status).toBe(step.status);
      }
    });
  });
});
