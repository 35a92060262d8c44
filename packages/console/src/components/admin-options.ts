import { useQuery } from '@tanstack/react-query';
import type { Offer, Publisher } from '@waypost/schema';
import { api, type Page } from '../api.js';
import type { Session } from '../session.js';

/** The publishers, for the "Publisher" selects and to show a name where the API gives an id. */
export function usePublisherOptions() {
  const publishers = useQuery({
    queryKey: ['publishers', 'options'],
    queryFn: () => api.get<Page<Publisher>>('/v1/publishers', { limit: 500 }),
  });
  const list = publishers.data?.data ?? [];
  const names = new Map(list.map((publisher) => [publisher.id, publisher.name]));
  return { list, nameOf: (id: string | null | undefined) => (id ? (names.get(id) ?? id) : '—') };
}

/** Every offer (active or not), for the "Offer" selects and to show its name and currency. */
export function useOfferOptions() {
  const offers = useQuery({
    queryKey: ['offers', 'options', 'all'],
    queryFn: () => api.get<Page<Offer>>('/v1/offers', { limit: 500 }),
  });
  const list = offers.data?.data ?? [];
  const byId = new Map(list.map((offer) => [offer.id, offer]));
  return { list, byId, nameOf: (id: string | null | undefined) => (id ? (byId.get(id)?.name ?? id) : '—') };
}

/** Owners and admins: they manage publishers, payments, keys, users, FX rates and mail, which the API keeps from members. */
export function isAdmin(session: Session): boolean {
  return session.user.role === 'owner' || session.user.role === 'admin';
}
