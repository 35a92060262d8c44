import type { Cap, Offer } from '@waypost/schema';
import { dayBounds, localDate, type Instant } from './calendar.js';

/**
 * The calendar an offer counts its days in: the cap timezone, else the account timezone (`WAYPOST_TIMEZONE`).
 * Thresholds use it too, so that an offer has one notion of "today".
 */
export function offerTimezone(offer: Pick<Offer, 'cap'>, accountTimezone: string): string {
  return offer.cap?.timezone ?? accountTimezone;
}

/** The cap day that holds `instant`: its date (a key to count by) and its instants (a range to count in). */
export function capDay(
  offer: Pick<Offer, 'cap'>,
  instant: Instant,
  accountTimezone: string,
): { key: string; start: Date; end: Date } {
  const timeZone = offerTimezone(offer, accountTimezone);
  const key = localDate(instant, timeZone);
  return { key, ...dayBounds(key, timeZone) };
}

/** Non-rejected conversions of the offer already recorded, before the one being decided. */
export interface CapCounts {
  /** In the current cap day. */
  today: number;
  /** In all. */
  total: number;
}

/** Whether one more conversion would go beyond the cap (so it is recorded as rejected, `cap_reached`). */
export function isCapReached(cap: Cap | null | undefined, counts: CapCounts): boolean {
  if (!cap) return false;
  return (cap.daily !== undefined && counts.today >= cap.daily) || (cap.total !== undefined && counts.total >= cap.total);
}
