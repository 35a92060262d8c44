import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams, useSearch } from '@tanstack/react-router';
import type { Payment, PaymentItem } from '@waypost/schema';
import { useId, useState } from 'react';
import { api, errorMessage, type Page } from '../api.js';
import { isAdmin, usePublisherOptions } from '../components/admin-options.js';
import { AdminTable, adminColumns, FilterBar, Pagination, StatusBadge } from '../components/admin-table.js';
import { formatDate, formatDateTime } from '../format.js';
import { formatAmount } from '../money.js';
import { useCurrentSession } from '../session.js';
import { parsePaymentsSearch, type PaymentsSearch } from './admin-search.js';

const column = adminColumns<Payment>();

/** `/payments`: the payments gathered for publishers, to approve once paid through the merchant's own payment system. */
export function PaymentsScreen() {
  const search = parsePaymentsSearch(useSearch({ strict: false }) as Record<string, unknown>);
  const navigate = useNavigate();
  const session = useCurrentSession();
  const publishers = usePublisherOptions();
  const setSearch = (next: PaymentsSearch) => void navigate({ to: '/payments', search: next as never });
  const payments = useQuery({
    queryKey: ['payments', 'list', search],
    queryFn: () => api.get<Page<Payment>>('/v1/payments', { publisherId: search.publisherId, status: search.status, cursor: search.cursor, limit: 50 }),
    placeholderData: keepPreviousData,
  });
  const columns = [
    column.accessor('id', {
      header: 'ID',
      cell: (info) => (
        <Link to="/payments/$paymentId" params={{ paymentId: info.getValue() }}>
          <code>{info.getValue()}</code>
        </Link>
      ),
    }),
    column.accessor('publisherId', { header: 'Publisher', cell: (info) => publishers.nameOf(info.getValue()) }),
    column.accessor('status', { header: 'Status', cell: (info) => <StatusBadge status={info.getValue()} /> }),
    column.accessor('total', { header: 'Total', cell: (info) => <span className="nowrap">{formatAmount(info.getValue(), info.row.original.currency)}</span> }),
    column.accessor('conversionCount', { header: 'Conversions', cell: (info) => info.getValue() }),
    column.accessor('adjustmentTotal', {
      header: 'Adjustments',
      cell: (info) => (info.row.original.adjustmentCount === 0 ? '—' : <span className="nowrap">{formatAmount(info.getValue(), info.row.original.currency)}</span>),
    }),
    column.accessor('createdAt', { header: 'Created', cell: (info) => formatDate(info.getValue()) }),
    column.accessor('approvedAt', { header: 'Approved', cell: (info) => formatDate(info.getValue()) }),
  ];
  return (
    <section className="screen" aria-labelledby="payments-title">
      <header className="screen-header">
        <h1 id="payments-title">Payments</h1>
      </header>
      {isAdmin(session) ? <CreatePayment /> : null}
      <FilterBar
        label="Filter payments"
        search={search}
        onApply={setSearch}
        fields={[
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
            ],
          },
        ]}
      />
      <AdminTable
        label="Payments"
        noun="payments"
        query={payments}
        columns={columns}
        filtered={search.publisherId !== undefined || search.status !== undefined}
        empty="No payments yet. A payment gathers a publisher's approved, unpaid payouts."
      />
      <Pagination label="Payments" cursor={search.cursor} nextCursor={payments.data?.nextCursor} onPage={(cursor) => setSearch({ ...search, cursor })} />
    </section>
  );
}

