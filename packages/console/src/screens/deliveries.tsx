import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import type { Delivery } from '@waypost/schema';
import { api, type Page } from '../api.js';
import { usePublisherOptions } from '../components/admin-options.js';
import { AdminTable, adminColumns, FilterBar, Pagination, StatusBadge } from '../components/admin-table.js';
import { formatDateTime } from '../format.js';
import { type DeliveriesSearch, parseDeliveriesSearch } from './admin-search.js';
import { LogTabs } from './log-tabs.js';

const column = adminColumns<Delivery>();

/** `/deliveries`: the publisher postbacks and conversion e-mails the server sent, with each one's tries and last error. */
export function DeliveriesScreen() {
  const search = parseDeliveriesSearch(useSearch({ strict: false }) as Record<string, unknown>);
  const navigate = useNavigate();
  const publishers = usePublisherOptions();
  const setSearch = (next: DeliveriesSearch) => void navigate({ to: '/deliveries', search: next as never });
  const deliveries = useQuery({
    queryKey: ['deliveries', search],
    queryFn: () =>
      api.get<Page<Delivery>>('/v1/deliveries', { kind: search.kind, status: search.status, publisherId: search.publisherId, conversionId: search.conversionId, cursor: search.cursor, limit: 50 }),
    placeholderData: keepPreviousData,
  });
  const columns = [
    column.accessor('createdAt', { header: 'Created', cell: (info) => <span className="nowrap">{formatDateTime(info.getValue())}</span> }),
    column.accessor('kind', { header: 'Kind', cell: (info) => (info.getValue() === 'email' ? 'E-mail' : 'Postback') }),
    column.accessor('trigger', { header: 'For', cell: (info) => `${info.getValue() === 'conversion' ? 'Conversion' : 'Status change'} (${info.row.original.conversionStatus})` }),
    column.accessor('publisherId', { header: 'Publisher', cell: (info) => publishers.nameOf(info.getValue()) }),
    column.accessor('target', { header: 'Target', cell: (info) => <code className="break">{info.getValue()}</code> }),
    column.accessor('status', { header: 'Status', cell: (info) => <StatusBadge status={info.getValue()} /> }),
    column.accessor('attempts', {
      header: 'Tries',
      cell: (info) => `${info.getValue()}${info.row.original.nextAttemptAt ? `, next ${formatDateTime(info.row.original.nextAttemptAt)}` : ''}`,
    }),
    column.accessor('lastError', {
      header: 'Last reply',
      cell: (info) => (info.getValue() ?? (info.row.original.lastResponseStatus ? `HTTP ${info.row.original.lastResponseStatus}` : '—')),
    }),
    column.accessor('conversionId', { header: 'Conversion', cell: (info) => <code>{info.getValue()}</code> }),
  ];
  const filtered = [search.kind, search.status, search.publisherId, search.conversionId].some((value) => value !== undefined);
  return (
    <section className="screen" aria-labelledby="deliveries-title">
      <header className="screen-header">
        <h1 id="deliveries-title">Deliveries</h1>
        <LogTabs />
      </header>
      <FilterBar
        label="Filter deliveries"
        search={search}
        onApply={setSearch}
        fields={[
          {
            name: 'kind',
            label: 'Kind',
            type: 'select',
            choices: [
              { value: '', label: 'All kinds' },
              { value: 'postback', label: 'Postback' },
              { value: 'email', label: 'E-mail' },
            ],
          },
          {
            name: 'status',
            label: 'Status',
            type: 'select',
            choices: [
              { value: '', label: 'All statuses' },
              { value: 'pending', label: 'Pending' },
              { value: 'delivered', label: 'Delivered' },
              { value: 'failed', label: 'Failed' },
            ],
          },
          {
            name: 'publisherId',
            label: 'Publisher',
            type: 'select',
            choices: [{ value: '', label: 'All publishers' }, ...publishers.list.map((publisher) => ({ value: publisher.id, label: publisher.name }))],
          },
          { name: 'conversionId', label: 'Conversion ID', type: 'text' },
        ]}
      />
      <AdminTable
        label="Deliveries"
        noun="deliveries"
        query={deliveries}
        columns={columns}
        filtered={filtered}
        empty="Nothing sent yet. A publisher with a postback URL, or an offer with conversion e-mails, gets one delivery per conversion."
      />
      <Pagination label="Deliveries" cursor={search.cursor} nextCursor={deliveries.data?.nextCursor} onPage={(cursor) => setSearch({ ...search, cursor })} />
    </section>
  );
}
