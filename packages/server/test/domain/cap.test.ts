import type { Cap } from '@waypost/schema';
import { describe, expect, it } from 'vitest';
import { capDay, isCapReached, offerTimezone } from '../../src/domain/index.js';

describe('capDay', () => {
  it.each([
    { title: 'counts in the cap timezone: 23:30 in New York is still the 23-hour day', cap: { daily: 10, timezone: 'America/New_York' }, instant: '2026-03-09T03:30:00Z', key: '2026-03-08', start: '2026-03-08T05:00:00.000Z', end: '2026-03-09T04:00:00.000Z' },
    { title: 'counts the 25-hour day in the cap timezone', cap: { daily: 10, timezone: 'America/New_York' }, instant: '2026-11-02T04:30:00Z', key: '2026-11-01', start: '2026-11-01T04:00:00.000Z', end: '2026-11-02T05:00:00.000Z' },
    { title: 'falls back to the account timezone without a cap timezone', cap: { daily: 10 }, instant: '2026-03-09T03:30:00Z', key: '2026-03-09', start: '2026-03-09T00:00:00.000Z', end: '2026-03-10T00:00:00.000Z' },
    { title: 'falls back to the account timezone without a cap', cap: null, instant: '2026-03-09T03:30:00Z', key: '2026-03-09', start: '2026-03-09T00:00:00.000Z', end: '2026-03-10T00:00:00.000Z' },
  ])('$title', ({ cap, instant, key, start, end }) => {
    const day = capDay({ cap }, instant, 'UTC');
    expect({ key: day.key, start: day.start.toISOString(), end: day.end.toISOString() }).toEqual({ key, start, end });
  });

  it('uses the cap timezone as the offer timezone', () => {
    expect(offerTimezone({ cap: { total: 5, timezone: 'Europe/Berlin' } }, 'UTC')).toBe('Europe/Berlin');
    expect(offerTimezone({ cap: null }, 'Asia/Tokyo')).toBe('Asia/Tokyo');
  });
});

describe('isCapReached', () => {
  it.each<{ title: string; cap: Cap | null; today: number; total: number; reached: boolean }>([
    { title: 'lets a conversion under the daily cap through', cap: { daily: 3 }, today: 2, total: 50, reached: false },
    { title: 'stops the conversion that would pass the daily cap', cap: { daily: 3 }, today: 3, total: 50, reached: true },
    { title: 'stops the conversion that would pass the total cap', cap: { daily: 3, total: 10 }, today: 0, total: 10, reached: true },
    { title: 'lets everything through without a cap', cap: null, today: 1000, total: 1000, reached: false },
    { title: 'lets everything through with only a fallback offer', cap: { fallbackOfferId: 'offer-2' }, today: 1000, total: 1000, reached: false },
  ])('$title', ({ cap, today, total, reached }) => {
    expect(isCapReached(cap, { today, total })).toBe(reached);
  });
});
