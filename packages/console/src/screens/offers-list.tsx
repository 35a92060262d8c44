import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { createColumnHelper, tableFeatures, useTable } from '@tanstack/react-table';
import { Link, useNavigate } from '@tanstack/react-router';
import type { Offer } from '@waypost/schema';
import { useEffect, useState } from 'react';
import { api, errorMessage, type Page } from '../api.js';
import { describePayout, formatDate, formatStatus } from '../format.js';
import { canWrite, useCurrentSession } from '../session.js';

/** The offers list's filters, kept in the URL so that a reload, a bookmark or a shared link shows the same list. */
export interface OffersSearch {
  q?: string;
  status?: 'active' | 'inactive';
  /** The page after the first, as the API's cursor. */
  cursor?: string;
}

export function parseOffersSearch(search: Record<string, unknown>): OffersSearch {
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value : undefined);
  const status = search.status === 'active' || search.status === 'inactive' ? search.status : undefined;
  return { q: text(search.q), status, cursor: text(search.cursor) };
}

const PAGE_SIZE = 50;
/** How long typing may pause before the search runs. */
const SEARCH_DELAY_MS = 300;

const features = tableFeatures({});
const column = createColumnHelper<typeof features, Offer>();
const columns = column.columns([
  column.accessor('id', { header: 'ID', cell: (info) => <code>{info.getValue()}</code> }),
  column.accessor('leadType', { header: 'Lead type', cell: (info) => info.getValue() ?? '—' }),
  column.accessor('name', {
    header: 'Offer name',
    cell: (info) => (
      <Link to="/offers/$offerId" params={{ offerId: info.row.original.id }}>
        {info.getValue()}
      </Link>
    ),
  }),
  column.display({ id: 'payout', header: 'Payout type', cell: (info) => describePayout(info.row.original) }),
  column.accessor('status', { header: 'Status', cell: (info) => <span className={`badge badge-${info.getValue()}`}>{formatStatus(info.getValue())}</span> }),
  column.accessor('expiresAt', { header: 'Expiration date', cell: (info) => formatDate(info.getValue()) }),
  column.accessor('createdAt', { header: 'Registration date', cell: (info) => formatDate(info.getValue()) }),
]);
const NO_OFFERS: Offer[] = [];

export function OffersList({ search }: { search: OffersSearch }) {
  const session = useCurrentSession();
  const navigate = useNavigate();
  const setSearch = (next: OffersSearch) => void navigate({ to: '/offers', search: next });
  const [query, setQuery] = useState(search.q ?? '');

  // The URL is the truth: back and forward, or a pasted link, put their search into the box.
  useEffect(() => setQuery(search.q ?? ''), [search.q]);
  useEffect(() => {
    if (query.trim() === (search.q ?? '')) return;
    const timer = setTimeout(() => setSearch({ ...search, q: query.trim() || undefined, cursor: undefined }), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  });

  const offers = useQuery({
    queryKey: ['offers', 'list', search],
    queryFn: () => api.get<Page<Offer>>('/v1/offers', { q: search.q, status: search.status, cursor: search.cursor, limit: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  const table = useTable({ features, columns, data: offers.data?.data ?? NO_OFFERS });
  const filtered = search.q !== undefined || search.status !== undefined;

  return (
    <section className="screen" aria-labelledby="offers-title">
      <header className="screen-header">
        <h1 id="offers-title">Offers</h1>
        {canWrite(session) ? (
          <button type="button" className="button button-primary" onClick={() => void navigate({ to: '/offers/new' })}>
            Add offer
          </button>
        ) : null}
      </header>

      <form
        className="filters"
        role="search"
        aria-label="Filter offers"
        onSubmit={(event) => {
          event.preventDefault();
          setSearch({ ...search, q: query.trim() || undefined, cursor: undefined });
        }}
      >
        <div className="field">
          <label htmlFor="offers-search">Search</label>
          <input id="offers-search" type="search" value={query} onChange={(event) => setQuery(event.target.value)} placeholder="Name or ID" />
        </div>
        <div className="field">
          <label htmlFor="offers-status">Status</label>
          <select
            id="offers-status"
            value={search.status ?? ''}
            onChange={(event) => setSearch({ ...search, status: (event.target.value || undefined) as OffersSearch['status'], cursor: undefined })}
          >
            <option value="">All statuses</option>
            <option value="active">Active</option>
            <option value="inactive">Inactive</option>
          </select>
        </div>
      </form>

      {offers.isError ? (
        <div className="alert alert-error" role="alert">
          <p>The offers could not be loaded: {errorMessage(offers.error)}</p>
          <button type="button" className="button" onClick={() => void offers.refetch()}>
            Try again
          </button>
        </div>
      ) : offers.isPending ? (
        <p role="status" className="loading">
          Loading offers…
        </p>
      ) : offers.data.data.length === 0 ? (
        <div className="empty" role="status">
          {filtered ? <p>No offers match these filters.</p> : <p>No offers yet.{canWrite(session) ? ' Add your first offer to get its tracking links.' : ''}</p>}
        </div>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Offers table">
          <table className="data-table" aria-labelledby="offers-title" aria-busy={offers.isFetching}>
            <thead>
              {table.getHeaderGroups().map((group) => (
                <tr key={group.id}>
                  {group.headers.map((header) => (
                    <th key={header.id} scope="col">
                      <table.FlexRender header={header} />
                    </th>
                  ))}
                </tr>
              ))}
            </thead>
            <tbody>
              {table.getRowModel().rows.map((row) => (
                <tr key={row.id}>
                  {row.getAllCells().map((cell) => (
                    <td key={cell.id} data-label={String(cell.column.columnDef.header)}>
                      <table.FlexRender cell={cell} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <nav className="pagination" aria-label="Offers pages">
        {search.cursor ? (
          <button type="button" className="button" onClick={() => setSearch({ ...search, cursor: undefined })}>
            First page
          </button>
        ) : null}
        {offers.data?.nextCursor ? (
          <button type="button" className="button" onClick={() => setSearch({ ...search, cursor: offers.data.nextCursor ?? undefined })}>
            Next page
          </button>
        ) : null}
      </nav>
    </section>
  );
}
