import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMaintenance } from '../src/engine/maintenance.js';
import { backends, startTestServer, type TestServer } from './support/harness.js';

const DAY = 86_400_000;

describe.each(backends())('time-driven conversion rules on %s', (backend) => {
  let server: TestServer;
  let publishers: string[];
  beforeAll(async () => {
    server = await startTestServer(backend);
    publishers = [];
    for (const name of ['Threshold A', 'Threshold B']) {
      publishers.push((await server.json('/v1/publishers', { method: 'POST', json: { name } })).body.id);
    }
  });
  afterAll(() => server.close());

  let counter = 0;
  const createOffer = async (json: Record<string, unknown>) => {
    counter += 1;
    return (await server.json('/v1/offers', { method: 'POST', json: { name: `Rules ${counter}`, url: 'https://example.com/?c={click_id}', ...json } })).body;
  };
  const convert = async (offer: { id: string; postbackToken: string }, publisherId: string, extra = '') => {
    const click = await server.request(`/c/${offer.id}?pub=${publisherId}`, { key: null });
    const clickId = /waypost_cid=([^;]+)/.exec(click.headers.get('set-cookie') ?? '')![1];
    return (await server.json(`/postback?click_id=${clickId}&token=${offer.postbackToken}${extra}`, { key: null })).body;
  };
  const conversion = async (id: string) => (await server.json(`/v1/conversions/${id}`)).body;

  it('approves pending conversions automatically once their hold has passed', async () => {
    server.clock.set('2026-03-01T12:00:00Z');
    const offer = await createOffer({ payout: { model: 'cpa', amount: '5' }, approval: { defaultStatus: 'pending', holdDays: 3 } });
    const held = await convert(offer, publishers[0]!);
    expect((await conversion(held.conversionId)).status).toBe('pending');
    server.clock.set('2026-03-04T11:59:59Z');
    await runMaintenance(server.context);
    expect((await conversion(held.conversionId)).status).toBe('pending');
    server.clock.set('2026-03-04T12:00:00Z');
    expect((await runMaintenance(server.context)).approved).toBeGreaterThanOrEqual(1);
    expect((await conversion(held.conversionId)).status).toBe('approved');
  });

  it('holds threshold payouts until the count is met, counts a rejection out, and releases them together', async () => {
    server.clock.set('2026-03-10T09:00:00Z');
    const offer = await createOffer({ payout: { model: 'cpa', amount: '4', threshold: { count: 3, period: 'day' } } });
    const first = await convert(offer, publishers[0]!);
    const second = await convert(offer, publishers[0]!);
    expect((await conversion(first.conversionId)).payoutState).toBe('accruing');
    // A rejection before release lowers the count: two more are needed now, not one.
    expect((await server.json(`/v1/conversions/${second.conversionId}`, { method: 'PATCH', json: { status: 'rejected', reason: 'fraud' } })).status).toBe(200);
    const third = await convert(offer, publishers[0]!);
    expect((await conversion(third.conversionId)).payoutState).toBe('accruing');
    const fourth = await convert(offer, publishers[0]!);
    expect((await conversion(fourth.conversionId)).payoutState).toBe('payable');
    expect((await conversion(first.conversionId)).payoutState).toBe('payable');
    expect((await conversion(third.conversionId)).payoutState).toBe('payable');
    const fifth = await convert(offer, publishers[0]!);
    expect((await conversion(fifth.conversionId)).payoutState).toBe('payable');
  });

  it('forfeits payouts still accruing when the period ends', async () => {
    server.clock.set('2026-03-20T22:00:00Z');
    const offer = await createOffer({ payout: { model: 'cpl', amount: '2', threshold: { count: 5, period: 'day' } }, cap: { timezone: 'America/New_York', daily: 1000 } });
    // 22:00 UTC is 18:00 in New York (EDT): the period ends at 04:00 UTC the next day.
    const lonely = await convert(offer, publishers[1]!);
    expect((await conversion(lonely.conversionId)).payoutState).toBe('accruing');
    server.clock.set('2026-03-21T03:59:00Z');
    await runMaintenance(server.context);
    expect((await conversion(lonely.conversionId)).payoutState).toBe('accruing');
    server.clock.set('2026-03-21T04:00:00Z');
    await runMaintenance(server.context);
    expect(await conversion(lonely.conversionId)).toMatchObject({ payoutState: 'forfeited', reason: 'threshold_not_met' });
  });

  it('gives a rejected conversion its place in the cap back', async () => {
    server.clock.set('2026-03-25T10:00:00Z');
    const offer = await createOffer({ payout: { model: 'cpa', amount: '1' }, cap: { total: 1 } });
    const first = await convert(offer, publishers[0]!);
    expect(first.status).toBe('accepted');
    expect((await convert(offer, publishers[0]!)).reason).toBe('cap_reached');
    await server.json(`/v1/conversions/${first.conversionId}`, { method: 'PATCH', json: { status: 'rejected', reason: 'refund' } });
    expect((await convert(offer, publishers[0]!)).status).toBe('accepted');
    const refunded = await server.json(`/v1/conversions/${first.conversionId}`, { method: 'PATCH', json: { status: 'approved' } });
    expect(refunded.status).toBe(409);
  });
});
