import type { Conversion, Threshold } from '@waypost/schema';
import { periodBounds, periodKey, type Instant } from './calendar.js';

/**
 * The threshold ("accumulator", README, Set up an offer) of cpa and cpl offers, as pure state functions. The server
 * reads the publisher's conversions on the offer in the current period, asks here, and writes the answer back in the
 * same transaction.
 */

/** Where the publisher's current period on an offer stands, before a new conversion. */
export interface ThresholdPeriodState {
  /** Non-rejected conversions (rebills excluded) already recorded in the period, the new one excluded. */
  count: number;
  /** Whether the period already reached its count and released its payouts. */
  released: boolean;
}

/**
 * For a new non-rejected conversion: `accruing` (the count is not reached yet), `release` (this is the N-th: it and
 * every accruing payout of the period become payable) or `payable` (the period was already released).
 */
export type ThresholdOutcome = 'accruing' | 'release' | 'payable';

export type ConversionKind = Conversion['kind'];

export function thresholdOutcome(
  threshold: Threshold | null | undefined,
  state: ThresholdPeriodState,
  kind: ConversionKind = 'conversion',
): ThresholdOutcome {
  if (!threshold || state.released) return 'payable';
  // A rebill adds payout but is not a new conversion, so it waits for the period like the others and never releases it.
  if (kind === 'rebill') return 'accruing';
  // ">=" and not "===": a threshold lowered mid-period releases on the next conversion.
  return state.count + 1 >= threshold.count ? 'release' : 'accruing';
}

/** What the threshold reads of a conversion already recorded in the period. */
export type ThresholdEntry = Pick<Conversion, 'id' | 'status' | 'payoutState'> & { kind?: ConversionKind | undefined };

/**
 * The state of a period from its conversions. Rejected ones do not count, so a rejection before release lowers
 * the count. The period is released once any of its payouts is payable or paid: a rejection after release does
 * not take it back.
 */
export function thresholdPeriodState(entries: readonly ThresholdEntry[]): ThresholdPeriodState {
  return {
    count: entries.filter((entry) => entry.status !== 'rejected' && entry.kind !== 'rebill').length,
    released: entries.some((entry) => entry.payoutState === 'payable' || entry.payoutState === 'paid'),
  };
}

export interface ThresholdAdmission {
  outcome: ThresholdOutcome;
  /** The new conversion's payoutState. */
  payoutState: 'accruing' | 'payable';
  /** Conversions of the period whose payoutState becomes `payable` now (on `release`). */
  release: string[];
}

/** Decides a new non-rejected conversion against the conversions already in its period. */
export function admitToThreshold(
  threshold: Threshold | null | undefined,
  entries: readonly ThresholdEntry[],
  kind: ConversionKind = 'conversion',
): ThresholdAdmission {
  const outcome = thresholdOutcome(threshold, thresholdPeriodState(entries), kind);
  return {
    outcome,
    payoutState: outcome === 'accruing' ? 'accruing' : 'payable',
    release:
      outcome === 'release'
        ? entries.filter((entry) => entry.payoutState === 'accruing' && entry.status !== 'rejected').map((entry) => entry.id)
        : [],
  };
}

export interface ForfeitedPayout {
  id: string;
  payoutState: 'forfeited';
  reason: 'threshold_not_met';
}

/**
 * The accruing payouts whose period has ended by `now`, in the offer's timezone: they are forfeited with reason
 * `threshold_not_met`. A `total` period never ends. Rejected conversions keep their own reason.
 */
export function forfeitedPayouts(
  threshold: Threshold | null | undefined,
  entries: readonly (ThresholdEntry & { createdAt: Instant })[],
  now: Date,
  timeZone: string,
): ForfeitedPayout[] {
  if (!threshold || threshold.period === 'total') return [];
  const ends = new Map<string, number>();
  const periodEnd = (key: string) => {
    let end = ends.get(key);
    if (end === undefined) {
      end = periodBounds(key, timeZone)!.end.getTime();
      ends.set(key, end);
    }
    return end;
  };
  return entries
    .filter((entry) => entry.payoutState === 'accruing' && entry.status !== 'rejected')
    .filter((entry) => periodEnd(periodKey(entry.createdAt, threshold.period, timeZone)) <= now.getTime())
    .map((entry) => ({ id: entry.id, payoutState: 'forfeited', reason: 'threshold_not_met' }));
}
