import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import type { Conversion, Offer, OfferLinks, PersonalPayout, Publisher } from '@waypost/schema';
import { lazy, Suspense, useId, useState } from 'react';
import { api, errorMessage, type Page } from '../api.js';
import { CopyField } from '../components/copy-field.js';
import { describePayout, formatDate, formatDateTime, formatStatus } from '../format.js';
import { formatAmount } from '../money.js';
import { canWrite, useCurrentSession } from '../session.js';

// The upload code is only needed once someone scrolls to it: kept out of the offer page's first chunk.
const ArchivePanel = lazy(() => import('./archive-upload.js').then((module) => ({ default: module.ArchivePanel })));

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
          <div className="button-row">
            <button type="button" className="button" onClick={() => void navigate({ to: '/offers/$offerId/edit', params: { offerId } })}>
              Edit offer
            </button>
            {data.archivedAt ? null : <ArchiveOffer offer={data} />}
          </div>
        ) : null}
      </header>
      {data.archivedAt ? (
        <p className="alert" role="status">
          Archived on {formatDate(data.archivedAt)}: its links no longer take traffic; its history stays.
        </p>
      ) : null}

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
      <PersonalPayouts offer={data} />
      <RecentConversions offer={data} />
      <Suspense fallback={<p role="status">Loading the uploaded page…</p>}>
        <ArchivePanel owner={{ kind: 'offer', id: data.id, archive: data.archive ?? null }} />
      </Suspense>
    </section>
  );
}

/** Archiving is `DELETE /v1/offers/:id`: asked once more, since the offer's links stop taking traffic. */
function ArchiveOffer({ offer }: { offer: Offer }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [asking, setAsking] = useState(false);
  const archive = useMutation({
    mutationFn: () => api.delete(`/v1/offers/${encodeURIComponent(offer.id)}`),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['offers'] });
      queryClient.removeQueries({ queryKey: ['offer', offer.id] });
      void navigate({ to: '/offers' });
    },
  });
  if (!asking) {
    return (
      <button type="button" className="button" onClick={() => setAsking(true)}>
        Archive offer
      </button>
    );
  }
  return (
    <div className="confirm" role="group" aria-label="Archive this offer?">
      <span>Archive “{offer.name}”? Its tracking links stop taking traffic; its history stays.</span>
      <button type="button" className="button button-danger" onClick={() => archive.mutate()} disabled={archive.isPending}>
        Archive
      </button>
      <button type="button" className="button" onClick={() => setAsking(false)}>
        Cancel
      </button>
      {archive.isError ? <span role="alert">{errorMessage(archive.error)}</span> : null}
    </div>
  );
}

/** The tracking URL with the sub ids filled in (`sub1`…`sub5`); an empty one is left out. */
export function withSubs(trackingUrl: string, subs: readonly string[]): string {
  const url = new URL(trackingUrl);
  subs.forEach((value, index) => {
    if (value.trim()) url.searchParams.set(`sub${index + 1}`, value.trim());
  });
  return url.toString();
}

function usePublisherNames() {
  const publishers = useQuery({
    queryKey: ['publishers', 'options'],
    queryFn: () => api.get<Page<Publisher>>('/v1/publishers', { limit: 500 }),
  });
  const names = new Map((publishers.data?.data ?? []).map((publisher) => [publisher.id, publisher.name]));
  return (id: string | null) => (id ? (names.get(id) ?? id) : '—');
}

