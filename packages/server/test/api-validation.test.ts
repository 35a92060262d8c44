import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startTestServer, type TestServer } from './support/harness.js';

interface Operation {
  method: string;
  path: string;
  properties: Record<string, { type?: string | string[] }>;
}

/** A value of the wrong JSON type for a property declared as `type`. */
function wrongTypeFor(type: string | string[] | undefined): unknown {
  const first = Array.isArray(type) ? type[0] : type;
  switch (first) {
    case 'string':
      return { not: 'a string' };
    case 'number':
    case 'integer':
      return 'not a number';
    case 'boolean':
      return 'yes';
    case 'array':
      return 'not an array';
    case 'object':
      return 42;
    default:
      return Symbol.for('skip');
  }
}

describe.each(backends())('write endpoints on %s', (backend) => {
  let server: TestServer;
  let operations: Operation[];
  const ids: Record<string, string> = {};

  /** Every record, read through the API: what must not change when bad input is refused. */
  const snapshot = async () => {
    const lists = [
      '/v1/offers?includeArchived=true&limit=500',
      '/v1/publishers?limit=500',
      '/v1/affiliate-networks?limit=500',
      '/v1/api-keys?limit=500',
      `/v1/offers/${ids.offer}/personal-payouts?limit=500`,
      '/v1/conversions?limit=500',
      '/v1/clicks?limit=500',
      '/v1/fx-rates',
      '/v1/promo-codes?limit=500',
      '/v1/promo-codes/requests?includeExpired=true&limit=500',
      '/v1/payments?limit=500',
      '/v1/traffic-sources?includeArchived=true&limit=500',
      '/v1/landers?includeArchived=true&limit=500',
      '/v1/campaigns?includeArchived=true&limit=500',
      '/v1/keyword-sets?includeArchived=true&limit=500',
      '/v1/workspaces?limit=500',
      '/v1/users?limit=500',
    ];
    return Promise.all(lists.map(async (path) => (await server.json(path)).body));
  };

  beforeAll(async () => {
    server = await startTestServer(backend);
    const publisher = await server.json('/v1/publishers', { method: 'POST', json: { name: 'Fixture publisher' } });
    const network = await server.json('/v1/affiliate-networks', { method: 'POST', json: { name: 'Net', clickIdParam: 'aff_sub', macros: { clickId: '{aff_sub}' } } });
    const offer = await server.json('/v1/offers', { method: 'POST', json: { name: 'Fixture offer', url: 'https://example.com', payout: { model: 'cpa', amount: '5' } } });
    const key = await server.json('/v1/api-keys', { method: 'POST', json: { role: 'publisher', publisherId: publisher.body.id } });
    const click = await server.request(`/c/${offer.body.id}?pub=${publisher.body.id}`, { key: null });
    const clickId = /waypost_cid=([^;]+)/.exec(click.headers.get('set-cookie') ?? '')![1];
    const conversion = await server.json(`/postback?click_id=${clickId}&token=${offer.body.postbackToken}`, { key: null });
    const promoRequest = await server.json('/v1/promo-codes/requests', { method: 'POST', json: { offerId: offer.body.id, publisherId: publisher.body.id, platform: 'Fixture' } });
    Object.assign(ids, { publisher: publisher.body.id, network: network.body.id, offer: offer.body.id, key: key.body.id, conversion: conversion.body.conversionId, promoRequest: promoRequest.body.id });

    const source = await server.json('/v1/traffic-sources', { method: 'POST', json: { name: 'Fixture source' } });
    const lander = await server.json('/v1/landers', { method: 'POST', json: { name: 'Fixture lander', url: 'https://example.com/lp' } });
    const campaign = await server.json('/v1/campaigns', { method: 'POST', json: { name: 'Fixture campaign' } });
    Object.assign(ids, { trafficSource: source.body.id, lander: lander.body.id, campaign: campaign.body.id });
    ids.keywordSet = (await server.json('/v1/keyword-sets', { method: 'POST', json: { name: 'Fixture keywords', keywords: [{ text: 'a' }] } })).body.id;
    ids.workspace = (await server.json('/v1/workspaces', { method: 'POST', json: { name: 'Fixture workspace' } })).body.id;
    ids.user = (await server.json('/v1/users', { method: 'POST', json: { email: 'fixture@example.com', role: 'member' } })).body.id;

    const spec = (await server.json('/openapi.json', { key: null })).body;
    operations = [];
    for (const [path, methods] of Object.entries<Record<string, any>>(spec.paths)) {
      for (const [method, operation] of Object.entries<any>(methods)) {
        const schema = operation.requestBody?.content?.['application/json']?.schema;
        if (schema) operations.push({ method: method.toUpperCase(), path, properties: schema.properties ?? {} });
      }
    }
  });
  afterAll(() => server.close());

  const concrete = (path: string) =>
    path
      .replace(/^\/v1\/offers\/\{id\}/, `/v1/offers/${ids.offer}`)
      .replace(/^\/v1\/publishers\/\{id\}/, `/v1/publishers/${ids.publisher}`)
      .replace(/^\/v1\/affiliate-networks\/\{id\}/, `/v1/affiliate-networks/${ids.network}`)
      .replace(/^\/v1\/api-keys\/\{id\}/, `/v1/api-keys/${ids.key}`)
      .replace(/^\/v1\/conversions\/\{id\}/, `/v1/conversions/${ids.conversion}`)
      .replace(/^\/v1\/promo-codes\/requests\/\{id\}/, `/v1/promo-codes/requests/${ids.promoRequest}`)
      .replace(/^\/v1\/traffic-sources\/\{id\}/, `/v1/traffic-sources/${ids.trafficSource}`)
      .replace(/^\/v1\/landers\/\{id\}/, `/v1/landers/${ids.lander}`)
      .replace(/^\/v1\/campaigns\/\{id\}/, `/v1/campaigns/${ids.campaign}`)
      .replace(/^\/v1\/keyword-sets\/\{id\}/, `/v1/keyword-sets/${ids.keywordSet}`)
      .replace(/^\/v1\/workspaces\/\{id\}/, `/v1/workspaces/${ids.workspace}`)
      .replace(/^\/v1\/users\/\{id\}/, `/v1/users/${ids.user}`);

  it('finds the write endpoints in the OpenAPI document', () => {
    expect(operations.map((op) => `${op.method} ${op.path}`)).toEqual(
      expect.arrayContaining(['POST /v1/offers', 'PATCH /v1/offers/{id}', 'POST /v1/publishers', 'PATCH /v1/publishers/{id}', 'POST /v1/affiliate-networks', 'POST /v1/api-keys', 'POST /v1/offers/{id}/personal-payouts']),
    );
  });

  it('answers malformed, wrong-typed, oversized and unknown-field bodies with a 4xx naming the field, and stores nothing', async () => {
    const before = await snapshot();
    for (const op of operations) {
      const path = concrete(op.path);
      const label = `${op.method} ${op.path}`;
      const send = (body: string, contentType = 'application/json') =>
        server.json(path, { method: op.method, body, headers: { 'content-type': contentType } });

      const malformed = await send('{"name": "unterminated');
      expect([label, malformed.status, malformed.body.error.code]).toEqual([label, 400, 'malformed_json']);
      expect(malformed.body.error.issues[0].path).toBe('body');

      const oversized = await send(JSON.stringify({ name: 'x'.repeat(1024 * 1024) }));
      expect([label, oversized.status, oversized.body.error.code]).toEqual([label, 413, 'payload_too_large']);

      const notJson = await send('name=x', 'application/x-www-form-urlencoded');
      expect([label, notJson.status]).toEqual([label, 415]);

      const notAnObject = await send('[1, 2, 3]');
      expect([label, notAnObject.status, notAnObject.body.error.code]).toEqual([label, 422, 'validation_error']);

      const unknown = await send(JSON.stringify({ zzUnknownField: 1 }));
      expect([label, unknown.status]).toEqual([label, 422]);
      expect(unknown.body.error.issues.map((issue: { path: string }) => issue.path)).toContain('zzUnknownField');
      expect(unknown.body.error.message).toContain('zzUnknownField');

      for (const [field, property] of Object.entries(op.properties)) {
        const wrong = wrongTypeFor(property.type);
        if (wrong === Symbol.for('skip')) continue;
        const response = await send(JSON.stringify({ [field]: wrong }));
        expect([label, field, response.status]).toEqual([label, field, 422]);
        const paths = response.body.error.issues.map((issue: { path: string }) => issue.path);
        expect([label, paths.some((path: string) => path === field || path.startsWith(`${field}.`))]).toEqual([label, true]);
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it('rejects semantically invalid values with the field named', async () => {
    const cases: [string, unknown, string][] = [
      ['/v1/offers', { name: 'A', url: 'https://a.example', currency: 'XYZ', payout: { model: 'cpa', amount: '1' } }, 'currency'],
      ['/v1/offers', { name: 'A', url: 'https://a.example', currency: 'JPY', payout: { model: 'cpa', amount: '1.5' } }, 'payout.amount'],
      ['/v1/offers', { name: 'A', url: 'https://a.example', currency: 'KWD', payout: { model: 'cpa', amount: '1.2345' } }, 'payout.amount'],
      ['/v1/offers', { name: 'A', url: 'https://a.example', payout: { model: 'cpa', amount: '1e309' } }, 'payout.amount'],
      ['/v1/offers', { name: 'A', url: 'https://a.example', payout: { model: 'cpa', amount: '-5' } }, 'payout.amount'],
      ['/v1/offers', { name: 'A', url: 'https://a.example', payout: { model: 'cpa', percent: '5' } }, 'payout.percent'],
      ['/v1/offers', { name: 'A', url: 'https://a.example', payout: { model: 'cps', percent: '101' } }, 'payout.percent'],
      ['/v1/offers', { name: 'A', url: 'https://a.example', payout: { model: 'cpa', amount: '1' }, cap: { daily: 5, timezone: 'Mars/Olympus' } }, 'cap.timezone'],
      ['/v1/offers', { name: 'A', url: 'javascript:alert(1)', payout: { model: 'cpa', amount: '1' } }, 'url'],
      ['/v1/offers', { name: 'A', url: 'https://a.example', payout: { model: 'cpa', amount: '1' }, affiliateNetworkId: 'net_missing' }, 'affiliateNetworkId'],
      ['/v1/publishers', { name: 'P', email: 'not-an-email' }, 'email'],
      ['/v1/api-keys', { role: 'publisher' }, 'publisherId'],
      ['/v1/conversions', { clickId: 'abcdefghijkl', amount: '12.345', currency: 'USD' }, 'amount'],
      ['/v1/conversions', { clickId: 'abcdefghijkl', amount: '1', currency: 'ABC' }, 'currency'],
      ['/v1/conversions', { couponCode: 'SAVE10' }, 'offerId'],
      ['/v1/transactions', { publisherId: ids.publisher, offerId: ids.offer, amount: '1.5', currency: 'JPY' }, 'amount'],
      ['/v1/transactions', { publisherId: ids.publisher, offerId: ids.offer, amount: '-1' }, 'amount'],
      ['/v1/transactions', { offerId: ids.offer, amount: '1' }, 'publisherId'],
      ['/v1/promo-codes/requests', { offerId: ids.offer, publisherId: ids.publisher, platform: '  ' }, 'platform'],
      ['/v1/promo-codes/requests', { offerId: 'off_missing', publisherId: ids.publisher, platform: 'Blog' }, 'offerId'],
      [`/v1/promo-codes/requests/${ids.promoRequest}/decision`, { decision: 'confirm', code: 'ab' }, 'code'],
      [`/v1/promo-codes/requests/${ids.promoRequest}/decision`, { decision: 'reject', code: 'ABCDEF' }, 'code'],
      [`/v1/promo-codes/requests/${ids.promoRequest}/decision`, { decision: 'maybe' }, 'decision'],
      ['/v1/payments', { publisherId: 'pub_missing' }, 'publisherId'],
    ];
    const before = await snapshot();
    for (const [path, json, field] of cases) {
      const response = await server.json(path, { method: 'POST', json });
      expect([path, field, response.status]).toEqual([path, field, 422]);
      expect(response.body.error.issues.map((issue: { path: string }) => issue.path)).toContain(field);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('answers unknown routes and malformed ids with a JSON 404, never HTML', async () => {
    for (const path of ['/v1/nothing-here', '/v1/offers/bad%20id', '/v1/offers/off_unknown']) {
      const response = await server.request(path);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toContain('application/json');
      expect(((await response.json()) as any).error.code).toBe('not_found');
    }
  });
});
