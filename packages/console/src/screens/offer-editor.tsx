import { useNavigate, useParams } from '@tanstack/react-router';
import { errorMessage } from '../api.js';
import { canWrite, useCurrentSession } from '../session.js';
import { OfferForm } from './offer-form.js';
import { useOffer } from './offer-page.js';

/** `/offers/new`. */
export function NewOfferScreen() {
  const navigate = useNavigate();
  const session = useCurrentSession();
  return (
    <section className="screen" aria-labelledby="new-offer-title">
      <h1 id="new-offer-title">Add offer</h1>
      {canWrite(session) ? (
        <OfferForm onSaved={(offer) => void navigate({ to: '/offers/$offerId', params: { offerId: offer.id } })} />
      ) : (
        <p role="alert">Your role reads offers but does not add them.</p>
      )}
    </section>
  );
}

/** `/offers/$offerId/edit`. */
export function EditOfferScreen() {
  // Not strict: this module is loaded lazily by the router, and importing the route back would be a cycle.
  const { offerId = '' } = useParams({ strict: false }) as { offerId?: string };
  const navigate = useNavigate();
  const session = useCurrentSession();
  const offer = useOffer(offerId);
  if (offer.isPending) return <p role="status">Loading the offer…</p>;
  if (offer.isError) return <p role="alert">The offer could not be loaded: {errorMessage(offer.error)}</p>;
  return (
    <section className="screen" aria-labelledby="edit-offer-title">
      <h1 id="edit-offer-title">Edit {offer.data.name}</h1>
      {canWrite(session) ? (
        <OfferForm offer={offer.data} onSaved={(saved) => void navigate({ to: '/offers/$offerId', params: { offerId: saved.id } })} />
      ) : (
        <p role="alert">Your role reads offers but does not change them.</p>
      )}
    </section>
  );
}
