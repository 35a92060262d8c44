import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import type { PostbackLogEntry } from '@waypost/schema';
import { api, type Page } from '../api.js';
import { useOfferOptions } from '../components/admin-options.js';
import { AdminTable, adminColumns, dayBound, FilterBar, Pagination } from '../components/admin-table.js';
import { formatDateTime } from '../format.js';
import { parsePostbackLogSearch, type PostbackLogSearch } from './admin-search.js';
import { LogTabs } from './log-tabs.js';

/** Outcomes the conversion path records: `error` is a request refused before it became a conversion (its reason says why). */
const OUTCOMES = ['accepted', 'duplicate', 'rebill', 'updated', 'rejected', 'error'] as const;

const column = adminColumns<PostbackLogEntry>();

/**
 * `/postback-log`: every postback, pixel and browser conversion the server received, with its parameters as they came
 * (the token hidden), what came of it and why: the first place to look when a network says it sent a conversion.
 */
export function PostbackLogScreen() {
  const search = parsePostbackLogSearch(useSearch({ strict: false }) as Record<string, unknown>);
  const navigate = useNavigate();
  const offers = useOfferOptions();
  const setSearch = (next: PostbackLogSearch) => void navigate({ to: '/postback-log', search: next as never });
  const entries = useQuery({
    queryKey: ['postback-log', search],
    queryFn: () =>
      api.get<Page<PostbackLogEntry>>('/v1/postbacks', {
        offerId: search.offerId,
        outcome: search.outcome,
        from: dayBound(search.from, 'start'),
        to: dayBound(search.to, 'end'),
        cursor: search.cursor,
        limit: 50,
      }),
    placeholderData: keepPreviousData,
  });
  const columns = [
    column.accessor('createdAt', { header: 'Received', cell: (info) => <span className="nowrap">{formatDateTime(info.getValue())}</span> }),
    column.display({ id: 'request', header: 'Request', cell: (info) => `${info.row.original.channel} · ${info.row.original.method} · HTTP ${info.row.original.httpStatus}` }),
    column.accessor('outcome', { header: 'Outcome', cell: (info) => <span className={`badge badge-${info.getValue()}`}>{info.getValue()}</span> }),
    column.accessor('reason', { header: 'Reason', cell: (info) => info.getValue() ?? '—' }),
    column.accessor('offerId', { header: 'Offer', cell: (info) => offers.nameOf(info.getValue()) }),
    column.accessor('clickId', { header: 'Click ID', cell: (info) => (info.getValue() ? <code className="break">{info.getValue()}</code> : '—') }),
    column.accessor('conversionId', {
      header: 'Conversion',
      cell: (info) => (info.getValue() ? <code>{info.getValue()}</code> : '—'),
    }),
    column.accessor('params', {
      header: 'Parameters',
      cell: (info) => {
        const params = Object.entries(info.getValue());
        if (params.length === 0) return '—';
        return (
          <details>
            <summary>
              {params.length} parameter{params.length === 1 ? '' : 's'}
            </summary>
            <dl className="params">
              {params.map(([name, value]) => (
                <div key={name}>
                  <dt>
                    <code>{name}</code>
                  </dt>
                  <dd className="break">
                    <code>{typeof value === 'string' ? value : JSON.stringify(value)}</code>
                  </dd>
                </div>
              ))}
            </dl>
          </details>
        );
      },
    }),
    column.accessor('ip', { header: 'IP', cell: (info) => info.getValue() ?? '—' }),
  ];
  const filtered = [search.offerId, search.outcome, search.from, search.to].some((value) => value !== undefined);
  return (
    <section className="screen" aria-labelledby="postback-log-title">
      <header className="screen-header">
        <h1 id="postback-log-title">Postback log</h1>
        <LogTabs />
      </header>
      <FilterBar
        label="Filter the postback log"
        search={search}
        onApply={setSearch}
        fields={[
          { name: 'offerId', label: 'Offer', type: 'select', choices: [{ value: '', label: 'All offers' }, ...offers.list.map((offer) => ({ value: offer.id, label: offer.name }))] },
          { name: 'outcome', label: 'Outcome', type: 'select', choices: [{ value: '', label: 'All outcomes' }, ...OUTCOMES.map((outcome) => ({ value: outcome, label: outcome }))] },
          { name: 'from', label: 'From', type: 'date' },
          { name: 'to', label: 'To', type: 'date' },
        ]}
      />
      <AdminTable
        label="Postback log"
        noun="postback log entries"
        query={entries}
        columns={columns}
        filtered={filtered}
        empty={
          <>
            Nothing received yet. Each offer's postback URL is on its page (<Link to="/offers">Offers</Link>); every call to it is listed here with its outcome.
          </>
        }
      />
      <Pagination label="Postback log" cursor={search.cursor} nextCursor={entries.data?.nextCursor} onPage={(cursor) => setSearch({ ...search, cursor })} />
    </section>
  );
}
