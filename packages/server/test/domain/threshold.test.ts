import type { Conversion, Threshold } from '@waypost/schema';
import { describe, expect, it } from 'vitest';
import {
  admitToThreshold,
  forfeitedPayouts,
  offerTimezone,
  thresholdOutcome,
  thresholdPeriodState,
  type ThresholdEntry,
  type ThresholdOutcome,
} from '../../src/domain/index.js';

describe('thresholdOutcome', () => {
  const three: Threshold = { count: 3, period: 'day' };
  it.each<{ title: string; threshold: Threshold | null; count: number; released: boolean; kind?: Conversion['kind']; outcome: ThresholdOutcome }>([
    { title: 'keeps the first of three conversions accruing', threshold: three, count: 0, released: false, outcome: 'accruing' },
    { title: 'keeps the second of three conversions accruing', threshold: three, count: 1, released: false, outcome: 'accruing' },
    { title: 'releases the period on the third of three', threshold: three, count: 2, released: false, outcome: 'release' },
    { title: 'pays a conversion at once in a released period', threshold: three, count: 3, released: true, outcome: 'payable' },
    { title: 'releases at once with a count of 1', threshold: { count: 1, period: 'total' }, count: 0, released: false, outcome: 'release' },
    { title: 'releases on the next conversion when the count was lowered mid-period', threshold: three, count: 5, released: false, outcome: 'release' },
    { title: 'keeps a rebill accruing until the period is released', threshold: three, count: 2, released: false, kind: 'rebill', outcome: 'accruing' },
    { title: 'pays a rebill at once in a released period', threshold: three, count: 3, released: true, kind: 'rebill', outcome: 'payable' },
    { title: 'pays at once without a threshold', threshold: null, count: 0, released: false, outcome: 'payable' },
  ])('$title', ({ threshold, count, released, kind, outcome }) => {
    expect(thresholdOutcome(threshold, { count, released }, kind)).toBe(outcome);
  });
});

/** Replays the conversions of one period through the threshold, as the server would, one transaction each. */
function replay(threshold: Threshold, events: ({ add: string } | { reject: string })[]) {
  const entries: ThresholdEntry[] = [];
  const outcomes: Record<string, ThresholdOutcome> = {};
  for (const event of events) {
    if ('reject' in event) {
      const entry = entries.find((candidate) => candidate.id === event.reject)!;
      entry.status = 'rejected';
      continue;
    }
    const admission = admitToThreshold(threshold, entries);
    for (const entry of entries) if (admission.release.includes(entry.id)) entry.payoutState = 'payable';
    entries.push({ id: event.add, status: 'pending', payoutState: admission.payoutState });
    outcomes[event.add] = admission.outcome;
  }
  return { outcomes, entries };
}

describe('admitToThreshold', () => {
  const three: Threshold = { count: 3, period: 'week' };

  it('releases every accruing payout of the period on the N-th conversion', () => {
    const { outcomes, entries } = replay(three, [{ add: 'c1' }, { add: 'c2' }, { add: 'c3' }, { add: 'c4' }]);
    expect(outcomes).toEqual({ c1: 'accruing', c2: 'accruing', c3: 'release', c4: 'payable' });
    expect(entries.map((entry) => entry.payoutState)).toEqual(['payable', 'payable', 'payable', 'payable']);
  });

  it('counts down on a rejection before release, so the release comes one conversion later', () => {
    const { outcomes, entries } = replay(three, [{ add: 'c1' }, { add: 'c2' }, { reject: 'c2' }, { add: 'c3' }, { add: 'c4' }, { add: 'c5' }]);
    expect(outcomes).toEqual({ c1: 'accruing', c2: 'accruing', c3: 'accruing', c4: 'release', c5: 'payable' });
    // The rejected conversion is not released: it owes nothing.
    expect(Object.fromEntries(entries.map((entry) => [entry.id, entry.payoutState]))).toEqual({
      c1: 'payable',
      c2: 'accruing',
      c3: 'payable',
      c4: 'payable',
      c5: 'payable',
    });
  });

  it('keeps a period released after a rejection that follows the release', () => {
    const { outcomes } = replay(three, [{ add: 'c1' }, { add: 'c2' }, { add: 'c3' }, { reject: 'c2' }, { add: 'c4' }]);
    expect(outcomes.c4).toBe('payable');
  });

  it('does not count rebills towards the threshold', () => {
    const entries: ThresholdEntry[] = [
      { id: 'c1', status: 'approved', payoutState: 'accruing' },
      { id: 'r1', status: 'approved', payoutState: 'accruing', kind: 'rebill' },
    ];
    expect(thresholdPeriodState(entries)).toEqual({ count: 1, released: false });
    expect(admitToThreshold(three, entries)).toEqual({ outcome: 'accruing', payoutState: 'accruing', release: [] });
  });

  it('releases accruing rebills together with the conversions', () => {
    const entries: ThresholdEntry[] = [
      { id: 'c1', status: 'approved', payoutState: 'accruing' },
      { id: 'r1', status: 'approved', payoutState: 'accruing', kind: 'rebill' },
      { id: 'c2', status: 'pending', payoutState: 'accruing' },
    ];
    expect(admitToThreshold(three, entries)).toEqual({ outcome: 'release', payoutState: 'payable', release: ['c1', 'r1', 'c2'] });
  });

  it('pays at once on an offer without a threshold', () => {
    expect(admitToThreshold(undefined, [])).toEqual({ outcome: 'payable', payoutState: 'payable', release: [] });
  });
});

