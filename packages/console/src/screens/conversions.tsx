import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import type { Conversion } from '@waypost/schema';
import { useId, useState } from 'react';
import { api, errorMessage, type Page } from '../api.js';
import { useOfferOptions, usePublisherOptions } from '../components/admin-options.js';
import { AdminTable, adminColumns, dayBound, FilterBar, Pagination, StatusBadge } from '../components/admin-table.js';
import { formatDateTime } from '../format.js';
import { formatAmount } from '../money.js';
import { canWrite, useCurrentSession } from '../session.js';
import { type ConversionsSearch, parseConversionsSearch } from './admin-search.js';

const PAGE_SIZE = 50;

/** The API's query for the list's filters; the export asks for the same with `format=csv`. */
function conversionsQuery(search: ConversionsSearch) {
  return {
    offerId: search.offerId,
    publisherId: search.publisherId,
    status: search.status,
    country: search.country?.toUpperCase(),
    transactionId: search.transactionId,
    couponCode: search.couponCode,
    from: dayBound(search.from, 'start'),
    to: dayBound(search.to, 'end'),
  };
}

/** The export's address: every page of the list's filters, as the server's CSV (`Content-Disposition: attachment`). */
export function exportUrl(search: ConversionsSearch): string {
  const params = new URLSearchParams({ format: 'csv' });
  for (const [name, value] of Object.entries(conversionsQuery(search))) if (value) params.set(name, value);
  return `/v1/conversions?${params.toString()}`;
}

const column = adminColumns<Conversion>();

