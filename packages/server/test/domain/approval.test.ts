import { describe, expect, it } from 'vitest';
import { approvalDueAt, isDueForApproval } from '../../src/domain/index.js';

const createdAt = '2026-03-01T12:00:00Z';

describe('approvalDueAt', () => {
  it.each([
    { title: 'is never without a hold', holdDays: undefined, due: null },
    { title: 'is at once with a hold of 0 days', holdDays: 0, due: '2026-03-01T12:00:00.000Z' },
    { title: 'is 14 × 24 hours later with a 14-day hold, DST or not', holdDays: 14, due: '2026-03-15T12:00:00.000Z' },
  ])('$title', ({ holdDays, due }) => {
    expect(approvalDueAt(createdAt, holdDays)?.toISOString() ?? null).toBe(due);
  });
});

describe('isDueForApproval', () => {
  it.each([
    { title: 'keeps a conversion pending one millisecond before its hold ends', holdDays: 7, now: '2026-03-08T11:59:59.999Z', due: false },
    { title: 'approves a conversion the moment its hold ends', holdDays: 7, now: '2026-03-08T12:00:00.000Z', due: true },
    { title: 'approves a conversion long past its hold', holdDays: 7, now: '2027-01-01T00:00:00.000Z', due: true },
    { title: 'never approves a conversion without a hold', holdDays: undefined, now: '2027-01-01T00:00:00.000Z', due: false },
  ])('$title', ({ holdDays, now, due }) => {
    expect(isDueForApproval(createdAt, holdDays, new Date(now))).toBe(due);
    expect(isDueForApproval(new Date(createdAt), holdDays, new Date(now))).toBe(due);
  });
});
