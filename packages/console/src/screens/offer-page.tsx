import { useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import type { Offer, OfferLinks, Publisher } from '@waypost/schema';
import { useId, useState } from 'react';
import { api, errorMessage, type Page } from '../api.js';
import { CopyField } from '../components/copy-field.js';
import { describePayout, formatDate, formatStatus } from '../format.js';
import { canWrite, useCurrentSession } from '../session.js';

export function useOffer(offerId: string) {
  return useQuery({ queryKey: ['offer', offerId], queryFn: () => api.get<Offer>(`/v1/offers/${encodeURIComponent(offerId)}`) });
}

/** An offer's page: what it pays, its postback URL, and a publisher's tracking URL. */
export function OfferPage({ offerId }: { offerId: string }) {
  const session = useCurrentSession();
  const navigate = useNavigate();
  const offer = useOffer(offerId);
  const links = useQuery({
    queryKey: ['offer', offerId, 'links'],
    queryFn: () => api.get<OfferLinks>(`/v1/offers/${encodeURIComponent(offerId)}/links`),
    enabled: offer.isSuccess,
  });

  if (offer.isPending) return <p role="status">Loading the offer…</p>;
  if (offer.isError) {
    return (
      <div className="alert alert-error" role="alert">
        <p>The offer could not be loaded: {errorMessage(offer.error)}</p>
      </div>
    );
  }
  const { data } = offer;
  return (
    <section className="screen" aria-labelledby="offer-title">
      <header className="screen-header">
        <div>
          <p className="breadcrumb">Offer {data.id}</p>
          <h1 id="offer-title">{data.name}</h1>
        </div>
        {canWrite(session) ? (
          <button type="button" className="button" onClick={() => void navigate({ to: '/offers/$offerId/edit', params: { offerId } })}>
            Edit offer
          </button>
        ) : null}
      </header>

      <dl className="facts">
        <div>
          <dt>Status</dt>
          <dd>
            <span className={`badge badge-${data.status}`}>{formatStatus(data.status)}</span>
          </dd>
        </div>
        <div>
          <dt>Payout</dt>
          <dd>{describePayout(data)}</dd>
        </div>
        <div>
          <dt>Currency</dt>
          <dd>{data.currency}</dd>
        </div>
        <div>
          <dt>Lead type</dt>
          <dd>{data.leadType ?? '—'}</dd>
        </div>
        <div>
          <dt>Expiration date</dt>
          <dd>{formatDate(data.expiresAt)}</dd>
        </div>
        <div>
          <dt>Registration date</dt>
          <dd>{formatDate(data.createdAt)}</dd>
        </div>
        <div className="facts-wide">
          <dt>Site link</dt>
          <dd className="break">{data.url}</dd>
        </div>
      </dl>

      <section className="panel" aria-labelledby="postback-title">
        <h2 id="postback-title">Postback</h2>
        {links.isError ? (
          <p role="alert">The links could not be loaded: {errorMessage(links.error)}</p>
        ) : (
          <CopyField
            label="Postback URL"
            value={links.data?.postbackUrl ?? ''}
            buttonLabel="Copy postback URL"
            hint="Give it to the advertiser or network: it reports a conversion for the click it names. It carries the offer's secret token."
          />
        )}
      </section>

      <TrackingUrlGenerator offerId={offerId} />
    </section>
  );
}

function TrackingUrlGenerator({ offerId }: { offerId: string }) {
  const selectId = useId();
  const [publisherId, setPublisherId] = useState('');
  const publishers = useQuery({
    queryKey: ['publishers', 'options'],
    queryFn: () => api.get<Page<Publisher>>('/v1/publishers', { limit: 500 }),
  });
  const links = useQuery({
    queryKey: ['offer', offerId, 'links', publisherId],
    queryFn: () => api.get<OfferLinks>(`/v1/offers/${encodeURIComponent(offerId)}/links`, { publisherId }),
    enabled: publisherId !== '',
  });
  return (
    <section className="panel" aria-labelledby="generate-title">
      <h2 id="generate-title">Generate tracking URL</h2>
      <div className="field">
        <label htmlFor={selectId}>Publisher</label>
        <select id={selectId} value={publisherId} onChange={(event) => setPublisherId(event.target.value)} disabled={publishers.isPending}>
          <option value="">{publishers.isPending ? 'Loading publishers…' : 'Choose a publisher'}</option>
          {(publishers.data?.data ?? []).map((publisher) => (
            <option key={publisher.id} value={publisher.id}>
              {publisher.name}
            </option>
          ))}
        </select>
        {publishers.isSuccess && publishers.data.data.length === 0 ? <p className="field-hint">No publishers yet: add one under Publishers.</p> : null}
        {publishers.isError ? <p className="field-error">The publishers could not be loaded: {errorMessage(publishers.error)}</p> : null}
      </div>
      {links.isError ? <p role="alert">The tracking URL could not be made: {errorMessage(links.error)}</p> : null}
      <CopyField
        label="Tracking URL"
        value={links.data?.trackingUrl ?? ''}
        buttonLabel="Copy tracking URL"
        hint="The publisher's link to this offer. They may add sub1 to sub5 to it."
      />
    </section>
  );
}
