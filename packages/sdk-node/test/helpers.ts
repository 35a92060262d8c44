import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { Waypost, type WaypostOptions } from '../src/index.js';

/** The mocked Waypost server. Requests to any other host (a test's own local server) pass through. */
export const BASE_URL = 'https://waypost.test';
export const API_KEY = 'wp_sk_test_0123456789';

export interface Recorded {
  method: string;
  url: URL;
  headers: Headers;
  body: string;
}

/**
 * Starts msw for the calling test file and records every request that reached the mocked server, so that a
 * test can assert what was sent, how often, and that nothing was sent at all.
 */
export function mockWaypost() {
  const server = setupServer();
  // Recorded in arrival order; each body is read from a clone, since the handler reads the original.
  const seen: Promise<Recorded>[] = [];
  server.events.on('request:start', ({ request }) => {
    const url = new URL(request.url);
    if (url.origin !== BASE_URL) return;
    seen.push(request.clone().text().then((body) => ({ method: request.method, url, headers: request.headers, body })));
  });
  beforeAll(() =>
    server.listen({
      onUnhandledRequest(request, print) {
        if (new URL(request.url).origin === BASE_URL) print.error();
      },
    }),
  );
  beforeEach(() => {
    seen.length = 0;
  });
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return {
    server,
    /** Every request the mocked server saw in this test, in order. */
    requests(): Promise<Recorded[]> {
      return Promise.all(seen);
    },
  };
}

export function client(options: Partial<WaypostOptions> = {}): Waypost {
  return new Waypost({ apiKey: API_KEY, baseUrl: BASE_URL, ...options });
}

export const url = (path: string) => `${BASE_URL}${path}`;

/** Fixtures that satisfy the response schemas. */
export const fixtures = {
  conversionResult: { status: 'accepted', conversionId: 'conv_1' },
  conversion: {
    id: 'conv_1',
    offerId: 'off_1',
    publisherId: 'pub_1',
    clickId: null,
    couponCode: null,
    transactionId: 'A-1001',
    event: null,
    status: 'approved',
    reason: null,
    kind: 'conversion',
    source: 'manual',
    amount: '120.00',
    currency: 'USD',
    payout: '12.00',
    revenue: '0.00',
    offerCurrency: 'USD',
    fxRate: null,
    awaitingFxRate: null,
    payoutState: 'payable',
    country: null,
    sub1: null,
    sub2: null,
    sub3: null,
    sub4: null,
    sub5: null,
    note: 'phone order',
    paymentId: null,
    createdAt: '2026-11-21T10:00:00.000Z',
    updatedAt: '2026-11-21T10:00:00.000Z',
  },
  offer: {
    id: 'off_1',
    name: 'Solar leads',
    url: 'https://shop.example.com/?cid={click_id}',
    status: 'active',
    expiresAt: null,
    leadType: 'Solar',
    currency: 'USD',
    payout: { model: 'cpa', mode: 'fixed', amount: '10.00' },
    revenue: null,
    duplicates: 'ignore',
    approval: { defaultStatus: 'approved' },
    cap: null,
    affiliateNetworkId: null,
    appendClickId: false,
    staticUrl: null,
    countries: [],
    group: null,
    tags: [],
    notes: null,
    directTracking: false,
    allowedOrigins: [],
    postbackIpAllowlist: [],
    postbackToken: 'tok_0123456789',
    email: null,
    visibility: 'public',
    publisherIds: [],
    keywords: null,
    archive: null,
    workspaceId: 'ws_first',
    archivedAt: null,
    createdAt: '2026-11-21T10:00:00.000Z',
    updatedAt: '2026-11-21T10:00:00.000Z',
  },
  publisher: {
    id: 'pub_1',
    name: 'Deal Hunters',
    email: 'team@dealhunters.example',
    status: 'active',
    postbackUrl: null,
    postbackSecret: null,
    createdAt: '2026-11-21T10:00:00.000Z',
    updatedAt: '2026-11-21T10:00:00.000Z',
  },
  balance: { publisherId: 'pub_1', currency: 'USD', accruing: '0.00', pending: '5.00', approved: '12.00', paid: '100.00' },
  links: {
    offerId: 'off_1',
    publisherId: 'pub_1',
    trackingUrl: 'https://waypost.test/c/off_1?pub=pub_1',
    postbackUrl: 'https://waypost.test/postback?click_id={click_id}&token=tok',
    pixelUrl: 'https://waypost.test/pixel?offer=off_1',
    impressionUrl: 'https://waypost.test/i/off_1?pub=pub_1',
    landerSnippet: '<script async src="https://waypost.test/waypost.js"></script>',
    directTrackingSnippet: '<script async src="https://waypost.test/waypost.js" data-offer="off_1"></script>',
    directTrackingSnippetUnavailable: null,
    conversionSnippet: '<script async src="https://waypost.test/waypost.js" data-convert></script>',
  },
  click: {
    id: 'clk_0123456789abcdef',
    offerId: 'off_1',
    publisherId: 'pub_1',
    sub1: null,
    sub2: null,
    sub3: null,
    sub4: null,
    sub5: null,
    source: 'redirect',
    country: 'US',
    device: 'desktop',
    referrer: null,
    landingUrl: null,
    adClickIds: {},
    ipPrefix: '203.0.113.0/24',
    status: 'accepted',
    reason: null,
    // Not a campaign visit: the campaign side of the click is empty.
    campaignId: null,
    streamId: null,
    landerId: null,
    trafficSourceId: null,
    externalId: null,
    creativeId: null,
    keyword: null,
    os: null,
    browser: null,
    language: null,
    isBot: null,
    isUnique: null,
    isUniqueStream: null,
    cost: null,
    landerClickedAt: null,
    createdAt: '2026-11-21T10:00:00.000Z',
  },
  payment: {
    id: 'pay_1',
    publisherId: 'pub_1',
    status: 'pending',
    total: '112.00',
    currency: 'USD',
    conversionCount: 9,
    adjustmentCount: 1,
    adjustmentTotal: '-8.00',
    createdAt: '2026-11-21T10:00:00.000Z',
    approvedAt: null,
  },
  paymentItem: { paymentId: 'pay_1', conversionId: 'conv_1', kind: 'payout', amount: '12.00', createdAt: '2026-11-21T10:00:00.000Z' },
  promoCodeRequest: {
    id: 'pcr_1',
    offerId: 'off_1',
    publisherId: 'pub_1',
    platform: 'YouTube',
    status: 'moderation',
    code: null,
    reason: null,
    decidedAt: null,
    createdAt: '2026-11-21T10:00:00.000Z',
  },
  promoCode: { id: 'pc_1', code: 'DEALS10', offerId: 'off_1', publisherId: 'pub_1', createdAt: '2026-11-21T10:00:00.000Z' },
  report: {
    currency: 'USD',
    timezone: 'UTC',
    rows: [],
    totals: {
      clicks: 0,
      impressions: 0,
      conversions: { total: 0, approved: 0, pending: 0, rejected: 0, clickless: 0 },
      rebills: 0,
      revenue: '0.00',
      payout: '0.00',
      profit: '0.00',
      sales: '0.00',
      cr: '0.00',
      epc: '0.00',
      visits: 0,
      uniqueVisits: 0,
      bots: 0,
      landerClicks: 0,
      ctr: '0.00',
      cost: '0.00',
      roi: null,
    },
  },
};

/** A click id as the server makes them: URL-safe, 30 characters. */
export const CLICK_ID = '01jd4x7k2m9q8w3e5r6t7y8u9i0pab';
