import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startTestServer, type TestServer } from './support/harness.js';

/** The records each publisher owns (and the few shared ones admin routes need), by kind. */
interface Records {
  publisher: string;
  key: string;
  /** An offer private to this publisher. */
  offer: string;
  click: string;
  conversion: string;
  promoRequest: string;
  promoCode: string;
  payment: string;
  apiKey: string;
  personalPayout: string;
  /** A postback to the publisher's tracker, in the delivery log. */
  delivery: string;
  network: string;
}

/**
 * Whose record each path parameter names, by the path up to that parameter. A route with a parameter missing here
 * fails the walk: add the kind of record it names, so that no new route escapes the scoping check.
 */
const PATH_RECORDS: Record<string, keyof Records> = {
  '/v1/offers/{id}': 'offer',
  '/v1/offers/{id}/personal-payouts/{payoutId}': 'personalPayout',
  '/v1/publishers/{id}': 'publisher',
  '/v1/clicks/{id}': 'click',
  '/v1/conversions/{id}': 'conversion',
  '/v1/promo-codes/requests/{id}': 'promoRequest',
  '/v1/payments/{id}': 'payment',
  '/v1/api-keys/{id}': 'apiKey',
  '/v1/affiliate-networks/{id}': 'network',
  '/v1/deliveries/{id}': 'delivery',
  // Refused to publishers before the id is read (team routes), so any record's id will do.
  '/v1/workspaces/{id}': 'publisher',
  '/v1/traffic-sources/{id}': 'publisher',
  '/v1/landers/{id}': 'publisher',
  '/v1/campaigns/{id}': 'publisher',
  '/v1/keyword-sets/{id}': 'publisher',
  // Admin-only: refused before the id is read, so any record's id will do.
  '/v1/users/{id}': 'publisher',
};
/** Body and query fields that name a publisher's record. */
const FIELD_RECORDS: Record<string, keyof Records> = { publisherId: 'publisher', offerId: 'offer' };
/** Values for the other required fields. */
const SAMPLE_VALUES: Record<string, string> = { platform: 'Scoping test', from: '2026-01-01', to: '2026-12-31', postbackUrl: 'https://scoping.example/pb' };
/** Optional query parameters that widen what a list shows, so that the leak check sees more. */
const WIDENING_QUERY: Record<string, string> = { groupBy: 'publisher,offer,couponCode', includeExpired: 'true', includeArchived: 'true' };

interface Operation {
  method: string;
  path: string;
  access: 'public' | 'key' | 'workspace' | 'admin' | 'self';
  query: { name: string; required: boolean }[];
  body: { properties: string[]; required: string[] } | undefined;
}

/** A named place in a request where a record id goes. */
type Slot = { in: 'path'; param: string; kind: keyof Records } | { in: 'query' | 'body'; name: string; kind: keyof Records };

