import type { ConversionStatus } from '@waypost/schema';
import { describe, expect, it } from 'vitest';
import { parsePostbackStatus, transition, type TransitionOutcome } from '../../src/domain/index.js';

describe('transition', () => {
  it.each<[ConversionStatus, ConversionStatus, TransitionOutcome]>([
    ['pending', 'approved', 'updated'],
    ['pending', 'rejected', 'updated'],
    ['approved', 'rejected', 'updated'],
    ['pending', 'pending', 'duplicate'],
    ['approved', 'approved', 'duplicate'],
    ['rejected', 'rejected', 'duplicate'],
    ['approved', 'pending', 'conflict'],
    ['rejected', 'approved', 'conflict'],
    ['rejected', 'pending', 'conflict'],
  ])('takes %s to %s as %s', (from, to, outcome) => {
    expect(transition(from, to)).toBe(outcome);
  });
});

describe('parsePostbackStatus', () => {
  const statusMap = { '2': 'pending', '3': 'rejected', Reversed: 'rejected', approved: 'pending', paid: 'sale' };
  it.each([
    { title: 'reads a canonical status', raw: 'approved', map: null, status: 'approved' },
    { title: 'reads a status whatever its case and spacing', raw: ' Approved ', map: null, status: 'approved' },
    { title: 'reads sale as approved', raw: 'SALE', map: null, status: 'approved' },
    { title: 'reads 1 as approved', raw: '1', map: null, status: 'approved' },
    { title: 'reads lead as pending', raw: 'Lead', map: null, status: 'pending' },
    { title: 'reads 0 as pending', raw: '0', map: null, status: 'pending' },
    { title: 'reads refund as rejected', raw: 'refund', map: null, status: 'rejected' },
    { title: 'reads -1 as rejected', raw: '-1', map: null, status: 'rejected' },
    { title: 'reads rebill', raw: 'rebill', map: null, status: 'rebill' },
    { title: "applies the network's statusMap", raw: '2', map: statusMap, status: 'pending' },
    { title: 'matches statusMap keys case-insensitively', raw: 'REVERSED', map: statusMap, status: 'rejected' },
    { title: 'applies the statusMap before the alias table', raw: 'approved', map: statusMap, status: 'pending' },
    { title: 'runs a mapped value through the alias table', raw: 'paid', map: statusMap, status: 'approved' },
    { title: 'still reads aliases the statusMap does not list', raw: 'declined', map: statusMap, status: 'rejected' },
  ])('$title', ({ raw, map, status }) => {
    expect(parsePostbackStatus(raw, { statusMap: map, defaultStatus: 'pending' })).toEqual({ ok: true, status });
  });

  it.each([
    { title: 'gives a missing status the default', raw: undefined, defaultStatus: 'approved', status: 'approved' },
    { title: 'gives an empty status the default', raw: '  ', defaultStatus: 'pending', status: 'pending' },
  ] as const)('$title', ({ raw, defaultStatus, status }) => {
    expect(parsePostbackStatus(raw, { defaultStatus })).toEqual({ ok: true, status });
  });

  it.each(['5', 'paid', '{status}', 'constructor', '__proto__', 'toString'])('refuses %j as unknown_status', (raw) => {
    const result = parsePostbackStatus(raw, { defaultStatus: 'approved' });
    expect(result).toMatchObject({ ok: false, error: { code: 'unknown_status', field: 'status', status: raw, name: 'UnknownStatusError' } });
  });
});
