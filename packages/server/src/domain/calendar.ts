import type { Threshold } from '@waypost/schema';

/**
 * Calendar days, weeks and months in IANA timezones, with nothing but Intl. Every "day" of Waypost (caps,
 * thresholds, reports) is a local calendar day: a DST day of 23 or 25 hours is still one day.
 * Dates are 'YYYY-MM-DD' strings; bounds are half-open, [start, end).
 */

/** A point in time: a Date, or an ISO 8601 string as stored rows carry it. */
export type Instant = Date | string;

export type Period = Threshold['period'];

export interface Bounds {
  /** First instant of the period. */
  start: Date;
  /** First instant after the period. */
  end: Date;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const WEEK_KEY = /^(\d{4})-W(\d{2})$/;
const MONTH_KEY = /^(\d{4})-(\d{2})$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    // h23, not the en-US default h12/h24 forms, so that midnight reads 00 and never 24.
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(ms: number, timeZone: string): WallClock {
  const wall: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatter(timeZone).formatToParts(ms)) {
    if (part.type in wall) wall[part.type as keyof WallClock] = Number(part.value);
  }
  return wall;
}

/** Milliseconds since the epoch of a wall-clock time read as UTC; setUTCFullYear keeps years 0–99 literal. */
function utcMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  return date.getTime();
}

/** The UTC offset of `timeZone` at `ms`, in milliseconds (New York in winter: −5 h). */
function offsetMs(ms: number, timeZone: string): number {
  const wall = wallClock(ms, timeZone);
  return utcMs(wall.year, wall.month, wall.day, wall.hour, wall.minute, wall.second) - Math.floor(ms / 1000) * 1000;
}

function toMs(instant: Instant): number {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`not a valid instant: ${String(instant)}`);
  return ms;
}

function formatDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function parseDate(date: string): { year: number; month: number; day: number } {
  const match = DATE.exec(date);
  const [year, month, day] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
  const parsed = new Date(utcMs(year, month, day));
  // Date rolls 2026-02-30 over into March; a real date survives the round trip.
  if (!match || parsed.getUTCMonth() + 1 !== month || parsed.getUTCDate() !== day) {
    throw new RangeError(`not a calendar date (YYYY-MM-DD): ${date}`);
  }
  return { year, month, day };
}

const QUARTER_HOUR = 15 * 60 * 1000;
const lastLocalDates = new Map<string, { quarter: number; date: string }>();

/** The calendar date, 'YYYY-MM-DD', of `instant` in `timeZone`. */
export function localDate(instant: Instant, timeZone: string): string {
  const ms = toMs(instant);
  // Every event of a quarter hour shares its date: UTC offsets in use are whole quarter hours, so local midnight
  // never falls inside one (the rollups rely on the same fact). Working it out per click and per postback, once
  // for the account's zone and once for the offer's, was measurable.
  const quarter = Math.floor(ms / QUARTER_HOUR);
  const last = lastLocalDates.get(timeZone);
  if (last?.quarter === quarter) return last.date;
  const wall = wallClock(ms, timeZone);
  const date = formatDate(wall.year, wall.month, wall.day);
  if (lastLocalDates.size >= 64) lastLocalDates.clear();
  lastLocalDates.set(timeZone, { quarter, date });
  return date;
}

/** `date` plus `days` calendar days (negative goes back). */
export function addDays(date: string, days: number): string {
  const { year, month, day } = parseDate(date);
  const next = new Date(utcMs(year, month, day) + days * DAY);
  return formatDate(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate());
}

/**
 * The first instant of `date` in `timeZone`: local midnight, or, where a DST jump skips midnight
 * (America/Santiago in September), the instant the clocks jump.
 */
export function startOfLocalDay(date: string, timeZone: string): Date {
  const { year, month, day } = parseDate(date);
  const wall = utcMs(year, month, day);
  // The offsets in force just before and just after: at most one transition falls within ±15 h of local midnight.
  const offsets = new Set([offsetMs(wall - 15 * HOUR, timeZone), offsetMs(wall, timeZone), offsetMs(wall + 15 * HOUR, timeZone)]);
  const candidates = [...offsets].map((offset) => wall - offset);
  const midnights = candidates.filter((ms) => offsetMs(ms, timeZone) === wall - ms);
  // A midnight that occurs twice (clocks fall back to 00:00) starts the day at its first occurrence.
  if (midnights.length > 0) return new Date(Math.min(...midnights));
  return new Date(firstInstantOf(date, Math.min(...candidates), Math.max(...candidates), timeZone));
}

