import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { http, HttpResponse } from 'msw';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { API_KEY, BASE_URL, CLICK_ID, fixtures, mockWaypost, url } from './helpers.js';

const mock = mockWaypost();
const examplesDir = new URL('../examples/', import.meta.url);

beforeAll(() => {
  // The examples read their configuration from the environment when they are imported.
  vi.stubEnv('WAYPOST_API_KEY', API_KEY);
  vi.stubEnv('WAYPOST_BASE_URL', BASE_URL);
});
afterEach(() => vi.restoreAllMocks());

describe('README', () => {
  it.each(readdirSync(examplesDir))('quotes examples/%s verbatim', (file) => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const code = readFileSync(new URL(file, examplesDir), 'utf8');
    expect(readme).toContain('```ts\n' + code.trimEnd() + '\n```');
  });
});

describe('examples/express-checkout.ts', () => {
  async function checkout(cookie?: string) {
    const { createApp } = await import('../examples/express-checkout.js');
    const server: Server = createApp().listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/checkout`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
        body: JSON.stringify({ total: '49.90' }),
      });
      return { status: response.status, body: (await response.json()) as { orderId: string } };
    } finally {
      server.close();
    }
  }

  it('reports the sale against the click in the waypost_cid cookie', async () => {
    mock.server.use(http.post(url('/v1/conversions'), () => HttpResponse.json(fixtures.conversionResult, { status: 201 })));
    const { status, body } = await checkout(`waypost_cid=${CLICK_ID}`);
    expect(status).toBe(200);
    const [request, ...rest] = await mock.requests();
    expect(rest).toHaveLength(0);
    expect(JSON.parse(request!.body)).toEqual({ clickId: CLICK_ID, amount: '49.90', currency: 'EUR', transactionId: body.orderId });
  });

  it('reports nothing for a buyer who came without a click', async () => {
    const { status } = await checkout();
    expect(status).toBe(200);
    expect(await mock.requests()).toHaveLength(0);
  });

  it('completes the checkout when Waypost is down', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    mock.server.use(http.post(url('/v1/conversions'), () => new HttpResponse(null, { status: 503, headers: { 'Retry-After': '0' } })));
    const { status } = await checkout(`waypost_cid=${CLICK_ID}`);
    expect(status).toBe(200);
    expect(await mock.requests()).toHaveLength(3);
    expect(logged).toHaveBeenCalledWith('Waypost did not record the conversion', expect.objectContaining({ name: 'WaypostAPIError', status: 503 }));
  });
});

describe('examples/manual-transaction.ts', () => {
  it('records a phone order against the publisher and offer', async () => {
    mock.server.use(http.post(url('/v1/transactions'), () => HttpResponse.json(fixtures.conversion, { status: 201 })));
    const { recordPhoneOrder } = await import('../examples/manual-transaction.js');
    await expect(recordPhoneOrder({ id: 'A-1001', total: '120.00', publisherId: 'pub_1', offerId: 'off_1' })).resolves.toEqual({
      conversionId: 'conv_1',
      status: 'approved',
      payout: '12.00 USD',
    });
    const [request] = await mock.requests();
    expect(JSON.parse(request!.body)).toEqual({
      publisherId: 'pub_1',
      offerId: 'off_1',
      amount: '120.00',
      currency: 'USD',
      transactionId: 'A-1001',
      note: 'phone order',
    });
  });
});

describe('examples/approve-pending.ts', () => {
  it('approves every pending conversion across pages', async () => {
    const pending = ['conv_1', 'conv_2', 'conv_3'].map((id) => ({ ...fixtures.conversion, id, status: 'pending' }));
    mock.server.use(
      http.get(url('/v1/conversions'), ({ request }) => {
        const cursor = new URL(request.url).searchParams.get('cursor');
        return HttpResponse.json(cursor ? { data: pending.slice(2), nextCursor: null } : { data: pending.slice(0, 2), nextCursor: 'conv_2' });
      }),
      http.patch(url('/v1/conversions/:id'), ({ params }) => HttpResponse.json({ ...fixtures.conversion, id: params.id })),
    );
    const { approvePending } = await import('../examples/approve-pending.js');
    await expect(approvePending('off_1')).resolves.toBe(3);
    const patched = (await mock.requests()).filter((request) => request.method === 'PATCH').map((request) => request.url.pathname);
    expect(patched).toEqual(['/v1/conversions/conv_1', '/v1/conversions/conv_2', '/v1/conversions/conv_3']);
  });
});

describe('examples/error-handling.ts', () => {
  const sale = { orderId: 'A-1001', clickId: CLICK_ID, amount: '49.90', currency: 'EUR' };

  it('reports a sale', async () => {
    mock.server.use(http.post(url('/v1/conversions'), () => HttpResponse.json(fixtures.conversionResult)));
    const { reportSale } = await import('../examples/error-handling.js');
    await expect(reportSale(sale)).resolves.toEqual({ outcome: 'accepted' });
  });

  it('names the bad field without sending anything', async () => {
    const { reportSale } = await import('../examples/error-handling.js');
    await expect(reportSale({ ...sale, amount: '49.999' })).resolves.toEqual({
      outcome: 'invalid',
      message: 'amount: has more than 2 decimal places, the most EUR allows',
      fields: ['amount'],
    });
    expect(await mock.requests()).toHaveLength(0);
  });

  it('asks to retry later once the SDK has given up', async () => {
    mock.server.use(
      http.post(url('/v1/conversions'), () =>
        HttpResponse.json({ error: { code: 'rate_limited', message: 'slow down' } }, { status: 429, headers: { 'Retry-After': '0', 'X-Request-Id': 'req_9' } }),
      ),
    );
    const { reportSale } = await import('../examples/error-handling.js');
    await expect(reportSale(sale)).resolves.toEqual({ outcome: 'retry later', requestId: 'req_9' });
  });

  it('rethrows a key problem', async () => {
    mock.server.use(http.post(url('/v1/conversions'), () => HttpResponse.json({ error: { code: 'unauthorized', message: 'bad key' } }, { status: 401 })));
    const { reportSale } = await import('../examples/error-handling.js');
    await expect(reportSale(sale)).rejects.toMatchObject({ name: 'WaypostAuthenticationError' });
  });
});

describe('examples/retries.ts', () => {
  it('sends its own idempotency key on every attempt', async () => {
    let attempts = 0;
    mock.server.use(
      http.post(url('/v1/conversions'), () =>
        ++attempts < 4
          ? new HttpResponse(null, { status: 503, headers: { 'Retry-After': '0' } })
          : HttpResponse.json({ status: 'duplicate', conversionId: 'conv_1' }),
      ),
    );
    const { reportRenewal } = await import('../examples/retries.js');
    const renewal = { subscriptionId: 'sub_1', period: '2026-11', clickId: CLICK_ID, price: '9.99' };
    await expect(reportRenewal(renewal)).resolves.toEqual({ status: 'duplicate', conversionId: 'conv_1' });
    const requests = await mock.requests();
    expect(requests.map((request) => request.headers.get('idempotency-key'))).toEqual(Array(4).fill('renewal-sub_1-2026-11'));
    expect(JSON.parse(requests[0]!.body)).toMatchObject({ transactionId: 'sub_1-2026-11', event: 'renewal' });
  });
});
