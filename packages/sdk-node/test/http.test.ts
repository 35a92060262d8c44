import { delay, http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import pkg from '../package.json' with { type: 'json' };
import { MAX_RETRY_AFTER_MS, parseRetryAfter, retryDelay } from '../src/internal/http.js';
import {
  isWaypostConnectionError,
  WaypostAPIError,
  WaypostConnectionError,
  WaypostError,
  WaypostRateLimitError,
  WaypostValidationError,
} from '../src/index.js';
import { API_KEY, CLICK_ID, client, fixtures, mockWaypost, url } from './helpers.js';

const mock = mockWaypost();
const sale = { clickId: CLICK_ID, amount: '49.90', currency: 'EUR', transactionId: 'A-1001' };

/** Answers with each response in turn, then keeps repeating the last one. */
function sequence(...responses: (() => Response | Promise<Response>)[]) {
  let call = 0;
  return () => responses[Math.min(call++, responses.length - 1)]!();
}

describe('requests', () => {
  it('sends the key, the SDK version, JSON and the validated body', async () => {
    mock.server.use(http.post(url('/v1/conversions'), () => HttpResponse.json(fixtures.conversionResult)));
    await expect(client().conversions.create({ ...sale, amount: 49.9, currency: 'eur' })).resolves.toEqual(fixtures.conversionResult);
    const [request] = await mock.requests();
    expect(request!.headers.get('authorization')).toBe(`Bearer ${API_KEY}`);
    expect(request!.headers.get('user-agent')).toBe(`waypost-node/${pkg.version}`);
    expect(request!.headers.get('accept')).toBe('application/json');
    expect(request!.headers.get('content-type')).toBe('application/json');
    // Inputs are sent as the schema normalises them: a decimal string and an upper-case currency.
    expect(JSON.parse(request!.body)).toEqual({ ...sale, amount: '49.9', currency: 'EUR' });
  });

  it('puts the base URL path in front of every path and serialises the query', async () => {
    mock.server.use(http.get(url('/waypost/v1/reports'), () => HttpResponse.json(fixtures.report)));
    const waypost = client({ baseUrl: 'https://waypost.test/waypost/' });
    await waypost.reports.get({ from: '2026-11-01', to: '2026-11-30', groupBy: ['day', 'offer'], timezone: 'Europe/Berlin' });
    const [request] = await mock.requests();
    expect(request!.url.pathname).toBe('/waypost/v1/reports');
    expect(Object.fromEntries(request!.url.searchParams)).toEqual({
      from: '2026-11-01',
      to: '2026-11-30',
      groupBy: 'day,offer',
      timezone: 'Europe/Berlin',
    });
  });

  it('sends an Idempotency-Key on every POST and on no other method', async () => {
    mock.server.use(
      http.post(url('/v1/offers/off_1/rotate-token'), () => HttpResponse.json(fixtures.offer)),
      http.get(url('/v1/offers/off_1'), () => HttpResponse.json(fixtures.offer)),
      http.patch(url('/v1/offers/off_1'), () => HttpResponse.json(fixtures.offer)),
      http.delete(url('/v1/offers/off_1'), () => HttpResponse.json(fixtures.offer)),
    );
    const waypost = client();
    await waypost.offers.rotateToken('off_1');
    await waypost.offers.rotateToken('off_1');
    await waypost.offers.retrieve('off_1');
    await waypost.offers.update('off_1', { name: 'Solar leads 2' });
    await waypost.offers.archive('off_1');
    const keys = (await mock.requests()).map((request) => [request.method, request.headers.get('idempotency-key')]);
    expect(keys[0]![1]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]![1]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[0]![1]).not.toBe(keys[1]![1]);
    expect(keys.slice(2)).toEqual([
      ['GET', null],
      ['PATCH', null],
      ['DELETE', null],
    ]);
  });
});

