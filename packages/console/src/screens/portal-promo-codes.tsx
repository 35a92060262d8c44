import { useQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import type { Offer, PromoCode, PromoCodeRequest } from '@waypost/schema';
import { type KeyboardEvent, useId } from 'react';
import { api, errorMessage, type Page } from '../api.js';
import { formatDate, formatStatus } from '../format.js';
import type { PromoCodesSearch } from './portal-search.js';
import './portal.css';

/** Offer names by id, from the offers the caller sees (a publisher: those it may promote). */
export function useOfferNames(): (id: string) => string {
  const offers = useQuery({ queryKey: ['offers', 'names'], queryFn: () => api.get<Page<Offer>>('/v1/offers', { limit: 500 }) });
  const names = new Map((offers.data?.data ?? []).map((offer) => [offer.id, offer.name]));
  return (id) => names.get(id) ?? id;
}

const TABS = [
  { id: 'codes', label: 'My promo codes' },
  { id: 'requests', label: 'Promo code requests' },
] as const;

/**
 * `/portal/promo-codes`: the publisher's confirmed codes, and its requests (in moderation, and decided ones for the 14
 * days the API lists them). The open tab is in the URL.
 */
export function PortalPromoCodesScreen() {
  const search = useSearch({ strict: false }) as PromoCodesSearch;
  const navigate = useNavigate();
  const id = useId();
  const current = search.tab === 'requests' ? 'requests' : 'codes';
  const choose = (tab: 'codes' | 'requests') => void navigate({ to: '/portal/promo-codes', search: tab === 'requests' ? { tab } : {} });
  // Arrow keys move between tabs (the WAI-ARIA tabs pattern); Tab goes on into the panel.
  const onKeyDown = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft' && event.key !== 'Home' && event.key !== 'End') return;
    event.preventDefault();
    const next = event.key === 'Home' ? 'codes' : event.key === 'End' ? 'requests' : current === 'codes' ? 'requests' : 'codes';
    choose(next);
    document.getElementById(`${id}-tab-${next}`)?.focus();
  };
  return (
    <section className="screen" aria-labelledby={`${id}-title`}>
      <header className="screen-header">
        <h1 id={`${id}-title`}>Promo codes</h1>
      </header>
      <div className="tabs" role="tablist" aria-label="Promo codes">
        {TABS.map((tab) => (
          <button
            key={tab.id}
            type="button"
            role="tab"
            className="tab"
            id={`${id}-tab-${tab.id}`}
            aria-selected={current === tab.id}
            aria-controls={`${id}-panel`}
            tabIndex={current === tab.id ? 0 : -1}
            onClick={() => choose(tab.id)}
            onKeyDown={onKeyDown}
          >
            {tab.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-tab-${current}`}>
        {current === 'codes' ? <MyPromoCodes /> : <MyRequests />}
      </div>
    </section>
  );
}

function MyPromoCodes() {
  const offerName = useOfferNames();
  const codes = useQuery({ queryKey: ['portal', 'promo-codes'], queryFn: () => api.get<Page<PromoCode>>('/v1/promo-codes', { limit: 500 }) });
  if (codes.isError) return <LoadError what="promo codes" error={codes.error} retry={() => void codes.refetch()} />;
  if (codes.isPending) return <p role="status">Loading promo codes…</p>;
  if (codes.data.data.length === 0) {
    return (
      <div className="empty" role="status">
        <p>No promo codes yet. Ask for one with “Get promo code” on an offer; it shows here once confirmed.</p>
      </div>
    );
  }
  return (
    <div className="table-scroll">
      <table className="data-table" aria-label="My promo codes">
        <thead>
          <tr>
            <th scope="col">Promo code</th>
            <th scope="col">Offer</th>
            <th scope="col">Issued</th>
          </tr>
        </thead>
        <tbody>
          {codes.data.data.map((code) => (
            <tr key={code.id}>
              <td data-label="Promo code">
                <code>{code.code}</code>
              </td>
              <td data-label="Offer">{offerName(code.offerId)}</td>
              <td data-label="Issued">{formatDate(code.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function MyRequests() {
  const offerName = useOfferNames();
  const requests = useQuery({
    queryKey: ['portal', 'promo-code-requests'],
    queryFn: () => api.get<Page<PromoCodeRequest>>('/v1/promo-codes/requests', { limit: 500 }),
  });
  if (requests.isError) return <LoadError what="requests" error={requests.error} retry={() => void requests.refetch()} />;
  if (requests.isPending) return <p role="status">Loading requests…</p>;
  return (
    <>
      <p className="field-hint">Requests waiting for a decision, and those decided in the last 14 days.</p>
      {requests.data.data.length === 0 ? (
        <div className="empty" role="status">
          <p>No requests. “Get promo code” on an offer sends one.</p>
        </div>
      ) : (
        <div className="table-scroll">
          <table className="data-table" aria-label="Promo code requests">
            <thead>
              <tr>
                <th scope="col">Offer</th>
                <th scope="col">Platform</th>
                <th scope="col">Requested</th>
                <th scope="col">Status</th>
                <th scope="col">Promo code</th>
              </tr>
            </thead>
            <tbody>
              {requests.data.data.map((request) => (
                <tr key={request.id}>
                  <td data-label="Offer">{offerName(request.offerId)}</td>
                  <td data-label="Platform">{request.platform}</td>
                  <td data-label="Requested">{formatDate(request.createdAt)}</td>
                  <td data-label="Status">
                    <RequestStatus request={request} />
                  </td>
                  <td data-label="Promo code">{request.code ? <code>{request.code}</code> : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

const STATUS_LABELS: Record<PromoCodeRequest['status'], string> = { moderation: 'In moderation', confirmed: 'Confirmed', rejected: 'Rejected' };

/** A request's status; a rejection's reason shows while the status is hovered or focused, and is its description. */
export function RequestStatus({ request }: { request: PromoCodeRequest }) {
  const id = useId();
  const label = STATUS_LABELS[request.status] ?? formatStatus(request.status);
  if (request.status !== 'rejected' || !request.reason) return <span className={`badge badge-${request.status}`}>{label}</span>;
  return (
    <span className="tip">
      <button type="button" className={`badge badge-rejected tip-trigger`} aria-describedby={id}>
        {label}
      </button>
      <span role="tooltip" id={id} className="tip-text">
        {request.reason}
      </span>
    </span>
  );
}

export function LoadError({ what, error, retry }: { what: string; error: unknown; retry: () => void }) {
  return (
    <div className="alert alert-error" role="alert">
      <p>
        The {what} could not be loaded: {errorMessage(error)}
      </p>
      <button type="button" className="button" onClick={retry}>
        Try again
      </button>
    </div>
  );
}
