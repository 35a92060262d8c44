import { BlockList, isIP } from 'node:net';

/**
 * Stream filters (README, Campaigns): pure functions over what a visit is known by. A filter is compiled once per
 * campaign version and then run on every visit, so the work that does not depend on the visit (IP ranges, domain
 * sets) is done at compile time.
 */

export const FILTER_TYPES = ['country', 'device', 'os', 'browser', 'language', 'ip', 'referrer', 'param', 'schedule', 'unique', 'bot'] as const;
export type FilterType = (typeof FILTER_TYPES)[number];

export interface ScheduleWindow {
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  days: readonly number[];
  /** "HH:MM", inclusive. */
  from: string;
  /** "HH:MM", exclusive; earlier than `from` for a window that runs past midnight. */
  to: string;
}

export interface StreamFilter {
  type: FilterType;
  /** `allow` keeps visits whose value is in `values`; `deny` keeps the others. */
  mode: 'allow' | 'deny';
  values: readonly unknown[];
}

/** What a filter may read of a visit. */
export interface VisitFacts {
  country: string | null;
  device: string;
  os: string | null;
  browser: string | null;
  /** Primary subtag of the first `Accept-Language` entry, lower case. */
  language: string | null;
  /** The visitor's full address; filters read it, storage never keeps it. */
  ip: string | null;
  referrer: string | null;
  /** The campaign link's query parameters. */
  params: Readonly<Record<string, unknown>>;
  at: Date;
  /** The campaign's timezone, for `schedule`. */
  timezone: string;
  isUnique: boolean;
  isBot: boolean;
}

export type VisitTest = (visit: VisitFacts) => boolean;

const lower = (value: unknown) => String(value).trim().toLowerCase();

/** The primary language subtag of an `Accept-Language` header's first entry (`pt-BR,pt;q=0.9` → `pt`), or null. */
export function primaryLanguage(header: string | undefined): string | null {
  const first = header?.split(',')[0]?.split(';')[0]?.trim() ?? '';
  const primary = first.split(/[-_]/)[0]!.toLowerCase();
  return /^[a-z]{2,8}$/.test(primary) ? primary : null;
}

/** A referrer's host name, lower case and without a trailing dot; '' when there is none; null when it is no URL. */
function referrerHost(referrer: string | null): string | null {
  if (!referrer || referrer.trim() === '') return '';
  try {
    return new URL(referrer).hostname.toLowerCase().replace(/\.$/, '');
  } catch {
    return null;
  }
}

/** A referrer filter value as a bare domain: a pasted URL or `*.` prefix is cut down to its host. */
function domainOf(value: unknown): string {
  let text = lower(value);
  if (text === '') return '';
  if (text.includes('://')) {
    try {
      text = new URL(text).hostname;
    } catch {
      // Left as typed: it then matches nothing, which is what a value that is no domain should do.
    }
  }
  return text.replace(/^\*\./, '').replace(/\.$/, '');
}

function referrerTest(values: readonly unknown[]): VisitTest {
  const domains = new Set(values.map(domainOf));
  return (visit) => {
    const host = referrerHost(visit.referrer);
    if (host === null) return false;
    if (host === '') return domains.has('');
    // The host and each of its parent domains: `m.news.example.com` matches `example.com`.
    for (let at = 0; at >= 0; at = host.indexOf('.', at) + 1 || -1) {
      if (domains.has(host.slice(at))) return true;
    }
    return false;
  };
}

/** A mapped IPv4 address (`::ffff:1.2.3.4`) is checked as IPv4, as Express often hands it over that way. */
function plainIp(ip: string): { address: string; family: 'ipv4' | 'ipv6' } | null {
  const bare = ip.trim().replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(bare);
  const address = mapped ? mapped[1]! : bare;
  const version = isIP(address);
  return version === 4 ? { address, family: 'ipv4' } : version === 6 ? { address, family: 'ipv6' } : null;
}

/** A dotted IPv4 address as an unsigned 32-bit number. */
function ipv4Number(address: string): number {
  let value = 0;
  for (const part of address.split('.')) value = value * 256 + Number(part);
  return value;
}

function ipTest(values: readonly unknown[]): VisitTest {
  // Node's BlockList knows every rule, and matches IPv4 visitors against IPv6 rules of the mapped range too. IPv4
  // rules are also kept as numbers: what nearly every visit is checked against, without the BlockList's per-check cost.
  const list = new BlockList();
  const ipv4: { network: number; mask: number }[] = [];
  let ipv6Rules = false;
  for (const value of values) {
    const [text = '', prefixText, ...rest] = String(value).trim().split('/');
    const parsed = plainIp(text);
    if (!parsed || rest.length > 0) continue;
    const prefix = prefixText === undefined ? (parsed.family === 'ipv4' ? 32 : 128) : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : -1;
    if (prefix < 0 || prefix > (parsed.family === 'ipv4' ? 32 : 128)) continue;
    list.addSubnet(parsed.address, prefix, parsed.family);
    if (parsed.family === 'ipv6') ipv6Rules = true;
    else {
      const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
      ipv4.push({ network: (ipv4Number(parsed.address) & mask) >>> 0, mask });
    }
  }
  return (visit) => {
    const parsed = visit.ip ? plainIp(visit.ip) : null;
    if (parsed === null) return false;
    if (parsed.family === 'ipv6') return list.check(parsed.address, 'ipv6');
    const address = ipv4Number(parsed.address);
    for (const { network, mask } of ipv4) if (((address & mask) >>> 0) === network) return true;
    return ipv6Rules && list.check(parsed.address, 'ipv4');
  };
}