function PersonalPayouts({ offer }: { offer: Offer }) {
  const publisherName = usePublisherNames();
  const payouts = useQuery({
    queryKey: ['offer', offer.id, 'personal-payouts'],
    queryFn: () => api.get<Page<PersonalPayout>>(`/v1/offers/${encodeURIComponent(offer.id)}/personal-payouts`, { limit: 500 }),
  });
  return (
    <section className="panel" aria-labelledby="personal-payouts-title">
      <h2 id="personal-payouts-title">Personal payouts</h2>
      {payouts.isError ? (
        <p role="alert">The personal payouts could not be loaded: {errorMessage(payouts.error)}</p>
      ) : payouts.isPending ? (
        <p role="status">Loading…</p>
      ) : payouts.data.data.length === 0 ? (
        <p className="field-hint">None: every publisher earns the offer's payout.</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table" aria-labelledby="personal-payouts-title">
            <thead>
              <tr>
                <th scope="col">Publisher</th>
                <th scope="col">Promo code</th>
                <th scope="col">Payout</th>
              </tr>
            </thead>
            <tbody>
              {payouts.data.data.map((payout) => (
                <tr key={payout.id}>
                  <td data-label="Publisher">{publisherName(payout.publisherId)}</td>
                  <td data-label="Promo code">{payout.couponCode ?? '—'}</td>
                  <td data-label="Payout">{payout.percent !== null ? `${payout.percent}%` : formatAmount(payout.amount ?? '0', offer.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function RecentConversions({ offer }: { offer: Offer }) {
  const publisherName = usePublisherNames();
  const conversions = useQuery({
    queryKey: ['offer', offer.id, 'conversions'],
    queryFn: () => api.get<Page<Conversion>>('/v1/conversions', { offerId: offer.id, limit: 10 }),
  });
  return (
    <section className="panel" aria-labelledby="recent-conversions-title">
      <h2 id="recent-conversions-title">Recent conversions</h2>
      {conversions.isError ? (
        <p role="alert">The conversions could not be loaded: {errorMessage(conversions.error)}</p>
      ) : conversions.isPending ? (
        <p role="status">Loading…</p>
      ) : conversions.data.data.length === 0 ? (
        <p className="field-hint">No conversions yet. Test the postback URL above with a click id from a test click.</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table" aria-labelledby="recent-conversions-title">
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Publisher</th>
                <th scope="col">Status</th>
                <th scope="col">Sale</th>
                <th scope="col">Payout</th>
                <th scope="col">Transaction ID</th>
              </tr>
            </thead>
            <tbody>
              {conversions.data.data.map((conversion) => (
                <tr key={conversion.id}>
                  <td data-label="Date">{formatDateTime(conversion.createdAt)}</td>
                  <td data-label="Publisher">{publisherName(conversion.publisherId)}</td>
                  <td data-label="Status">{formatStatus(conversion.status)}</td>
                  <td data-label="Sale">{conversion.amount !== null ? formatAmount(conversion.amount, conversion.currency) : '—'}</td>
                  <td data-label="Payout">{formatAmount(conversion.payout, conversion.offerCurrency)}</td>
                  <td data-label="Transaction ID">{conversion.transactionId ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function TrackingUrlGenerator({ offerId }: { offerId: string }) {
  const selectId = useId();
  const [publisherId, setPublisherId] = useState('');
  const [subs, setSubs] = useState<string[]>(['', '', '', '', '']);
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
      <details className="subs">
        <summary>Sub IDs</summary>
        <p className="field-hint">Values the publisher tracks by, such as a placement or a creative; they come back in reports and postbacks.</p>
        <div className="field-row">
          {subs.map((value, index) => (
            <div className="field" key={index}>
              <label htmlFor={`${selectId}-sub${index + 1}`}>{`Sub ${index + 1}`}</label>
              <input
                id={`${selectId}-sub${index + 1}`}
                value={value}
                onChange={(event) => setSubs(subs.map((sub, at) => (at === index ? event.target.value : sub)))}
              />
            </div>
          ))}
        </div>
      </details>
      {links.isError ? <p role="alert">The tracking URL could not be made: {errorMessage(links.error)}</p> : null}
      <CopyField
        label="Tracking URL"
        value={links.data ? withSubs(links.data.trackingUrl, subs) : ''}
        buttonLabel="Copy tracking URL"
        hint="The publisher's link to this offer. They may add sub1 to sub5 to it."
      />
    </section>
  );
}
