import { describe, expect, it } from 'vitest';
import { compileFilter, compileFilters, inScheduleWindow, localWeekTime, primaryLanguage, type StreamFilter, type VisitFacts } from '../../src/domain/campaign-filters.js';

const visit = (facts: Partial<VisitFacts> = {}): VisitFacts => ({
  country: 'DE',
  device: 'mobile',
  os: 'android',
  browser: 'chrome',
  language: 'de',
  ip: '203.0.113.7',
  referrer: 'https://news.example.com/article',
  params: { zone: '42' },
  // A Wednesday, 12:00 UTC.
  at: new Date('2026-03-04T12:00:00Z'),
  timezone: 'UTC',
  isUnique: true,
  isBot: false,
  ...facts,
});

const passes = (filter: StreamFilter, facts: Partial<VisitFacts> = {}) => compileFilter(filter)(visit(facts));

describe('campaign filters', () => {
  it.each<[string, StreamFilter['type'], unknown[], Partial<VisitFacts>, Partial<VisitFacts>]>([
    ['country', 'country', ['de', 'AT'], { country: 'AT' }, { country: 'US' }],
    ['device', 'device', ['mobile'], {}, { device: 'desktop' }],
    ['os', 'os', ['android', 'ios'], { os: 'ios' }, { os: 'windows' }],
    ['browser', 'browser', ['chrome'], {}, { browser: 'safari' }],
    ['language', 'language', ['de'], {}, { language: 'fr' }],
    ['ip (address and CIDR, v4 and v6)', 'ip', ['198.51.100.1', '203.0.113.0/24', '2001:db8::/32'], { ip: '2001:db8:1:2::9' }, { ip: '192.0.2.1' }],
    ['referrer (with subdomains)', 'referrer', ['example.com'], { referrer: 'http://m.example.com/' }, { referrer: 'https://example.org/' }],
    ['referrer "" (an empty referrer)', 'referrer', [''], { referrer: null }, {}],
    ['param', 'param', ['zone=42', 'zone=43'], { params: { zone: '43' } }, { params: { zone: '44' } }],
    ['param name=* (any value)', 'param', ['zone=*'], {}, { params: {} }],
    ['schedule', 'schedule', [{ days: [3], from: '09:00', to: '17:00' }], {}, { at: new Date('2026-03-04T17:00:00Z') }],
    ['unique', 'unique', [true], {}, { isUnique: false }],
    ['bot', 'bot', [false], {}, { isBot: true }],
  ])('%s: allow keeps the listed values and deny keeps the others', (_name, type, values, inside, outside) => {
    expect(passes({ type, mode: 'allow', values }, inside)).toBe(true);
    expect(passes({ type, mode: 'allow', values }, outside)).toBe(false);
    expect(passes({ type, mode: 'deny', values }, inside)).toBe(false);
    expect(passes({ type, mode: 'deny', values }, outside)).toBe(true);
  });

  it('treats an unknown value as outside every allow list', () => {
    expect(passes({ type: 'country', mode: 'allow', values: ['DE'] }, { country: null })).toBe(false);
    expect(passes({ type: 'country', mode: 'deny', values: ['DE'] }, { country: null })).toBe(true);
    expect(passes({ type: 'ip', mode: 'allow', values: ['0.0.0.0/0'] }, { ip: null })).toBe(false);
  });

  it('matches an IPv4-mapped IPv6 address as IPv4 and ignores entries that are no address', () => {
    expect(passes({ type: 'ip', mode: 'allow', values: ['203.0.113.0/24', 'nonsense', '10.0.0.0/99'] }, { ip: '::ffff:203.0.113.9' })).toBe(true);
  });

  it('matches IPv4 ranges at their edges, the whole space, and IPv6 rules of the mapped range', () => {
    const allow = (values: string[], ip: string) => passes({ type: 'ip', mode: 'allow', values }, { ip });
    expect(allow(['255.255.255.0/24'], '255.255.255.255')).toBe(true);
    expect(allow(['255.255.255.0/24'], '255.255.254.255')).toBe(false);
    expect(allow(['128.0.0.0/1'], '200.1.2.3')).toBe(true);
    expect(allow(['128.0.0.0/1'], '127.255.255.255')).toBe(false);
    expect(allow(['10.0.0.7/24'], '10.0.0.200')).toBe(true);
    expect(allow(['0.0.0.0/0'], '8.8.8.8')).toBe(true);
    expect(allow(['192.0.2.1'], '192.0.2.1')).toBe(true);
    expect(allow(['192.0.2.1'], '192.0.2.2')).toBe(false);
    // An IPv6 rule over IPv4-mapped addresses takes the IPv4 visitors in it, as Node's BlockList does.
    expect(allow(['::1/128', '::ffff:c633:6400/120'], '198.51.100.9')).toBe(true);
    expect(allow(['::1/128', '::ffff:c633:6400/120'], '198.51.101.9')).toBe(false);
    expect(allow(['::/0'], '203.0.113.1')).toBe(true);
  });

  it('matches a referrer domain with its subdomains but not a look-alike', () => {
    const filter: StreamFilter = { type: 'referrer', mode: 'allow', values: ['https://Example.com/path', '*.facebook.com'] };
    expect(passes(filter, { referrer: 'https://a.b.example.com/x' })).toBe(true);
    expect(passes(filter, { referrer: 'https://l.facebook.com/' })).toBe(true);
    expect(passes(filter, { referrer: 'https://notexample.com/' })).toBe(false);
    expect(passes(filter, { referrer: 'https://example.com.evil.net/' })).toBe(false);
  });

  it('reads the primary subtag of the first Accept-Language entry', () => {
    expect(primaryLanguage('pt-BR,pt;q=0.9,en;q=0.8')).toBe('pt');
    expect(primaryLanguage('EN_us')).toBe('en');
    expect(primaryLanguage('*')).toBeNull();
    expect(primaryLanguage(undefined)).toBeNull();
  });

  it('reads schedules in the campaign timezone with ISO weekdays', () => {
    // 2026-03-08 is a Sunday; 23:30 UTC is already Monday 00:30 in Berlin.
    expect(localWeekTime(new Date('2026-03-08T23:30:00Z'), 'UTC')).toEqual({ day: 7, minute: 23 * 60 + 30 });
    expect(localWeekTime(new Date('2026-03-08T23:30:00Z'), 'Europe/Berlin')).toEqual({ day: 1, minute: 30 });
    const mondayMorning: StreamFilter = { type: 'schedule', mode: 'allow', values: [{ days: [1], from: '00:00', to: '09:00' }] };
    expect(passes(mondayMorning, { at: new Date('2026-03-08T23:30:00Z'), timezone: 'Europe/Berlin' })).toBe(true);
    expect(passes(mondayMorning, { at: new Date('2026-03-08T23:30:00Z'), timezone: 'UTC' })).toBe(false);
  });

  it('takes from as inclusive and to as exclusive, and runs a window past midnight when to is earlier than from', () => {
    const day = { days: [5], from: '09:00', to: '17:00' };
    expect(inScheduleWindow(day, 5, 9 * 60)).toBe(true);
    expect(inScheduleWindow(day, 5, 17 * 60 - 1)).toBe(true);
    expect(inScheduleWindow(day, 5, 17 * 60)).toBe(false);
    const night = { days: [5], from: '22:00', to: '02:00' };
    expect(inScheduleWindow(night, 5, 23 * 60)).toBe(true);
    // Friday night's hours after midnight fall on Saturday.
    expect(inScheduleWindow(night, 6, 60)).toBe(true);
    expect(inScheduleWindow(night, 6, 2 * 60)).toBe(false);
    expect(inScheduleWindow(night, 5, 60)).toBe(false);
    const sunday = { days: [7], from: '23:00', to: '01:00' };
    expect(inScheduleWindow(sunday, 1, 30)).toBe(true);
  });

  it('needs every filter with match all and one with match any, and passes a stream without filters', () => {
    const filters: StreamFilter[] = [
      { type: 'country', mode: 'allow', values: ['DE'] },
      { type: 'device', mode: 'allow', values: ['desktop'] },
    ];
    expect(compileFilters(filters, 'all')(visit())).toBe(false);
    expect(compileFilters(filters, 'any')(visit())).toBe(true);
    expect(compileFilters(filters, 'any')(visit({ country: 'US' }))).toBe(false);
    expect(compileFilters(filters, 'all')(visit({ device: 'desktop' }))).toBe(true);
    expect(compileFilters([], 'all')(visit())).toBe(true);
    expect(compileFilters([], 'any')(visit())).toBe(true);
  });
});
