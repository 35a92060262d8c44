/**
 * The URL-kept filters of the admin lists (conversions, payments, publishers, the postback and delivery logs). Kept
 * apart from the screens, which load lazily, so that the router can check a URL's search before the screen is loaded.
 */
export type TextSearch<K extends string> = Partial<Record<K | 'cursor', string>>;

/** A `validateSearch` that keeps the named text filters (and the page cursor) and drops blanks and anything else. */
export function textSearch<K extends string>(keys: readonly K[]) {
  return (search: Record<string, unknown>): TextSearch<K> => {
    const out: TextSearch<K> = {};
    for (const key of [...keys, 'cursor' as const]) {
      const value = search[key];
      // A filter such as ?publisherId=123 arrives as a number from the router's JSON-ish parsing.
      const text = typeof value === 'number' ? String(value) : value;
      if (typeof text === 'string' && text.trim() !== '') out[key] = text;
    }
    return out;
  };
}

export const CONVERSION_FILTERS = ['offerId', 'publisherId', 'status', 'country', 'transactionId', 'couponCode', 'from', 'to'] as const;
export type ConversionsSearch = TextSearch<(typeof CONVERSION_FILTERS)[number]>;
export const parseConversionsSearch = textSearch(CONVERSION_FILTERS);

export const PUBLISHER_FILTERS = ['q', 'status'] as const;
export type PublishersSearch = TextSearch<(typeof PUBLISHER_FILTERS)[number]>;
export const parsePublishersSearch = textSearch(PUBLISHER_FILTERS);

export const PAYMENT_FILTERS = ['publisherId', 'status'] as const;
export type PaymentsSearch = TextSearch<(typeof PAYMENT_FILTERS)[number]>;
export const parsePaymentsSearch = textSearch(PAYMENT_FILTERS);

export const POSTBACK_FILTERS = ['offerId', 'outcome', 'from', 'to'] as const;
export type PostbackLogSearch = TextSearch<(typeof POSTBACK_FILTERS)[number]>;
export const parsePostbackLogSearch = textSearch(POSTBACK_FILTERS);

export const DELIVERY_FILTERS = ['kind', 'status', 'publisherId', 'conversionId'] as const;
export type DeliveriesSearch = TextSearch<(typeof DELIVERY_FILTERS)[number]>;
export const parseDeliveriesSearch = textSearch(DELIVERY_FILTERS);
