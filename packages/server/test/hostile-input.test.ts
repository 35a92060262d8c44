import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler } from '../src/http/errors.js';
import { listen } from '../src/server.js';
import { backends, startTestServer, type TestServer } from './support/harness.js';

/** A request that fetch cannot make, such as a GET with a body; resolves to the status, the content type and the body. */
function rawRequest(url: string, init: { method: string; headers: Record<string, string>; body: Buffer }): Promise<{ status: number; type: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: init.method, headers: { ...init.headers, 'content-length': String(init.body.length) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, type: res.headers['content-type'] ?? '', body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

/** Bodies that claim an encoding and are not in it: plain text, and a valid stream cut short. */
const CORRUPT_BODIES: [encoding: string, body: Buffer][] = [
  ['gzip', Buffer.from('token=secret-token&this is not gzip')],
  ['gzip', gzipSync('{"name":"x"}').subarray(0, 12)],
  ['deflate', Buffer.from('token=secret-token&this is not deflate')],
  ['br', Buffer.from('token=secret-token&this is not brotli at all')],
  ['br', brotliCompressSync('{"name":"x"}').subarray(0, 4)],
  ['deflate', deflateSync('{"name":"x"}').subarray(0, 6)],
];

describe.each(backends())('hostile input on %s', (backend) => {
  let server: TestServer;
  let publisher: { id: string };
  let offer: { id: string; postbackToken: string };
  const logged: unknown[] = [];
  beforeAll(async () => {
    server = await startTestServer(backend, { log: (error) => logged.push(error) });
    publisher = (await server.json('/v1/publishers', { method: 'POST', json: { name: 'Hostile-input publisher' } })).body;
    offer = (
      await server.json('/v1/offers', {
        method: 'POST',
        json: { name: 'Hostile-input offer', url: 'https://shop.example.com/lp?cid={click_id}&s={sub1}', payout: { model: 'cpa', amount: '5.00' }, directTracking: true, allowedOrigins: ['https://lander.shop.example'] },
      })
    ).body;
  });
  afterAll(() => server.close());

  const click = async (query = '') => {
    const response = await server.request(`/c/${offer.id}?pub=${publisher.id}${query}`, { key: null });
    expect(response.status).toBe(302);
    const clickId = /waypost_cid=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1];
    return { clickId: clickId!, location: response.headers.get('location')! };
  };
  const errorLog = async () => (await server.json('/v1/postbacks?outcome=error&limit=500')).body.data as { channel: string; reason: string; params: Record<string, unknown> }[];
  const browserHeaders = { 'content-type': 'text/plain', origin: 'https://lander.shop.example' };

  it('strips NUL from the sub ids and ad click ids of a tracking link and still redirects the visitor', async () => {
    const { clickId, location } = await click('&sub1=a%00b&gclid=G%00-1&sub2=%00');
    expect(new URL(location).searchParams.get('s')).toBe('ab');
    const stored = await server.json(`/v1/clicks/${clickId}`);
    expect(stored.body).toMatchObject({ sub1: 'ab', sub2: null, adClickIds: { gclid: 'G-1' } });
  });

  it('accepts a postback whose transaction id and extra parameters carry NUL, with the NUL stripped', async () => {
    const { clickId } = await click();
    const accepted = await server.json(`/postback?click_id=${clickId}&transaction_id=T%00-1&note=x%00y&n%00ote2=z&token=${offer.postbackToken}`, { key: null });
    expect(accepted.status).toBe(200);
    expect(accepted.body.status).toBe('accepted');
    const conversion = await server.json(`/v1/conversions/${accepted.body.conversionId}`);
    expect(conversion.body.transactionId).toBe('T-1');
    const entries = (await server.json(`/v1/postbacks?offerId=${offer.id}&limit=500`)).body.data as { conversionId: string; params: Record<string, unknown> }[];
    expect(entries.find((entry) => entry.conversionId === accepted.body.conversionId)?.params).toMatchObject({ transaction_id: 'T-1', note: 'xy', note2: 'z' });
  });

  it('strips NUL from a direct-tracking visit and from a browser conversion', async () => {
    const visit = await server.json('/v1/visits', {
      key: null,
      method: 'POST',
      headers: browserHeaders,
      body: JSON.stringify({ offerId: offer.id, sub1: 'v\u0000isit', referrer: 'https://ref.example/\u0000', landingUrl: 'https://lander.shop.example/?q=\u0000', adClickIds: { fbclid: 'F\u0000B' } }),
    });
    expect(visit.status).toBe(201);
    expect(visit.body.sub1).toBe('visit');
    const stored = await server.json(`/v1/clicks/${visit.body.clickId}`);
    expect(stored.body).toMatchObject({ sub1: 'visit', referrer: 'https://ref.example/', landingUrl: 'https://lander.shop.example/?q=', adClickIds: { fbclid: 'FB' } });
    const sale = await server.json('/v1/conversions/browser', {
      key: null,
      method: 'POST',
      headers: browserHeaders,
      body: JSON.stringify({ clickId: visit.body.clickId, transactionId: 'B\u0000-1' }),
    });
    expect(sale.status).toBe(200);
    const conversion = await server.json(`/v1/conversions/${sale.body.conversionId}`);
    expect(conversion.body.transactionId).toBe('B-1');
  });

  it('refuses NUL anywhere in an API request with a 400 that names the field', async () => {
    const offers = async () => (await server.json('/v1/offers?limit=100')).body.data.length as number;
    const before = await offers();
    const cases: [path: string, init: Parameters<TestServer['json']>[1], field: string][] = [
      ['/v1/offers', { method: 'POST', json: { name: 'Bad\u0000name', url: 'https://shop.example.com/', payout: { model: 'cpa', amount: '1.00' } } }, 'name'],
      ['/v1/offers', { method: 'POST', json: { name: 'Good name', url: 'https://shop.example.com/', payout: { model: 'cpa', amount: '1.00' }, tags: ['ok', 'b\u0000d'] } }, 'tags.1'],
      ['/v1/offers', { method: 'POST', json: { name: 'Good name', url: 'https://shop.example.com/', payout: { model: 'cpa', amount: '1.00' }, 'ta\u0000gs': [] } }, 'ta\u0000gs'],
      ['/v1/conversions?transactionId=a%00b', {}, 'transactionId'],
      [`/v1/offers/${offer.id}%00`, {}, 'id'],
      [`/v1/offers/${offer.id}`, { method: 'PATCH', json: { notes: 'n\u0000' } }, 'notes'],
    ];
    for (const [path, init, field] of cases) {
      const response = await server.json(path, init);
      expect([path, response.status, response.body.error.code]).toEqual([path, 400, 'invalid_character']);
      expect(response.body.error.issues).toEqual([{ path: field, code: 'invalid_character', message: expect.stringContaining('U+0000') }]);
    }
    expect(await offers()).toBe(before);
    expect((await server.json(`/v1/offers/${offer.id}`)).body.notes).toBeNull();
  });

  it('answers a corrupt gzip, deflate or br body with 400 JSON on the API and on the postback endpoint', async () => {
    const loggedBefore = (await errorLog()).filter((entry) => entry.reason === 'invalid_body').length;
    for (const [encoding, body] of CORRUPT_BODIES) {
      const api = await server.json('/v1/offers', { method: 'POST', body, headers: { 'content-type': 'application/json', 'content-encoding': encoding } });
      expect([encoding, api.status, api.body.error.code]).toEqual([encoding, 400, 'invalid_body']);
      const postback = await server.json('/postback', { key: null, method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-encoding': encoding } });
      expect([encoding, postback.status, postback.body]).toEqual([encoding, 400, expect.objectContaining({ status: 'rejected', reason: 'invalid_body', error: expect.objectContaining({ code: 'invalid_body' }) })]);
    }
    const entries = (await errorLog()).filter((entry) => entry.reason === 'invalid_body');
    expect(entries.filter((entry) => entry.channel === 'postback')).toHaveLength(loggedBefore + CORRUPT_BODIES.length);
    expect(inspect(logged, { depth: 10 })).not.toContain('secret-token');
  });

  it('answers a corrupt body on the pixel with its GIF and on the browser endpoint with 400 JSON, and logs both', async () => {
    const [, body] = CORRUPT_BODIES[0]!;
    const pixel = await rawRequest(`${server.url}/pixel.gif?click_id=c%00x`, { method: 'GET', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body });
    expect(pixel.status).toBe(200);
    expect(pixel.type).toBe('image/gif');
    expect(pixel.body.subarray(0, 6).toString()).toBe('GIF89a');
    const browser = await server.json('/v1/conversions/browser', { key: null, method: 'POST', body, headers: { ...browserHeaders, 'content-encoding': 'gzip' } });
    expect(browser.status).toBe(400);
    expect(browser.body.error.code).toBe('invalid_body');
    expect(browser.headers.get('access-control-allow-origin')).toBe('https://lander.shop.example');
    const entries = (await errorLog()).filter((entry) => entry.reason === 'invalid_body');
    expect(entries.find((entry) => entry.channel === 'pixel')?.params).toEqual({ click_id: 'cx' });
    expect(entries.some((entry) => entry.channel === 'browser')).toBe(true);
  });

  it('answers a form with more than 1,000 fields with 413 JSON, logs it, and never writes the token to the error log', async () => {
    const form = `token=${offer.postbackToken}&${Array.from({ length: 1_001 }, (_, i) => `f${i}=1`).join('&')}`;
    const response = await server.json('/postback?click_id=too-many', {
      key: null,
      method: 'POST',
      body: form,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ status: 'rejected', reason: 'too_many_parameters', error: { code: 'too_many_parameters' } });
    const entry = (await errorLog()).find((item) => item.reason === 'too_many_parameters');
    expect(entry).toMatchObject({ channel: 'postback', params: { click_id: 'too-many' } });
    expect(inspect(logged, { depth: 10 })).not.toContain('token=');
    expect(inspect(logged, { depth: 10 })).not.toContain(offer.postbackToken);
  });
});

describe('the error log', () => {
  it('gets a body parser error without the raw body it carries', async () => {
    const logged: unknown[] = [];
    const app = express();
    app.post('/', () => {
      // What body-parser passes on when a `verify` hook refuses a body: the body itself rides along.
      throw Object.assign(new Error('body refused'), { type: 'entity.verify.unknown', body: 'token=secret-token&amount=1' });
    });
    app.use(errorHandler((error) => logged.push(error)));
    const server = await listen(app, 0, '127.0.0.1');
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { method: 'POST' });
      expect(response.status).toBe(500);
      expect(logged).toHaveLength(1);
      expect(inspect(logged)).toContain('body refused');
      expect(inspect(logged)).not.toContain('secret-token');
    } finally {
      server.close();
    }
  });
});