describe.each(backends())('publisher keys on %s', (backend) => {
  let server: TestServer;
  let operations: Operation[];
  const a = {} as Records;
  const b = {} as Records;

  beforeAll(async () => {
    server = await startTestServer(backend);
    const admin = async (path: string, json?: object) => {
      const response = await server.json(path, json ? { method: 'POST', json } : {});
      expect([path, response.status]).toEqual([path, json ? 201 : 200]);
      return response.body;
    };
    const network = (await admin('/v1/affiliate-networks', { name: 'Shared network', clickIdParam: 'aff_sub', macros: { clickId: '{aff_sub}' } })).id;
    const publicOffer = (await admin('/v1/offers', { name: 'Public', url: 'https://shop.example.com', payout: { model: 'cpa', amount: '3.00' } })).id;
    for (const [name, records] of [['A', a], ['B', b]] as const) {
      records.network = network;
      const tracker = `https://tracker-${name.toLowerCase()}.example/postback?cid={click_id}`;
      records.publisher = (await admin('/v1/publishers', { name: `Publisher ${name}`, postbackUrl: tracker })).id;
      const key = await admin('/v1/api-keys', { role: 'publisher', publisherId: records.publisher });
      [records.key, records.apiKey] = [key.key, key.id];
      const offer = await admin('/v1/offers', {
        name: `Private ${name}`,
        url: 'https://shop.example.com',
        payout: { model: 'cpa', amount: '3.00' },
        visibility: 'private',
        publisherIds: [records.publisher],
      });
      records.offer = offer.id;
      const click = await server.request(`/c/${offer.id}?pub=${records.publisher}`, { key: null });
      records.click = /waypost_cid=([^;]+)/.exec(click.headers.get('set-cookie') ?? '')![1]!;
      records.conversion = (await server.json(`/postback?click_id=${records.click}&token=${offer.postbackToken}`, { key: null })).body.conversionId;
      records.delivery = (await admin(`/v1/deliveries?conversionId=${records.conversion}`)).data[0].id;
      records.promoRequest = (await admin('/v1/promo-codes/requests', { offerId: offer.id, publisherId: records.publisher, platform: 'Setup' })).id;
      const decided = await server.json(`/v1/promo-codes/requests/${records.promoRequest}/decision`, { method: 'POST', json: { decision: 'confirm', code: `CODE-${name}` } });
      expect(decided.body.code).toBe(`CODE-${name}`);
      records.promoCode = (await server.json(`/v1/promo-codes?publisherId=${records.publisher}`)).body.data[0].id;
      records.payment = (await admin('/v1/payments', { publisherId: records.publisher })).id;
      records.personalPayout = (await admin(`/v1/offers/${publicOffer}/personal-payouts`, { publisherId: records.publisher, amount: '4.00' })).id;
    }

    const spec = (await server.json('/openapi.json', { key: null })).body;
    operations = Object.entries<Record<string, any>>(spec.paths).flatMap(([path, methods]) =>
      Object.entries<any>(methods).map(([method, op]) => {
        const schema = op.requestBody?.content?.['application/json']?.schema;
        return {
          method: method.toUpperCase(),
          path,
          access: op['x-waypost-access'],
          query: (op.parameters ?? []).filter((p: any) => p.in === 'query').map((p: any) => ({ name: p.name, required: p.required })),
          body: schema ? { properties: Object.keys(schema.properties ?? {}), required: schema.required ?? [] } : undefined,
        };
      }),
    );
  });
  afterAll(() => server.close());

  /**
   * Every place in the operation's request that names a record, or a thrown error naming what the walk cannot fill.
   * Admin routes refuse a publisher key before reading the request, so only their path needs filling.
   */
  const slotsOf = (op: Operation): Slot[] => {
    const slots: Slot[] = [];
    const needsValue = (name: string, required: boolean) => op.access === 'key' && required && !(name in SAMPLE_VALUES);
    for (const match of op.path.matchAll(/\{(\w+)\}/g)) {
      const prefix = op.path.slice(0, match.index + match[0].length);
      const kind = PATH_RECORDS[prefix];
      if (!kind) throw new Error(`${op.method} ${op.path}: add the kind of record "${prefix}" names to PATH_RECORDS`);
      slots.push({ in: 'path', param: match[1]!, kind });
    }
    for (const { name, required } of op.query) {
      if (name === 'publisherId') slots.push({ in: 'query', name, kind: 'publisher' });
      else if (needsValue(name, required)) throw new Error(`${op.method} ${op.path}: add a value for the required query "${name}"`);
    }
    for (const name of op.body?.properties ?? []) {
      const kind = FIELD_RECORDS[name];
      if (kind) slots.push({ in: 'body', name, kind });
      else if (needsValue(name, op.body!.required.includes(name))) throw new Error(`${op.method} ${op.path}: add a value for the required field "${name}"`);
    }
    return slots;
  };

  /** Sends `op` with every slot filled from `own`, except the slot at index `foreign` (if any), filled from `other`. */
  const send = async (op: Operation, key: string, own: Records, other: Records, foreign?: number, format?: string) => {
    const slots = slotsOf(op);
    const pick = (slot: Slot) => (slots.indexOf(slot) === foreign ? other : own)[slot.kind];
    let path = op.path;
    const query = new URLSearchParams();
    const body: Record<string, string> = {};
    for (const slot of slots) {
      if (slot.in === 'path') path = path.replace(`{${slot.param}}`, pick(slot));
      else if (slot.in === 'query') query.set(slot.name, pick(slot));
      else body[slot.name] = pick(slot);
    }
    for (const { name, required } of op.query) {
      if (required && name in SAMPLE_VALUES) query.set(name, SAMPLE_VALUES[name]!);
      else if (name in WIDENING_QUERY) query.set(name, WIDENING_QUERY[name]!);
    }
    if (format) query.set('format', format);
    for (const name of op.body?.required ?? []) if (name in SAMPLE_VALUES) body[name] = SAMPLE_VALUES[name]!;
    const url = `${path}${query.size ? `?${query}` : ''}`;
    const response = await server.request(url, { method: op.method, key, ...(op.body ? { json: body } : {}) });
    return { label: `${op.method} ${url}`, status: response.status, text: await response.text() };
  };

  it("walks every endpoint with publisher A's key against publisher B's records and gets 404 or 403 every time", async () => {
    const foreignIds = Object.entries(b)
      .filter(([kind]) => kind !== 'network' && kind !== 'key')
      .map(([, id]) => id)
      .concat('CODE-B');
    // The routes come from the OpenAPI document, which lists every route the server declares.
    expect(operations.filter((op) => op.access === 'key').length).toBeGreaterThan(15);
    expect(operations.filter((op) => op.access === 'admin').length).toBeGreaterThan(20);
    for (const op of operations) {
      // Public routes take no key, and `self` routes act on the caller's own session: nothing to scope.
      if (op.access === 'public' || op.access === 'self') continue;
      const slots = slotsOf(op);
      // `workspace` routes are the team's (README, Workspaces): a publisher is refused them like admin routes.
      if (op.access === 'admin' || op.access === 'workspace') {
        const refused = await send(op, a.key, b, b);
        expect([refused.label, refused.status]).toEqual([refused.label, 403]);
        continue;
      }
      const formats = op.query.some((param) => param.name === 'format') ? [undefined, 'csv'] : [undefined];
      for (const format of formats) {
        // A's own records answer, and show nothing of B's: the refusals below are not just a broken endpoint.
        const own = await send(op, a.key, a, b, undefined, format);
        expect([own.label, own.status < 300]).toEqual([own.label, true]);
        for (const id of foreignIds) expect([own.label, own.text.includes(id)]).toEqual([own.label, false]);
        for (const index of slots.keys()) {
          const refused = await send(op, a.key, a, b, index, format);
          expect([refused.label, refused.status]).toEqual([refused.label, 404]);
          for (const id of foreignIds) expect([refused.label, refused.text.includes(id)]).toEqual([refused.label, false]);
        }
      }
    }
  });
});