describe('retries', () => {
  it('retries a POST after a 503 and a dropped connection with the same Idempotency-Key', async () => {
    mock.server.use(
      http.post(
        url('/v1/conversions'),
        sequence(
          () => HttpResponse.json({ error: { code: 'unavailable', message: 'try again' } }, { status: 503, headers: { 'Retry-After': '0' } }),
          () => HttpResponse.error(),
          () => HttpResponse.json(fixtures.conversionResult, { status: 201 }),
        ),
      ),
    );
    await expect(client().conversions.create(sale)).resolves.toEqual(fixtures.conversionResult);
    const requests = await mock.requests();
    expect(requests).toHaveLength(3);
    const keys = new Set(requests.map((request) => request.headers.get('idempotency-key')));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(requests.map((request) => request.body)).size).toBe(1);
  });

  it('reuses an Idempotency-Key the caller chose on every retry', async () => {
    mock.server.use(
      http.post(
        url('/v1/conversions'),
        sequence(
          () => HttpResponse.error(),
          () => HttpResponse.json(fixtures.conversionResult),
        ),
      ),
    );
    await client().conversions.create(sale, { idempotencyKey: 'order-A-1001' });
    const keys = (await mock.requests()).map((request) => request.headers.get('idempotency-key'));
    expect(keys).toEqual(['order-A-1001', 'order-A-1001']);
  });

  it('waits for the Retry-After the server asks for', async () => {
    mock.server.use(
      http.post(
        url('/v1/conversions'),
        sequence(
          () => HttpResponse.json({ error: { code: 'rate_limited', message: 'slow down' } }, { status: 429, headers: { 'Retry-After': '1' } }),
          () => HttpResponse.json(fixtures.conversionResult),
        ),
      ),
    );
    const started = performance.now();
    await client().conversions.create(sale);
    const waited = performance.now() - started;
    // The backoff alone would wait at most 500 ms.
    expect(waited).toBeGreaterThanOrEqual(950);
    expect(waited).toBeLessThan(2_500);
    expect(await mock.requests()).toHaveLength(2);
  });

  it('backs off exponentially when the server gives no Retry-After', async () => {
    mock.server.use(
      http.get(
        url('/v1/offers/off_1'),
        sequence(
          () => new HttpResponse(null, { status: 502 }),
          () => HttpResponse.json(fixtures.offer),
        ),
      ),
    );
    const started = performance.now();
    await client().offers.retrieve('off_1');
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThanOrEqual(370);
    expect(waited).toBeLessThan(2_000);
  });

  it('gives up at once when Retry-After is longer than the SDK will wait, and says how long', async () => {
    mock.server.use(
      http.post(url('/v1/conversions'), () =>
        HttpResponse.json({ error: { code: 'rate_limited', message: 'slow down' } }, { status: 429, headers: { 'Retry-After': '120' } }),
      ),
    );
    const error = await client().conversions.create(sale).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaypostRateLimitError);
    expect((error as WaypostRateLimitError).retryAfter).toBe(120);
    expect(await mock.requests()).toHaveLength(1);
  });

  it.each([400, 401, 403, 404, 409, 422])('does not retry a %i', async (status) => {
    mock.server.use(http.post(url('/v1/conversions'), () => HttpResponse.json({ error: { code: 'nope', message: 'no' } }, { status })));
    await expect(client().conversions.create(sale)).rejects.toMatchObject({ status });
    expect(await mock.requests()).toHaveLength(1);
  });

  it.each([429, 500, 502, 503, 504])('retries a %i up to maxRetries, then throws it', async (status) => {
    mock.server.use(
      http.post(url('/v1/conversions'), () =>
        HttpResponse.json({ error: { code: 'busy', message: 'busy' } }, { status, headers: { 'Retry-After': '0' } }),
      ),
    );
    await expect(client().conversions.create(sale)).rejects.toMatchObject({ status, code: 'busy' });
    expect(await mock.requests()).toHaveLength(3);
    await expect(client({ maxRetries: 4 }).conversions.create(sale)).rejects.toMatchObject({ status });
    expect(await mock.requests()).toHaveLength(3 + 5);
    await expect(client().conversions.create(sale, { maxRetries: 0 })).rejects.toMatchObject({ status });
    expect(await mock.requests()).toHaveLength(3 + 5 + 1);
  });

  it('throws a WaypostConnectionError once a connection keeps failing', async () => {
    mock.server.use(http.get(url('/v1/clicks/clk_0123456789abcdef'), () => HttpResponse.error()));
    const error = await client({ maxRetries: 1 }).clicks.retrieve('clk_0123456789abcdef').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaypostConnectionError);
    expect(error).toMatchObject({ code: 'connection_error', status: undefined });
    expect((error as Error).message).toContain('could not reach https://waypost.test');
    expect(await mock.requests()).toHaveLength(2);
  });
});

