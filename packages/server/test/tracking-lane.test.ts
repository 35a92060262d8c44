import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from './support/harness.js';
import { createCampaign, toOffer, visit } from './support/campaigns.js';

/**
 * The tracking lane (src/http/lane.ts) answers the campaign links ahead of Express's router. These cases check that it
 * reads a request as Express does and runs the same per-request hooks, and that whatever it does not take reaches
 * Express unchanged.
 */
describe('the tracking lane', () => {
  let server: TestServer;
  let campaignId: string;
  let offerId: string;
  const logged: unknown[] = [];
  // The access log goes to standard output: kept here, out of the test run's output.
  const output = vi.spyOn(process.stdout, 'write');
  const accessLines = () => output.mock.calls.map(([chunk]) => String(chunk)).filter((line) => / HTTP\/1\.1" \d{3} /.test(line));

  beforeAll(async () => {
    output.mockImplementation(() => true);
    server = await startTestServer('sqlite', {
      env: { WAYPOST_TRUST_PROXY: 'loopback', WAYPOST_METRICS_TOKEN: 'lane-metrics-token-0123456789', WAYPOST_ACCESS_LOG: 'true' },
      log: (error) => logged.push(error),
    });
    offerId = (await server.createOffer({ url: 'https://shop.example/?c={click_id}&s1={sub1}' })).id;
    campaignId = (await createCampaign(server, { streams: [{ name: 'all', action: toOffer(offerId) }] })).id;
  });
  afterAll(async () => {
    output.mockRestore();
    await server.close();
  });

  const click = async (clickId: string | null) => (await server.store.clicks.get(clickId!))!;

  it("reads the visitor's address and protocol through a trusted proxy, as Express's trust proxy setting says", async () => {
    const proxied = await visit(server, campaignId, { headers: { 'x-forwarded-for': '203.0.113.9', 'x-forwarded-proto': 'https' } });
    expect(proxied.status).toBe(302);
    expect((await click(proxied.clickId)).ipPrefix).toBe('203.0.113.0/24');
    expect(proxied.headers.getSetCookie().every((cookie) => /; Secure/i.test(cookie))).toBe(true);

    // The offer link too.
    const offerLink = await server.request(`/c/${offerId}?sub1=x`, { key: null, headers: { 'x-forwarded-for': '203.0.113.77', 'x-forwarded-proto': 'https' } });
    expect(offerLink.status).toBe(302);
    const offerClick = /waypost_cid=([^;]+);.*; Secure/i.exec(offerLink.headers.getSetCookie().join('\n'))![1]!;
    expect((await click(offerClick)).ipPrefix).toBe('203.0.113.0/24');

    const direct = await visit(server, campaignId);
    expect((await click(direct.clickId)).ipPrefix).toBe('127.0.0.0/24');
    expect(direct.headers.getSetCookie().some((cookie) => /; Secure/i.test(cookie))).toBe(false);
  });

  it('parses the query as Express does: escapes decoded, a repeated name kept as a list, NUL dropped', async () => {
    const result = await visit(server, campaignId, { query: 'sub1=a%20b%2Bc&sub2=x&sub2=y&sub3=z%00z' });
    const stored = await click(result.clickId);
    expect(stored.sub1).toBe('a b+c');
    expect(stored.sub3).toBe('zz');
    expect(new URL(result.location!).searchParams.get('s1')).toBe('a b+c');
  });

  it('takes the path in any case and with a trailing slash, and answers HEAD without a body, as a bot', async () => {
    for (const path of [`/T/${campaignId}`, `/t/${campaignId}/`, `/t/${encodeURIComponent(campaignId)}`]) {
      const response = await server.request(path, { key: null, headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/124.0 Safari/537.36' } });
      expect(response.status, path).toBe(302);
    }
    const head = await server.request(`/t/${campaignId}`, { key: null, method: 'HEAD', headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/124.0 Safari/537.36' } });
    expect(head.status).toBe(302);
    expect(await head.text()).toBe('');
    const clickId = /waypost_cid=([^;]+)/.exec(head.headers.getSetCookie().join('\n'))![1]!;
    expect((await click(clickId)).device).toBe('bot');
  });

  it('leaves to Express what it does not take: other methods, deeper paths, malformed escapes', async () => {
    const post = await server.json(`/t/${campaignId}`, { key: null, method: 'POST' });
    expect(post.status).toBe(404);
    expect(post.body.error.code).toBe('not_found');
    expect((await server.json(`/t/${campaignId}/more`, { key: null })).body.error.code).toBe('not_found');
    // Express names no route for it: its 404, not the lane's page.
    expect((await server.json('/t/%E0%A4%A', { key: null })).body.error.code).toBe('not_found');
  });

  it('runs the per-request hooks: the request id, the metrics under the route name, the access log', async () => {
    const before = accessLines().length;
    const mine = await visit(server, campaignId, { query: 'tag=lane-hooks', headers: { 'x-request-id': 'lane-test-1', 'x-forwarded-for': '198.51.100.7' } });
    expect(mine.headers.get('x-request-id')).toBe('lane-test-1');
    expect((await visit(server, campaignId)).headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const lines = accessLines().slice(before);
    expect(lines).toHaveLength(2);
    // The network of the address the proxy settings give, the request line as sent.
    expect(lines[0]).toMatch(new RegExp(`^198\\.51\\.100\\.0 - - \\[.*\\] "GET /t/${campaignId}\\?tag=lane-hooks HTTP/1\\.1" 302 `));
    const metrics = await (await server.request('/metrics', { key: 'lane-metrics-token-0123456789' })).text();
    expect(metrics).toMatch(/waypost_http_requests_total\{method="GET",route="\/t\/:campaign",status="302"\} [1-9]/);
  });

  it('answers a failure with the JSON error and logs it, as the API does', async () => {
    const broken = await startTestServer('sqlite', { log: (error) => logged.push(error) });
    const before = logged.length;
    await broken.store.close();
    const response = await broken.json(`/t/${campaignId}`, { key: null });
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.body.error.code).toBe('internal_error');
    expect(logged.length).toBe(before + 1);
    await broken.close().catch(() => {});
  });
});
