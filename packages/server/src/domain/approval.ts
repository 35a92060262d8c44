import { type Instant } from './calendar.js';

const DAY = 86_400_000;

/**
 * When a pending conversion becomes due for automatic approval: `holdDays` × 24 h after it was created (an age,
 * not calendar days, so no timezone is involved). Null without a hold: it waits for a manual decision.
 */
export function approvalDueAt(createdAt: Instant, holdDays: number | null | undefined): Date | null {
  if (holdDays == null) return null;
  const created = typeof createdAt === 'string' ? Date.parse(createdAt) : createdAt.getTime();
  if (Number.isNaN(created)) throw new RangeError(`not a valid instant: ${String(createdAt)}`);
  return new Date(created + holdDays * DAY);
}

/** Whether a pending conversion created at `createdAt` is old enough, at `now`, to be approved automatically. */
export function isDueForApproval(createdAt: Instant, holdDays: number | null | undefined, now: Date): boolean {
  const due = approvalDueAt(createdAt, holdDays);
  return due !== null && due.getTime() <= now.getTime();
}
