import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import type { Conversion, Offer } from '@waypost/schema';
import { useEffect, useState } from 'react';
import { ApiRequestError, api, errorMessage, type Page, type Query } from '../api.js';
import { formatDateTime, formatStatus } from '../format.js';
import { formatAmount } from '../money.js';
import { LoadError } from './portal-promo-codes.js';
import { CONVERSION_STATUSES, type PortalReportsSearch } from './portal-search.js';
import './portal.css';

const PAGE_SIZE = 50;

/** The API's query for the report's filters: `GET /v1/conversions` pins it to the publisher who asks. */
export function conversionsQuery(search: PortalReportsSearch): Query {
  return {
    offerId: search.offerId,
    status: search.status,
    country: search.country,
    transactionId: search.orderId,
    couponCode: search.couponCode,
    order: search.sort === 'oldest' ? 'asc' : 'desc',
  };
}

/** The CSV of the same filters (`format=csv`), saved as a file; an error is shown in words, not as a page of JSON. */
async function downloadCsv(search: PortalReportsSearch): Promise<void> {
  const url = new URL('/v1/conversions', window.location.origin);
  for (const [name, value] of Object.entries({ ...conversionsQuery(search), format: 'csv' })) {
    if (value !== undefined && value !== '') url.searchParams.set(name, String(value));
  }
  let response: Response;
  try {
    response = await fetch(url, { headers: { Accept: 'text/csv' }, credentials: 'same-origin' });
  } catch {
    throw new ApiRequestError(0, 'network_error', 'The server could not be reached. Check your connection and try again.');
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => undefined)) as { error?: { code?: string; message?: string } } | undefined;
    throw new ApiRequestError(response.status, body?.error?.code ?? `http_${response.status}`, body?.error?.message ?? `The server answered ${response.status}.`);
  }
  const href = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = href;
  link.download = 'conversions.csv';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own reference to the file by now; the URL only holds memory.
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}

/**
 * `/portal/reports`: the publisher's conversions, one row each with its order ID and promo code, filtered and sorted
 * by the URL's params, with a CSV export of the same filters.
 */