/** `/conversions`: every conversion with its filters in the URL, status changes and the CSV export. */
export function ConversionsScreen() {
  const search = parseConversionsSearch(useSearch({ strict: false }) as Record<string, unknown>);
  const navigate = useNavigate();
  const session = useCurrentSession();
  const offers = useOfferOptions();
  const publishers = usePublisherOptions();
  const setSearch = (next: ConversionsSearch) => void navigate({ to: '/conversions', search: next as never });
  const conversions = useQuery({
    queryKey: ['conversions', 'list', search],
    queryFn: () => api.get<Page<Conversion>>('/v1/conversions', { ...conversionsQuery(search), cursor: search.cursor, limit: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  const writer = canWrite(session);
  const columns = [
    column.accessor('createdAt', { header: 'Date', cell: (info) => <span className="nowrap">{formatDateTime(info.getValue())}</span> }),
    column.accessor('id', { header: 'ID', cell: (info) => <code>{info.getValue()}</code> }),
    column.accessor('offerId', { header: 'Offer', cell: (info) => offers.nameOf(info.getValue()) }),
    column.accessor('publisherId', { header: 'Publisher', cell: (info) => publishers.nameOf(info.getValue()) }),
    column.accessor('status', {
      header: 'Status',
      cell: (info) => (
        <>
          <StatusBadge status={info.getValue()} />
          {info.row.original.reason ? <span className="field-hint"> {info.row.original.reason}</span> : null}
        </>
      ),
    }),
    column.accessor('payout', {
      header: 'Payout',
      cell: (info) => (
        <span className="nowrap">
          {formatAmount(info.getValue(), info.row.original.offerCurrency)}
          {info.row.original.awaitingFxRate ? <span className="field-hint"> (awaits the {info.row.original.awaitingFxRate} rate)</span> : null}
        </span>
      ),
    }),
    column.accessor('revenue', { header: 'Revenue', cell: (info) => <span className="nowrap">{info.getValue() === null ? '—' : formatAmount(info.getValue()!, info.row.original.offerCurrency)}</span> }),
    column.accessor('amount', { header: 'Sale', cell: (info) => <span className="nowrap">{info.getValue() === null ? '—' : formatAmount(info.getValue()!, info.row.original.currency)}</span> }),
    column.accessor('transactionId', { header: 'Transaction ID', cell: (info) => info.getValue() ?? '—' }),
    column.accessor('couponCode', { header: 'Promo code', cell: (info) => info.getValue() ?? '—' }),
    column.accessor('country', { header: 'Country', cell: (info) => info.getValue() ?? '—' }),
    column.accessor('source', { header: 'Source', cell: (info) => info.getValue() }),
    ...(writer ? [column.display({ id: 'actions', header: 'Actions', cell: (info) => <StatusActions conversion={info.row.original} /> })] : []),
  ];
  const filtered = Object.entries(search).some(([name, value]) => name !== 'cursor' && value !== undefined);

  return (
    <section className="screen" aria-labelledby="conversions-title">
      <header className="screen-header">
        <h1 id="conversions-title">Conversions</h1>
        <div className="button-row">
          <a className="button" href={exportUrl(search)} download="conversions.csv">
            Export CSV
          </a>
          {writer ? (
            <button type="button" className="button button-primary" onClick={() => void navigate({ to: '/conversions/new-transaction' })}>
              Add transaction
            </button>
          ) : null}
        </div>
      </header>
      <FilterBar
        label="Filter conversions"
        search={search}
        onApply={(next) => setSearch(next)}
        fields={[
          { name: 'offerId', label: 'Offer', type: 'select', choices: [{ value: '', label: 'All offers' }, ...offers.list.map((offer) => ({ value: offer.id, label: offer.name }))] },
          {
            name: 'publisherId',
            label: 'Publisher',
            type: 'select',
            choices: [{ value: '', label: 'All publishers' }, ...publishers.list.map((publisher) => ({ value: publisher.id, label: publisher.name }))],
          },
          {
            name: 'status',
            label: 'Status',
            type: 'select',
            choices: [
              { value: '', label: 'All statuses' },
              { value: 'pending', label: 'Pending' },
              { value: 'approved', label: 'Approved' },
              { value: 'rejected', label: 'Rejected' },
            ],
          },
          { name: 'country', label: 'Country', type: 'text', placeholder: 'US' },
          { name: 'transactionId', label: 'Transaction ID', type: 'text' },
          { name: 'couponCode', label: 'Promo code', type: 'text' },
          { name: 'from', label: 'From', type: 'date' },
          { name: 'to', label: 'To', type: 'date' },
        ]}
      />
      <AdminTable label="Conversions" noun="conversions" query={conversions} columns={columns} filtered={filtered} empty="No conversions yet. They appear here as postbacks, pixels and manual transactions come in." />
      <Pagination label="Conversions" cursor={search.cursor} nextCursor={conversions.data?.nextCursor} onPage={(cursor) => setSearch({ ...search, cursor })} />
    </section>
  );
}

/**
 * Approve or reject a conversion. Decisions only move forward (the server's rule): a pending ("held") conversion can
 * be approved or rejected, an approved one rejected (a refund), a rejected one nothing more. A rejection may say why.
 */
function StatusActions({ conversion }: { conversion: Conversion }) {
  const queryClient = useQueryClient();
  const reasonId = useId();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const change = useMutation({
    mutationFn: (body: { status: 'approved' | 'rejected'; reason?: string }) => api.patch<Conversion>(`/v1/conversions/${encodeURIComponent(conversion.id)}`, body),
    onSuccess: async () => {
      setRejecting(false);
      await queryClient.invalidateQueries({ queryKey: ['conversions'] });
    },
  });
  if (conversion.status === 'rejected') return <span className="field-hint">Final</span>;
  return (
    <div className="button-row">
      {conversion.status === 'pending' ? (
        <button type="button" className="button" aria-label={`Approve conversion ${conversion.id}`} onClick={() => change.mutate({ status: 'approved' })} disabled={change.isPending}>
          Approve
        </button>
      ) : null}
      {rejecting ? (
        <div className="confirm" role="group" aria-label={`Reject conversion ${conversion.id}?`}>
          <label htmlFor={reasonId}>Reason</label>
          <input id={reasonId} type="text" value={reason} maxLength={255} onChange={(event) => setReason(event.target.value)} />
          <button
            type="button"
            className="button button-danger"
            onClick={() => change.mutate({ status: 'rejected', ...(reason.trim() ? { reason: reason.trim() } : {}) })}
            disabled={change.isPending}
          >
            Confirm rejection
          </button>
          <button type="button" className="button" onClick={() => setRejecting(false)}>
            Cancel
          </button>
        </div>
      ) : (
        <button type="button" className="button" aria-label={`${conversion.status === 'approved' ? 'Refund' : 'Reject'} conversion ${conversion.id}`} onClick={() => setRejecting(true)}>
          {conversion.status === 'approved' ? 'Refund' : 'Reject'}
        </button>
      )}
      {change.isError ? <span role="alert">{errorMessage(change.error)}</span> : null}
    </div>
  );
}