describe('forfeitedPayouts', () => {
  const accountTimezone = 'UTC';
  const timeZone = offerTimezone({ cap: { daily: 100, timezone: 'America/New_York' } }, accountTimezone);
  const entries = [
    // 00:30 EST on the 23-hour day 2026-03-08.
    { id: 'early', status: 'approved', payoutState: 'accruing', createdAt: '2026-03-08T05:30:00Z' },
    // 23:30 EDT, still 2026-03-08 in New York but already 2026-03-09 in UTC.
    { id: 'late', status: 'pending', payoutState: 'accruing', createdAt: '2026-03-09T03:30:00Z' },
    { id: 'rejected', status: 'rejected', payoutState: 'accruing', createdAt: '2026-03-08T12:00:00Z' },
    { id: 'released', status: 'approved', payoutState: 'payable', createdAt: '2026-03-08T12:00:00Z' },
    // 00:30 EDT on 2026-03-09.
    { id: 'next-day', status: 'approved', payoutState: 'accruing', createdAt: '2026-03-09T04:30:00Z' },
  ] satisfies (ThresholdEntry & { createdAt: string })[];

  it.each([
    { title: 'forfeits nothing before the 23-hour day ends in the offer timezone', period: 'day', now: '2026-03-09T03:59:59Z', ids: [] },
    { title: 'forfeits the accruing payouts of the day at its local end', period: 'day', now: '2026-03-09T04:00:00Z', ids: ['early', 'late'] },
    { title: 'forfeits the next day at its own end', period: 'day', now: '2026-03-10T04:00:00Z', ids: ['early', 'late', 'next-day'] },
    { title: 'forfeits nothing before a week that springs forward ends', period: 'week', now: '2026-03-09T03:59:59Z', ids: [] },
    { title: 'forfeits the week at local midnight between Sunday and Monday', period: 'week', now: '2026-03-09T04:00:00Z', ids: ['early', 'late'] },
    { title: 'forfeits the month at its local end', period: 'month', now: '2026-04-01T04:00:00Z', ids: ['early', 'late', 'next-day'] },
    { title: 'never forfeits a total period', period: 'total', now: '2099-01-01T00:00:00Z', ids: [] },
  ] as const)('$title', ({ period, now, ids }) => {
    const forfeited = forfeitedPayouts({ count: 5, period }, entries, new Date(now), timeZone);
    expect(forfeited).toEqual(ids.map((id) => ({ id, payoutState: 'forfeited', reason: 'threshold_not_met' })));
  });

  it('uses the given timezone: in UTC the late conversion belongs to the next day', () => {
    const forfeited = forfeitedPayouts({ count: 5, period: 'day' }, entries, new Date('2026-03-09T00:00:00Z'), accountTimezone);
    expect(forfeited.map((payout) => payout.id)).toEqual(['early']);
  });

  it('forfeits nothing on an offer without a threshold', () => {
    expect(forfeitedPayouts(undefined, entries, new Date('2099-01-01T00:00:00Z'), timeZone)).toEqual([]);
  });
});
