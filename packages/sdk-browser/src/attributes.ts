import type { TrackerOptions } from './types.js';

/**
 * Every attribute the script tag reads, by the dataset name it arrives under. The tracker options come first:
 * the script passes its whole dataset to `createTracker()`, so each option is the attribute of the same name.
 * The conversion of a thank-you page follows. The README documents exactly these.
 */
export const SCRIPT_ATTRIBUTES = {
  endpoint: 'data-endpoint',
  offer: 'data-offer',
  campaign: 'data-campaign',
  clickParams: 'data-click-params',
  publisherParam: 'data-publisher-param',
  cookieDomain: 'data-cookie-domain',
  cookieDays: 'data-cookie-days',
  attribution: 'data-attribution',
  consent: 'data-consent',
  decorate: 'data-decorate',
  debug: 'data-debug',
  convert: 'data-convert',
  amount: 'data-amount',
  currency: 'data-currency',
  transactionId: 'data-transaction-id',
  event: 'data-event',
  coupon: 'data-coupon',
} as const satisfies Record<keyof TrackerOptions, string> & Record<string, `data-${string}`>;