/** Binary search, to the second, for the first instant in [low, high] whose local date is `date`. */
function firstInstantOf(date: string, low: number, high: number, timeZone: string): number {
  let before = Math.floor(low / 1000);
  let after = Math.ceil(high / 1000);
  while (after - before > 1) {
    const middle = Math.floor((before + after) / 2);
    if (localDate(new Date(middle * 1000), timeZone) >= date) after = middle;
    else before = middle;
  }
  return after * 1000;
}

const knownDayBounds = new Map<string, { start: number; end: number }>();

/** The instants that make up `date` in `timeZone`: 23, 24 or 25 hours. */
export function dayBounds(date: string, timeZone: string): Bounds {
  // Every conversion needs its cap day, and working it out takes several time-zone conversions; a day's bounds
  // never change, so they are remembered (a few hundred at most).
  const key = `${timeZone} ${date}`;
  let known = knownDayBounds.get(key);
  if (!known) {
    known = { start: startOfLocalDay(date, timeZone).getTime(), end: startOfLocalDay(addDays(date, 1), timeZone).getTime() };
    if (knownDayBounds.size >= 512) knownDayBounds.clear();
    knownDayBounds.set(key, known);
  }
  return { start: new Date(known.start), end: new Date(known.end) };
}

/** ISO 8601 week of a date: weeks start on Monday, week 1 holds the year's first Thursday. */
function isoWeekKey(date: string): string {
  const { year, month, day } = parseDate(date);
  const ms = utcMs(year, month, day);
  const weekday = (new Date(ms).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const thursday = new Date(ms + (3 - weekday) * DAY);
  const weekYear = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - utcMs(weekYear, 1, 1)) / (7 * DAY));
  return `${String(weekYear).padStart(4, '0')}-W${String(week).padStart(2, '0')}`;
}

/** The Monday that starts ISO week `week` of `weekYear`. */
function isoWeekMonday(weekYear: number, week: number): string {
  const january4 = utcMs(weekYear, 1, 4); // always in week 1
  const weekday = (new Date(january4).getUTCDay() + 6) % 7;
  const monday = new Date(january4 - weekday * DAY + (week - 1) * 7 * DAY);
  return formatDate(monday.getUTCFullYear(), monday.getUTCMonth() + 1, monday.getUTCDate());
}

/**
 * The key of the period that holds `instant` in `timeZone`: '2026-03-08' (day), '2026-W10' (ISO week, from
 * Monday), '2026-03' (month) or 'total'. Keys sort in time order within one kind.
 */
export function periodKey(instant: Instant, period: Period, timeZone: string): string {
  if (period === 'total') return 'total';
  const date = localDate(instant, timeZone);
  if (period === 'day') return date;
  if (period === 'week') return isoWeekKey(date);
  return date.slice(0, 7);
}

/** The instants of the period named by `key` (see periodKey); null for 'total', which has no bounds. */
export function periodBounds(key: string, timeZone: string): Bounds | null {
  if (key === 'total') return null;
  if (DATE.test(key)) return dayBounds(key, timeZone);
  const week = WEEK_KEY.exec(key);
  if (week) {
    const [weekYear, number] = [Number(week[1]), Number(week[2])];
    const monday = isoWeekMonday(weekYear, number);
    if (number < 1 || isoWeekKey(monday) !== key) throw new RangeError(`no such ISO week: ${key}`);
    return { start: startOfLocalDay(monday, timeZone), end: startOfLocalDay(addDays(monday, 7), timeZone) };
  }
  const month = MONTH_KEY.exec(key);
  if (month) {
    const first = `${key}-01`;
    const { year, month: number } = parseDate(first);
    const next = number === 12 ? formatDate(year + 1, 1, 1) : formatDate(year, number + 1, 1);
    return { start: startOfLocalDay(first, timeZone), end: startOfLocalDay(next, timeZone) };
  }
  throw new RangeError(`not a period key ('YYYY-MM-DD', 'YYYY-Www', 'YYYY-MM' or 'total'): ${key}`);
}