/**
 * `name=value` pairs. `name=` matches a parameter that is absent or empty, and `name=*` one with any value: what a
 * buyer means by "traffic without a zone" and "traffic with one".
 */
function paramTest(values: readonly unknown[]): VisitTest {
  const pairs = values.flatMap((value) => {
    const text = String(value);
    const equals = text.indexOf('=');
    return equals > 0 ? [{ name: text.slice(0, equals).trim(), value: text.slice(equals + 1).trim() }] : [];
  });
  return (visit) =>
    pairs.some((pair) => {
      const raw = visit.params[pair.name];
      const actual = typeof raw === 'string' ? raw.trim() : '';
      if (pair.value === '*') return actual !== '';
      return actual === pair.value;
    });
}

const MINUTE = /^([01]\d|2[0-3]):([0-5]\d)$/;
const minutesOf = (time: string): number | null => {
  const match = MINUTE.exec(time.trim());
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
};

const WEEKDAYS: Readonly<Record<string, number>> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const weekdayFormatters = new Map<string, Intl.DateTimeFormat>();

/** ISO weekday and minute of the day of `at` in `timeZone`. */
export function localWeekTime(at: Date, timeZone: string): { day: number; minute: number } {
  let format = weekdayFormatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' });
    // Timezones are a closed set, but the map is cleared anyway rather than trusted to stay small.
    if (weekdayFormatters.size >= 64) weekdayFormatters.clear();
    weekdayFormatters.set(timeZone, format);
  }
  let day = 0;
  let hour = 0;
  let minute = 0;
  for (const part of format.formatToParts(at)) {
    if (part.type === 'weekday') day = WEEKDAYS[part.value] ?? 0;
    else if (part.type === 'hour') hour = Number(part.value);
    else if (part.type === 'minute') minute = Number(part.value);
  }
  return { day, minute: hour * 60 + minute };
}

/**
 * Whether a weekday and minute fall in a window. `from` is inclusive and `to` exclusive; when `to` is earlier than
 * `from` the window runs past midnight, and its hours after midnight belong to the day it started on (a Friday
 * 22:00–02:00 window takes Saturday 01:00). Equal `from` and `to` is the whole day.
 */
export function inScheduleWindow(window: ScheduleWindow, day: number, minute: number): boolean {
  const from = minutesOf(window.from);
  const to = minutesOf(window.to);
  if (from === null || to === null) return false;
  const days = new Set(window.days);
  if (from === to) return days.has(day);
  if (from < to) return days.has(day) && minute >= from && minute < to;
  const previous = day === 1 ? 7 : day - 1;
  return (days.has(day) && minute >= from) || (days.has(previous) && minute < to);
}

function scheduleTest(values: readonly unknown[]): VisitTest {
  const windows = values.filter((value): value is ScheduleWindow => typeof value === 'object' && value !== null);
  return (visit) => {
    const { day, minute } = localWeekTime(visit.at, visit.timezone);
    return windows.some((window) => inScheduleWindow(window, day, minute));
  };
}

/** A set of the values, compared without case, against one field of the visit. */
function memberTest(values: readonly unknown[], read: (visit: VisitFacts) => string | null): VisitTest {
  const set = new Set(values.map(lower));
  return (visit) => {
    const value = read(visit);
    return value !== null && set.has(value.toLowerCase());
  };
}

function flagTest(values: readonly unknown[], read: (visit: VisitFacts) => boolean): VisitTest {
  const wanted = new Set(values.map((value) => value === true || value === 'true'));
  return (visit) => wanted.has(read(visit));
}

/** Whether a visit's value is among the filter's values, before its mode is applied. */
function valueTest(filter: StreamFilter): VisitTest {
  const { values } = filter;
  switch (filter.type) {
    case 'country':
      return memberTest(values, (visit) => visit.country);
    case 'device':
      return memberTest(values, (visit) => visit.device);
    case 'os':
      return memberTest(values, (visit) => visit.os);
    case 'browser':
      return memberTest(values, (visit) => visit.browser);
    case 'language':
      return memberTest(values, (visit) => visit.language);
    case 'ip':
      return ipTest(values);
    case 'referrer':
      return referrerTest(values);
    case 'param':
      return paramTest(values);
    case 'schedule':
      return scheduleTest(values);
    case 'unique':
      return flagTest(values, (visit) => visit.isUnique);
    case 'bot':
      return flagTest(values, (visit) => visit.isBot);
    default:
      // A filter this server does not know cannot be judged: it keeps no visit, rather than letting all through.
      return () => false;
  }
}

/** One filter, its mode applied: an unknown value (no country, no referrer host) is outside every `allow` list. */
export function compileFilter(filter: StreamFilter): VisitTest {
  const test = valueTest(filter);
  return filter.mode === 'deny' ? (visit) => !test(visit) : test;
}

/** A stream's filters: `all` needs each to pass, `any` one of them; a stream without filters takes every visit. */
export function compileFilters(filters: readonly StreamFilter[], match: 'all' | 'any'): VisitTest {
  if (filters.length === 0) return () => true;
  const tests = filters.map(compileFilter);
  return match === 'any' ? (visit) => tests.some((test) => test(visit)) : (visit) => tests.every((test) => test(visit));
}
