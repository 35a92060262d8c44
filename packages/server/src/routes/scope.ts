import type { Offer } from '@waypost/schema';
import type { Auth } from '../http/auth.js';
import { ApiError } from '../http/errors.js';

/** Whether a publisher key may see this offer: active, not archived, and public or shared with it. */
export function offerVisibleTo(offer: Offer, publisherId: string): boolean {
  return (
    offer.archivedAt === null &&
    offer.status === 'active' &&
    (offer.visibility === 'public' || offer.publisherIds.includes(publisherId))
  );
}

/**
 * The publisher a request may act for. A publisher key is pinned to its own publisher: naming another one gives 404,
 * never the data (README, API).
 */
export function scopedPublisherId(auth: Auth, requested: string | undefined): string | undefined {
  if (auth.role === 'admin') return requested;
  if (requested !== undefined && requested !== auth.publisherId) throw ApiError.notFound('publisher');
  return auth.publisherId;
}

/** Whether the caller may see a record that belongs to this publisher: an admin key sees all, a publisher key its own. */
export function canSee(auth: Auth, publisherId: string | null): boolean {
  return auth.role === 'admin' || publisherId === auth.publisherId;
}
