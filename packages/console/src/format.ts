import type { Offer } from '@waypost/schema';
import { formatAmount } from './money.js';

const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** A date as people read it ("4 Dec 2026"), in UTC like every day the API counts by default. */
export function formatDate(iso: string | null | undefined): string {
  return iso ? dateFormat.format(new Date(iso)) : '—';
}

const dateTimeFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC', timeZoneName: 'short' });

/** "4 Dec 2026, 21:49 UTC". */
export function formatDateTime(iso: string): string {
  return dateTimeFormat.format(new Date(iso));
}

/** "CPA · $10.00", "CPS · 5%", "CPS · auto": the payout model with what it pays, in the offer's currency. */
export function describePayout(offer: Pick<Offer, 'payout' | 'currency'>): string {
  const { payout } = offer;
  const what =
    payout.percent !== undefined
      ? `${payout.percent}%`
      : payout.amount !== undefined
        ? formatAmount(payout.amount, offer.currency)
        : payout.mode === 'auto'
          ? 'auto'
          : '';
  return [payout.model.toUpperCase(), what].filter(Boolean).join(' · ');
}

export function formatStatus(status: string): string {
  return status.charAt(0).toUpperCase() + status.slice(1);
}
