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
  leadType?: string;
  workspaceId?: string;
  /** The page after the first, as the API's cursor. */
  cursor?: string;
}

export function parseOffersSearch(search: Record<string, unknown>): OffersSearch {
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value : undefined);
  const status = search.status === 'active' || search.status === 'inactive' ? search.status : undefined;
  return { q: text(search.q), status, leadType: text(search.leadType), workspaceId: text(search.workspaceId), cursor: text(search.cursor) };
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
  column.display({ id: 'payout', header: 'Payout type', cell: (info) => <span className="nowrap">{describePayout(info.row.original)}</span> }),
  column.accessor('status', { header: 'Status', cell: (info) => <span className={`badge badge-${info.getValue()}`}>{formatStatus(info.getValue())}</span> }),
  column.accessor('expiresAt', { header: 'Expiration date', cell: (info) => formatDate(info.getValue()) }),
  column.accessor('createdAt', { header: 'Registration date', cell: (info) => formatDate(info.getValue()) }),
]);
const NO_OFFERS: Offer[] = [];

export function OffersList({ search }: { search: OffersSearch }) {
  const session = useCurrentSession();
  const navigate = useNavigate();
  const setSearch = (next: OffersSearch) => void navigate({ to: '/offers', search: next });
  // What is typed in the text filters, put in the URL once typing pauses (or at once on Enter).
  const [typed, setTyped] = useState({ q: search.q ?? '', leadType: search.leadType ?? '' });
  const typedSearch = { ...search, q: typed.q.trim() || undefined, leadType: typed.leadType.trim() || undefined, cursor: undefined };
  const typingPending = typedSearch.q !== search.q || typedSearch.leadType !== search.leadType;

  // The URL is the truth: back and forward, or a pasted link, put their filters into the boxes.
  useEffect(() => setTyped({ q: search.q ?? '', leadType: search.leadType ?? '' }), [search.q, search.leadType]);
  useEffect(() => {
    if (!typingPending) return;
    const timer = setTimeout(() => setSearch(typedSearch), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  });

  const offers = useQuery({
    queryKey: ['offers', 'list', search],
    queryFn: () =>
      api.get<Page<Offer>>('/v1/offers', {
        q: search.q,
        status: search.status,
        leadType: search.leadType,
        workspaceId: search.workspaceId,
        cursor: search.cursor,
        limit: PAGE_SIZE,
      }),
    placeholderData: keepPreviousData,
  });
  const table = useTable({ features, columns, data: offers.data?.data ?? NO_OFFERS });
  const filtered = [search.q, search.status, search.leadType, search.workspaceId].some((value) => value !== undefined);

  return (
    <section className="screen" aria-labelledby="offers-title">
      <header className="screen-header">
        <h1 id="offers-title">Offers</h1>
        <div className="button-row">
          <Link to="/keyword-sets" className="button">
            Keyword sets
          </Link>
          {canWrite(session) ? (
            <button type="button" className="button button-primary" onClick={() => void navigate({ to: '/offers/new' })}>
              Add offer
            </button>
          ) : null}
        </div>
      </header>

      <form
        className="filters"
        role="search"
        aria-label="Filter offers"
        onSubmit={(event) => {
          event.preventDefault();
          if (typingPending) setSearch(typedSearch);
        }}
      >
        <div className="field">
          <label htmlFor="offers-search">Search</label>
          <input id="offers-search" type="search" value={typed.q} onChange={(event) => setTyped({ ...typed, q: event.target.value })} placeholder="Name or ID" />
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
        <div className="field">
          <label htmlFor="offers-lead-type">Lead type</label>
          <input id="offers-lead-type" type="text" value={typed.leadType} onChange={(event) => setTyped({ ...typed, leadType: event.target.value })} />
        </div>
        {session.workspaces.length > 1 ? (
          <div className="field">
            <label htmlFor="offers-workspace">Workspace</label>
            <select
              id="offers-workspace"
              value={search.workspaceId ?? ''}
              onChange={(event) => setSearch({ ...search, workspaceId: event.target.value || undefined, cursor: undefined })}
            >
              <option value="">All workspaces</option>
              {session.workspaces.map((workspace) => (
                <option key={workspace.id} value={workspace.id}>
                  {workspace.name}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        {/* Enter in a text filter submits the form; a form needs a button to be submitted by Enter in every browser. */}
        <button type="submit" className="button">
          Filter
        </button>
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