describe('timeouts', () => {
  it('gives a WaypostConnectionError when an attempt takes longer than timeout', async () => {
    mock.server.use(
      http.post(url('/v1/conversions'), async () => {
        await delay(2_000);
        return HttpResponse.json(fixtures.conversionResult);
      }),
    );
    const started = performance.now();
    const error = await client({ timeout: 100, maxRetries: 0 }).conversions.create(sale).catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(isWaypostConnectionError(error)).toBe(true);
    expect(error).toMatchObject({ name: 'WaypostConnectionError', code: 'timeout' });
  });

  it('applies the timeout to each attempt and retries a timed-out one with the same key', async () => {
    mock.server.use(
      http.post(
        url('/v1/conversions'),
        sequence(
          async () => {
            await delay(2_000);
            return HttpResponse.json(fixtures.conversionResult);
          },
          () => HttpResponse.json(fixtures.conversionResult),
        ),
      ),
    );
    await expect(client({ timeout: 100 }).conversions.create(sale)).resolves.toEqual(fixtures.conversionResult);
    const keys = (await mock.requests()).map((request) => request.headers.get('idempotency-key'));
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
  });

  it('stops when the caller aborts, even between retries', async () => {
    mock.server.use(http.get(url('/v1/offers/off_1'), () => new HttpResponse(null, { status: 503, headers: { 'Retry-After': '30' } })));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await client().offers.retrieve('off_1', { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'WaypostConnectionError', code: 'aborted' });
    expect(await mock.requests()).toHaveLength(1);
  });
});

describe('responses', () => {
  it('exposes X-Request-Id on errors', async () => {
    mock.server.use(
      http.get(url('/v1/offers/off_9'), () =>
        HttpResponse.json({ error: { code: 'not_found', message: 'offer not found' } }, { status: 404, headers: { 'X-Request-Id': 'req_42' } }),
      ),
    );
    await expect(client().offers.retrieve('off_9')).rejects.toMatchObject({ status: 404, code: 'not_found', requestId: 'req_42' });
  });

  it('keeps the status when an error body is not a Waypost error (a proxy page)', async () => {
    mock.server.use(http.get(url('/v1/offers/off_1'), () => new HttpResponse('<html>Bad gateway</html>', { status: 502, headers: { 'Content-Type': 'text/html' } })));
    const error = await client({ maxRetries: 0 }).offers.retrieve('off_1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaypostAPIError);
    expect(error).toMatchObject({ status: 502, code: 'http_error' });
  });

  it('refuses a response that does not match the schema with invalid_response', async () => {
    mock.server.use(
      http.post(url('/v1/conversions'), () => HttpResponse.json({ status: 'maybe' }, { headers: { 'X-Request-Id': 'req_7' } })),
      http.get(url('/v1/offers/off_1'), () => new HttpResponse('not json', { status: 200 })),
    );
    const error = await client().conversions.create(sale).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaypostError);
    expect(error).toMatchObject({ name: 'WaypostError', code: 'invalid_response', status: 200, requestId: 'req_7' });
    expect((error as WaypostError).issues?.[0]?.path).toBe('status');
    await expect(client().offers.retrieve('off_1')).rejects.toMatchObject({ code: 'invalid_response' });
    // A malformed answer is not retried: it would come back the same.
    expect(await mock.requests()).toHaveLength(2);
  });

  it('returns a server-side 422 as a WaypostValidationError with its issues', async () => {
    const issues = [{ path: 'amount', code: 'validation_error', message: 'has more than 0 decimal places, the most JPY allows' }];
    mock.server.use(
      http.post(url('/v1/conversions'), () =>
        HttpResponse.json({ error: { code: 'validation_error', message: `amount: ${issues[0]!.message}`, issues } }, { status: 422 }),
      ),
    );
    const error = await client().conversions.create(sale).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaypostValidationError);
    expect(error).toMatchObject({ status: 422, issues });
  });
});

describe('retry timing', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-21T10:00:00Z');
    expect(parseRetryAfter('2', now)).toBe(2_000);
    expect(parseRetryAfter('0.5', now)).toBe(500);
    expect(parseRetryAfter('Sat, 21 Nov 2026 10:00:03 GMT', now)).toBe(3_000);
    expect(parseRetryAfter('Sat, 21 Nov 2026 09:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('doubles the backoff up to 8 s, less up to 25 % jitter, and prefers Retry-After', () => {
    expect([0, 1, 2, 3, 4, 5].map((retry) => retryDelay(retry, undefined, () => 0))).toEqual([500, 1_000, 2_000, 4_000, 8_000, 8_000]);
    expect(retryDelay(0, undefined, () => 1)).toBe(375);
    expect(retryDelay(3, 1_500)).toBe(1_500);
    expect(retryDelay(0, MAX_RETRY_AFTER_MS + 1)).toBeUndefined();
  });
});