export function PortalReportsScreen() {
  const search = useSearch({ strict: false }) as PortalReportsSearch;
  const navigate = useNavigate();
  const setSearch = (next: PortalReportsSearch) => void navigate({ to: '/portal/reports', search: { ...next, cursor: undefined } });
  const [typed, setTyped] = useState({ country: search.country ?? '', orderId: search.orderId ?? '', couponCode: search.couponCode ?? '' });
  useEffect(() => setTyped({ country: search.country ?? '', orderId: search.orderId ?? '', couponCode: search.couponCode ?? '' }), [search.country, search.orderId, search.couponCode]);
  const offers = useQuery({ queryKey: ['offers', 'names'], queryFn: () => api.get<Page<Offer>>('/v1/offers', { limit: 500 }) });
  const offerNames = new Map((offers.data?.data ?? []).map((offer) => [offer.id, offer.name]));
  const conversions = useQuery({
    queryKey: ['portal', 'conversions', search],
    queryFn: () => api.get<Page<Conversion>>('/v1/conversions', { ...conversionsQuery(search), cursor: search.cursor, limit: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  const exportCsv = useMutation({ mutationFn: () => downloadCsv(search) });
  const filtered = [search.offerId, search.status, search.country, search.orderId, search.couponCode].some((value) => value !== undefined);
  const text = (value: string) => value.trim() || undefined;

  return (
    <section className="screen" aria-labelledby="portal-reports-title">
      <header className="screen-header">
        <h1 id="portal-reports-title">Reports</h1>
        <button type="button" className="button" onClick={() => exportCsv.mutate()} disabled={exportCsv.isPending}>
          Export
        </button>
      </header>
      {exportCsv.isError ? (
        <p className="alert alert-error" role="alert">
          The export failed: {errorMessage(exportCsv.error)}
        </p>
      ) : null}

      <form
        className="filters"
        role="search"
        aria-label="Filter conversions"
        onSubmit={(event) => {
          event.preventDefault();
          setSearch({ ...search, country: text(typed.country)?.toUpperCase(), orderId: text(typed.orderId), couponCode: text(typed.couponCode) });
        }}
      >
        <div className="field">
          <label htmlFor="portal-reports-offer">Offer</label>
          <select id="portal-reports-offer" value={search.offerId ?? ''} onChange={(event) => setSearch({ ...search, offerId: event.target.value || undefined })}>
            <option value="">All offers</option>
            {(offers.data?.data ?? []).map((offer) => (
              <option key={offer.id} value={offer.id}>
                {offer.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="portal-reports-status">Status</label>
          <select
            id="portal-reports-status"
            value={search.status ?? ''}
            onChange={(event) => setSearch({ ...search, status: CONVERSION_STATUSES.find((status) => status === event.target.value) })}
          >
            <option value="">All statuses</option>
            {CONVERSION_STATUSES.map((status) => (
              <option key={status} value={status}>
                {formatStatus(status)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="portal-reports-country">Country</label>
          <input
            id="portal-reports-country"
            value={typed.country}
            maxLength={2}
            autoComplete="off"
            aria-describedby="portal-reports-country-hint"
            onChange={(event) => setTyped({ ...typed, country: event.target.value })}
          />
          <p className="field-hint" id="portal-reports-country-hint">
            Two letters, such as DE.
          </p>
        </div>
        <div className="field">
          <label htmlFor="portal-reports-order">Order ID</label>
          <input id="portal-reports-order" value={typed.orderId} autoComplete="off" onChange={(event) => setTyped({ ...typed, orderId: event.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="portal-reports-code">Promo code</label>
          <input id="portal-reports-code" value={typed.couponCode} autoComplete="off" onChange={(event) => setTyped({ ...typed, couponCode: event.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="portal-reports-sort">Sort by</label>
          <select id="portal-reports-sort" value={search.sort ?? ''} onChange={(event) => setSearch({ ...search, sort: event.target.value === 'oldest' ? 'oldest' : undefined })}>
            <option value="">Newest first</option>
            <option value="oldest">Oldest first</option>
          </select>
        </div>
        <button type="submit" className="button">
          Filter
        </button>
      </form>

      {conversions.isError ? (
        <LoadError what="conversions" error={conversions.error} retry={() => void conversions.refetch()} />
      ) : conversions.isPending ? (
        <p role="status" className="loading">
          Loading conversions…
        </p>
      ) : conversions.data.data.length === 0 ? (
        <div className="empty" role="status">
          <p>{filtered ? 'No conversions match these filters.' : 'No conversions yet. Sales through your links and promo codes show here.'}</p>
        </div>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Conversions table">
          <table className="data-table" aria-label="Conversions" aria-busy={conversions.isFetching}>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Offer</th>
                <th scope="col">Status</th>
                <th scope="col">Order ID</th>
                <th scope="col">Promo code</th>
                <th scope="col">Country</th>
                <th scope="col">Sale</th>
                <th scope="col">Payout</th>
              </tr>
            </thead>
            <tbody>
              {conversions.data.data.map((conversion) => (
                <tr key={conversion.id}>
                  <td data-label="Date">{formatDateTime(conversion.createdAt)}</td>
                  <td data-label="Offer">{offerNames.get(conversion.offerId) ?? conversion.offerId}</td>
                  <td data-label="Status">
                    <span className={`badge badge-${conversion.status}`}>{formatStatus(conversion.status)}</span>
                  </td>
                  <td data-label="Order ID">{conversion.transactionId ?? '—'}</td>
                  <td data-label="Promo code">{conversion.couponCode ? <code>{conversion.couponCode}</code> : '—'}</td>
                  <td data-label="Country">{conversion.country ?? '—'}</td>
                  <td data-label="Sale">{conversion.amount !== null ? formatAmount(conversion.amount, conversion.currency) : '—'}</td>
                  <td data-label="Payout">{formatAmount(conversion.payout, conversion.offerCurrency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <nav className="pagination" aria-label="Conversions pages">
        {search.cursor ? (
          <button type="button" className="button" onClick={() => setSearch(search)}>
            First page
          </button>
        ) : null}
        {conversions.data?.nextCursor ? (
          <button type="button" className="button" onClick={() => void navigate({ to: '/portal/reports', search: { ...search, cursor: conversions.data.nextCursor ?? undefined } })}>
            Next page
          </button>
        ) : null}
      </nav>
    </section>
  );
}
