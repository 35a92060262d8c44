import { describe, expect, it } from 'vitest';
import { addDays, dayBounds, localDate, periodBounds, periodKey, startOfLocalDay } from '../../src/domain/index.js';

const NEW_YORK = 'America/New_York';
const HOUR = 3_600_000;

describe('localDate', () => {
  it.each([
    { title: 'puts the last second before a 23-hour day on the previous date', instant: '2026-03-08T04:59:59Z', tz: NEW_YORK, date: '2026-03-07' },
    { title: 'starts the 23-hour day at 05:00 UTC (EST midnight)', instant: '2026-03-08T05:00:00Z', tz: NEW_YORK, date: '2026-03-08' },
    { title: 'keeps the 23-hour day until 04:00 UTC (EDT midnight)', instant: '2026-03-09T03:59:59Z', tz: NEW_YORK, date: '2026-03-08' },
    { title: 'starts the next day at EDT midnight', instant: '2026-03-09T04:00:00Z', tz: NEW_YORK, date: '2026-03-09' },
    { title: 'starts the 25-hour day at 04:00 UTC (EDT midnight)', instant: '2026-11-01T04:00:00Z', tz: NEW_YORK, date: '2026-11-01' },
    { title: 'puts the second before it on the previous date', instant: '2026-11-01T03:59:59Z', tz: NEW_YORK, date: '2026-10-31' },
    { title: 'keeps the 25-hour day until 05:00 UTC (EST midnight)', instant: '2026-11-02T04:59:59Z', tz: NEW_YORK, date: '2026-11-01' },
    { title: 'starts the day after at EST midnight', instant: '2026-11-02T05:00:00Z', tz: NEW_YORK, date: '2026-11-02' },
    { title: 'follows a half-hour offset', instant: '2026-03-07T18:30:00Z', tz: 'Asia/Kolkata', date: '2026-03-08' },
    { title: 'reads UTC as UTC', instant: '2026-03-07T23:59:59.999Z', tz: 'UTC', date: '2026-03-07' },
    { title: 'accepts a Date as well as a string', instant: new Date('2026-03-08T05:00:00Z'), tz: NEW_YORK, date: '2026-03-08' },
  ])('$title', ({ instant, tz, date }) => {
    expect(localDate(instant, tz)).toBe(date);
  });
});

describe('startOfLocalDay', () => {
  it.each([
    { title: 'makes the spring-forward day in New York 23 hours long', date: '2026-03-08', tz: NEW_YORK, start: '2026-03-08T05:00:00.000Z', hours: 23 },
    { title: 'makes the fall-back day in New York 25 hours long', date: '2026-11-01', tz: NEW_YORK, start: '2026-11-01T04:00:00.000Z', hours: 25 },
    { title: 'makes an ordinary New York day 24 hours long', date: '2026-03-09', tz: NEW_YORK, start: '2026-03-09T04:00:00.000Z', hours: 24 },
    { title: 'makes the spring-forward day in Berlin 23 hours long', date: '2026-03-29', tz: 'Europe/Berlin', start: '2026-03-28T23:00:00.000Z', hours: 23 },
    { title: 'handles a half-hour DST shift (Lord Howe, 23.5 hours)', date: '2026-10-04', tz: 'Australia/Lord_Howe', start: '2026-10-03T13:30:00.000Z', hours: 23.5 },
    { title: 'starts a day whose midnight is skipped when the clocks jump (Santiago)', date: '2026-09-06', tz: 'America/Santiago', start: '2026-09-06T04:00:00.000Z', hours: 23 },
    { title: 'ends the day before a skipped midnight at the jump', date: '2026-09-05', tz: 'America/Santiago', start: '2026-09-05T04:00:00.000Z', hours: 24 },
    { title: 'makes the day before a fall-back at midnight 25 hours long (Santiago)', date: '2026-04-04', tz: 'America/Santiago', start: '2026-04-04T03:00:00.000Z', hours: 25 },
    { title: 'starts a UTC day at UTC midnight', date: '2026-01-01', tz: 'UTC', start: '2026-01-01T00:00:00.000Z', hours: 24 },
  ])('$title', ({ date, tz, start, hours }) => {
    expect(startOfLocalDay(date, tz).toISOString()).toBe(start);
    expect(startOfLocalDay(addDays(date, 1), tz).getTime() - startOfLocalDay(date, tz).getTime()).toBe(hours * HOUR);
    expect(dayBounds(date, tz)).toEqual({ start: startOfLocalDay(date, tz), end: startOfLocalDay(addDays(date, 1), tz) });
  });

  it.each(['2026-02-30', '2026-13-01', '26-03-08', 'yesterday'])('refuses %s, which is not a calendar date', (date) => {
    expect(() => startOfLocalDay(date, NEW_YORK)).toThrow(RangeError);
  });
});

