import type { Offer, Publisher } from '@waypost/schema';

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
