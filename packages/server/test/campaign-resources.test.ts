import type { Campaign } from '@waypost/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UniqueViolationError } from '../src/storage/index.js';
import { backends, startTestServer, type TestServer } from './support/harness.js';

const at = '2026-03-01T12:00:00.000Z';

function campaignRecord(id: string, fields: Partial<Campaign> = {}): Campaign {
  return {
    id,
    name: `Campaign ${id}`,
    alias: null,
    status: 'active',
    trafficSourceId: null,
    currency: 'USD',
    timezone: 'UTC',
    cost: { model: 'none' },
    redirect: '302',
    rotation: 'position',
    uniquenessHours: 24,
    bindVisitors: false,
    directTracking: false,
    allowedOrigins: [],
    streams: [],
    notes: null,
    workspaceId: 'ws_first',
    archivedAt: null,
    createdAt: at,
    updatedAt: at,
    ...fields,
  };
}

describe.each(backends())('campaign storage on %s', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());

  it('finds a live campaign by id or by its alias in any case, and frees the alias when it is archived', async () => {
    const { store } = server;
    await store.campaigns.insert(campaignRecord('cmp_storage1', { alias: 'Summer-Sale' }));
    expect((await store.campaigns.getByIdOrAlias('cmp_storage1'))?.alias).toBe('Summer-Sale');
    expect((await store.campaigns.getByIdOrAlias('summer-SALE'))?.id).toBe('cmp_storage1');
    await expect(store.campaigns.insert(campaignRecord('cmp_storage2', { alias: 'SUMMER-sale' }))).rejects.toBeInstanceOf(UniqueViolationError);

    await store.campaigns.update(campaignRecord('cmp_storage1', { alias: 'Summer-Sale', archivedAt: at }));
    expect(await store.campaigns.getByIdOrAlias('summer-sale')).toBeUndefined();
    expect(await store.campaigns.getByIdOrAlias('cmp_storage1')).toBeUndefined();
    expect((await store.campaigns.get('cmp_storage1'))?.archivedAt).toBe(at);
    await store.campaigns.insert(campaignRecord('cmp_storage3', { alias: 'summer-sale' }));
    expect((await store.campaigns.getByIdOrAlias('Summer-Sale'))?.id).toBe('cmp_storage3');
  });

  it('knows which live campaigns name an offer, a lander, a traffic source or another campaign', async () => {
    const { store } = server;
    const flow = { type: 'flow' as const, landers: [{ landerId: 'lnd_used', weight: 100 }], offers: [{ offerId: 'off_used', weight: 100 }] };
    const stream = { id: 'str_a', name: 'A', type: 'regular' as const, status: 'active' as const, weight: 100, match: 'all' as const, filters: [] };
    await store.campaigns.insert(campaignRecord('cmp_refs1', { trafficSourceId: 'ts_used', streams: [{ ...stream, action: flow }] }));
    await store.campaigns.insert(campaignRecord('cmp_refs2', { streams: [{ ...stream, action: { type: 'campaign', campaignId: 'cmp_refs1' } }] }));
    expect(await store.campaigns.usedBy('offer', 'off_used', 10)).toEqual(['cmp_refs1']);
    expect(await store.campaigns.usedBy('lander', 'lnd_used', 10)).toEqual(['cmp_refs1']);
    expect(await store.campaigns.usedBy('trafficSource', 'ts_used', 10)).toEqual(['cmp_refs1']);
    expect(await store.campaigns.usedBy('campaign', 'cmp_refs1', 10)).toEqual(['cmp_refs2']);

    await store.campaigns.update(campaignRecord('cmp_refs1', { streams: [{ ...stream, action: { type: 'not_found' } }] }));
    expect(await store.campaigns.usedBy('offer', 'off_used', 10)).toEqual([]);
    await store.campaigns.update(campaignRecord('cmp_refs2', { archivedAt: at, streams: [{ ...stream, action: { type: 'campaign', campaignId: 'cmp_refs1' } }] }));
    expect(await store.campaigns.usedBy('campaign', 'cmp_refs1', 10)).toEqual([]);
  });
});