describe('addDays', () => {
  it.each([
    { date: '2026-02-28', days: 1, expected: '2026-03-01' },
    { date: '2028-02-28', days: 1, expected: '2028-02-29' },
    { date: '2026-01-01', days: -1, expected: '2025-12-31' },
    { date: '2026-03-02', days: 7, expected: '2026-03-09' },
  ])('takes $date plus $days days to $expected', ({ date, days, expected }) => {
    expect(addDays(date, days)).toBe(expected);
  });
});

describe('periodKey', () => {
  it.each([
    { title: 'keys a day by its local date', instant: '2026-03-09T03:59:59Z', period: 'day', key: '2026-03-08' },
    { title: 'keys the Sunday that ends a DST week into that week', instant: '2026-03-09T03:59:59Z', period: 'week', key: '2026-W10' },
    { title: 'keys the Monday after into the next week', instant: '2026-03-09T04:00:00Z', period: 'week', key: '2026-W11' },
    { title: 'keys a Monday at local midnight into its own week', instant: '2026-03-02T05:00:00Z', period: 'week', key: '2026-W10' },
    { title: 'keys the last days of December into week 1 of the next ISO year', instant: '2025-12-29T12:00:00Z', period: 'week', key: '2026-W01' },
    { title: 'keys the first days of January into week 53 of a long ISO year', instant: '2027-01-01T12:00:00Z', period: 'week', key: '2026-W53' },
    { title: 'keys a month by its local month', instant: '2026-04-01T03:59:59Z', period: 'month', key: '2026-03' },
    { title: 'keys every instant into one total period', instant: '2026-04-01T03:59:59Z', period: 'total', key: 'total' },
  ] as const)('$title', ({ instant, period, key }) => {
    expect(periodKey(instant, period, NEW_YORK)).toBe(key);
  });
});

describe('periodBounds', () => {
  it.each([
    { title: 'bounds the 23-hour day', key: '2026-03-08', start: '2026-03-08T05:00:00.000Z', end: '2026-03-09T04:00:00.000Z', hours: 23 },
    { title: 'bounds a week that springs forward (167 hours)', key: '2026-W10', start: '2026-03-02T05:00:00.000Z', end: '2026-03-09T04:00:00.000Z', hours: 167 },
    { title: 'bounds a week that falls back (169 hours)', key: '2026-W44', start: '2026-10-26T04:00:00.000Z', end: '2026-11-02T05:00:00.000Z', hours: 169 },
    { title: 'bounds week 53', key: '2026-W53', start: '2026-12-28T05:00:00.000Z', end: '2027-01-04T05:00:00.000Z', hours: 168 },
    { title: 'bounds a month with a DST change', key: '2026-03', start: '2026-03-01T05:00:00.000Z', end: '2026-04-01T04:00:00.000Z', hours: 31 * 24 - 1 },
    { title: 'bounds December into the next year', key: '2026-12', start: '2026-12-01T05:00:00.000Z', end: '2027-01-01T05:00:00.000Z', hours: 31 * 24 },
  ])('$title', ({ key, start, end, hours }) => {
    const bounds = periodBounds(key, NEW_YORK);
    expect({ start: bounds?.start.toISOString(), end: bounds?.end.toISOString() }).toEqual({ start, end });
    expect(bounds!.end.getTime() - bounds!.start.getTime()).toBe(hours * HOUR);
  });

  it('gives no bounds to the total period', () => {
    expect(periodBounds('total', NEW_YORK)).toBeNull();
  });

  it('holds every instant whose key it is', () => {
    for (const instant of ['2026-03-02T05:00:00Z', '2026-03-08T06:59:59Z', '2026-03-09T03:59:59Z']) {
      const bounds = periodBounds(periodKey(instant, 'week', NEW_YORK), NEW_YORK)!;
      expect(bounds.start.getTime()).toBeLessThanOrEqual(Date.parse(instant));
      expect(bounds.end.getTime()).toBeGreaterThan(Date.parse(instant));
    }
  });

  it.each(['2025-W53', '2026-W00', '2026-13', 'week-10', ''])('refuses %j, which is not a period key', (key) => {
    expect(() => periodBounds(key, NEW_YORK)).toThrow(RangeError);
  });
});