/** Gathers a publisher's approved, unpaid payouts (and negative adjustments) into a new pending payment. */
function CreatePayment() {
  const id = useId();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const publishers = usePublisherOptions();
  const [publisherId, setPublisherId] = useState('');
  const create = useMutation({
    mutationFn: () => api.post<Payment>('/v1/payments', { publisherId }),
    onSuccess: async (payment) => {
      await queryClient.invalidateQueries({ queryKey: ['payments'] });
      void navigate({ to: '/payments/$paymentId', params: { paymentId: payment.id } });
    },
  });
  return (
    <form
      className="panel filters"
      aria-label="Create payment"
      onSubmit={(event) => {
        event.preventDefault();
        if (publisherId) create.mutate();
      }}
    >
      <div className="field">
        <label htmlFor={id}>Publisher to pay</label>
        <select id={id} value={publisherId} onChange={(event) => setPublisherId(event.target.value)}>
          <option value="">Choose a publisher</option>
          {publishers.list.map((publisher) => (
            <option key={publisher.id} value={publisher.id}>
              {publisher.name}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button button-primary" disabled={!publisherId || create.isPending}>
        Create payment
      </button>
      {create.isError ? (
        <p role="alert" className="field-error">
          {errorMessage(create.error)}
        </p>
      ) : null}
    </form>
  );
}

const itemColumn = adminColumns<PaymentItem>();

/** `/payments/$paymentId`: the payment's totals, its items, and "Approve payment" once it is paid. */
export function PaymentScreen() {
  const { paymentId = '' } = useParams({ strict: false }) as { paymentId?: string };
  const session = useCurrentSession();
  const queryClient = useQueryClient();
  const publishers = usePublisherOptions();
  const payment = useQuery({ queryKey: ['payment', paymentId], queryFn: () => api.get<Payment>(`/v1/payments/${encodeURIComponent(paymentId)}`) });
  const items = useQuery({
    queryKey: ['payment', paymentId, 'items'],
    queryFn: () => api.get<Page<PaymentItem>>(`/v1/payments/${encodeURIComponent(paymentId)}/items`, { limit: 500 }),
  });
  const approve = useMutation({
    mutationFn: () => api.post<Payment>(`/v1/payments/${encodeURIComponent(paymentId)}/approve`),
    onSuccess: async (approved) => {
      queryClient.setQueryData(['payment', paymentId], approved);
      await queryClient.invalidateQueries({ queryKey: ['payments'] });
    },
  });
  if (payment.isPending) return <p role="status">Loading the payment…</p>;
  if (payment.isError) return <p role="alert">The payment could not be loaded: {errorMessage(payment.error)}</p>;
  const data = payment.data;
  const money = (amount: string) => formatAmount(amount, data.currency);
  const itemColumns = [
    itemColumn.accessor('conversionId', {
      header: 'Conversion',
      cell: (info) => <code>{info.getValue()}</code>,
    }),
    itemColumn.accessor('kind', { header: 'Kind', cell: (info) => (info.getValue() === 'payout' ? 'Payout' : 'Adjustment (rejected after payment)') }),
    itemColumn.accessor('amount', { header: 'Amount', cell: (info) => <span className="nowrap">{money(info.getValue())}</span> }),
    itemColumn.accessor('createdAt', { header: 'Date', cell: (info) => formatDateTime(info.getValue()) }),
  ];
  return (
    <section className="screen" aria-labelledby="payment-title">
      <p className="breadcrumb">
        <Link to="/payments">Payments</Link>
      </p>
      <header className="screen-header">
        <h1 id="payment-title">Payment to {publishers.nameOf(data.publisherId)}</h1>
        <StatusBadge status={data.status} />
      </header>
      <dl className="facts">
        <div>
          <dt>Total</dt>
          <dd>{money(data.total)}</dd>
        </div>
        <div>
          <dt>Conversions</dt>
          <dd>{data.conversionCount}</dd>
        </div>
        <div>
          <dt>Adjustments</dt>
          <dd>
            {data.adjustmentCount} ({money(data.adjustmentTotal)})
          </dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>{formatDateTime(data.createdAt)}</dd>
        </div>
        <div>
          <dt>Approved</dt>
          <dd>{data.approvedAt ? formatDateTime(data.approvedAt) : 'Not yet'}</dd>
        </div>
      </dl>
      {data.status === 'pending' && isAdmin(session) ? (
        <div className="form-actions">
          <button type="button" className="button button-primary" onClick={() => approve.mutate()} disabled={approve.isPending}>
            Approve payment
          </button>
          <span className="field-hint">Approve once you have paid it: its payouts count as paid.</span>
          {approve.isError ? <p role="alert">{errorMessage(approve.error)}</p> : null}
        </div>
      ) : null}
      <h2>Items</h2>
      <AdminTable label="Payment items" noun="payment items" query={items} columns={itemColumns} rowId={(item) => `${item.kind}-${item.conversionId}`} empty="This payment has no items." />
    </section>
  );
}
