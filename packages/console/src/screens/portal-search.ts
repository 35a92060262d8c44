/**
 * The search params of the publisher portal's screens, kept in the URL. A module of its own, without the screens, so
 * that the router can check them while the screens load lazily.
 */

const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

export interface PortalOffersSearch {
  q?: string;
  cursor?: string;
}

export function parsePortalOffersSearch(search: Record<string, unknown>): PortalOffersSearch {
  return { q: text(search.q), cursor: text(search.cursor) };
}

/** Which tab of "Promo codes" is open: "My promo codes" unless `tab=requests`. */
export interface PromoCodesSearch {
  tab?: 'requests';
}

export function parsePromoCodesSearch(search: Record<string, unknown>): PromoCodesSearch {
  return search.tab === 'requests' ? { tab: 'requests' } : {};
}

export const CONVERSION_STATUSES = ['pending', 'approved', 'rejected'] as const;

/** The publisher's report of conversions: its filters, its order (`sort=oldest`, newest first otherwise) and page. */
export interface PortalReportsSearch {
  offerId?: string;
  status?: (typeof CONVERSION_STATUSES)[number];
  country?: string;
  orderId?: string;
  couponCode?: string;
  sort?: 'oldest';
  cursor?: string;
}

export function parsePortalReportsSearch(search: Record<string, unknown>): PortalReportsSearch {
  const status = CONVERSION_STATUSES.find((value) => value === search.status);
  const country = text(search.country)?.toUpperCase();
  return {
    offerId: text(search.offerId),
    status,
    country,
    orderId: text(search.orderId),
    couponCode: text(search.couponCode),
    sort: search.sort === 'oldest' ? 'oldest' : undefined,
    cursor: text(search.cursor),
  };
}

/** The team's promo codes screen: requests awaiting a decision unless another status is chosen. */
export interface AdminPromoCodesSearch {
  status?: 'confirmed' | 'rejected' | 'all';
}

export function parseAdminPromoCodesSearch(search: Record<string, unknown>): AdminPromoCodesSearch {
  return search.status === 'confirmed' || search.status === 'rejected' || search.status === 'all' ? { status: search.status } : {};
}
