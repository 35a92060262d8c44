import type { Offer, Publisher } from '@waypost/schema';
import { FIRST_WORKSPACE_ID } from '../../src/storage/migrations.js';
import type { ClickRecord, ConversionRecord } from '../../src/storage/store.js';

let sequence = 0;
/** Ids that sort in creation order, as the server's do. */
export function testId(prefix: string): string {
  sequence += 1;
  return `${prefix}${String(Date.now()).padStart(14, '0')}${String(sequence).padStart(6, '0')}`;
}

export function offerRecord(overrides: Partial<Offer> = {}): Offer {
  const now = new Date().toISOString();
  return {
    id: testId('off_'),
    name: `Offer ${sequence}`,
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
    email: null,
    visibility: 'public',
    publisherIds: [],
    keywords: null,
    archive: null,
    workspaceId: FIRST_WORKSPACE_ID,
    postbackToken: 'token-1234567890',
    archivedAt: null,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

export function publisherRecord(overrides: Partial<Publisher> = {}): Publisher {
  const now = new Date().toISOString();
  return {
    id: testId('pub_'),
    name: `Publisher ${sequence}`,
    email: 'pub@example.com',
    status: 'active',
    postbackUrl: null,
    postbackSecret: null,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

/** A stored conversion: approved, on a click, paying 5.00 USD at once. */
export function conversionRecord(overrides: Partial<ConversionRecord> = {}): ConversionRecord {
  return {
    id: testId('cv_'),
    offerId: 'off_1',
    publisherId: 'pub_1',
    clickId: 'click_1',
    couponCode: null,
    transactionId: null,
    event: null,
    status: 'approved',
    reason: null,
    kind: 'conversion',
    source: 'postback',
    amount: 4990,
    currency: 'USD',
    payout: 500,
    revenue: 800,
    offerCurrency: 'USD',
    fxRate: null,
    payoutAccount: 500,
    revenueAccount: 800,
    payoutState: 'payable',
    thresholdPeriod: null,
    capDay: '2026-03-01',
    counted: true,
    country: 'US',
    sub1: 'a',
    sub2: null,
    sub3: null,
    sub4: null,
    sub5: null,
    note: null,
    paymentId: null,
    awaitingFx: null,
    reportedPayout: null,
    clickAt: null,
    device: null,
    amountAccount: 4990,
    createdAt: new Date('2026-03-01T10:00:00Z'),
    updatedAt: new Date('2026-03-01T10:00:00Z'),
    ...overrides,
  };
}

/** A stored click: accepted, by redirect, with one ad click id. */
export function clickRecord(overrides: Partial<ClickRecord> = {}): ClickRecord {
  return {
    id: testId('ck_'),
    offerId: 'off_1',
    requestedOfferId: null,
    publisherId: 'pub_1',
    sub1: 'a',
    sub2: null,
    sub3: null,
    sub4: null,
    sub5: null,
    source: 'redirect',
    country: 'US',
    device: 'desktop',
    referrer: 'https://news.example/',
    landingUrl: null,
    adClickIds: { gclid: 'G-1' },
    ipPrefix: '203.0.113.0/24',
    status: 'accepted',
    reason: null,
    payout: 0,
    revenue: 0,
    createdAt: new Date('2026-03-01T10:00:00Z'),
    ...overrides,
  };
}
