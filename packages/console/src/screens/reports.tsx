import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { REPORT_DIMENSIONS, type Report, type ReportDimension, type ReportRow } from '@waypost/schema';
import { useState } from 'react';
import { api, errorMessage } from '../api.js';
import { formatAmount } from '../money.js';
import { type NamedRecord, useOptions } from './campaign-shared.js';
import { BarChart } from './reports-chart.js';
import { dayFromToday, parseReportsSearch, type ReportsSearch } from './reports-search.js';

export const DIMENSION_LABELS: Record<ReportDimension, string> = {
  day: 'Day',
  offer: 'Offer',
  publisher: 'Publisher',
  country: 'Country',
  device: 'Device',
  sub1: 'Sub 1',
  sub2: 'Sub 2',
  sub3: 'Sub 3',
  sub4: 'Sub 4',
  sub5: 'Sub 5',
  couponCode: 'Promo code',
  campaign: 'Campaign',
  stream: 'Stream',
  lander: 'Lander',
  trafficSource: 'Traffic source',
  keyword: 'Keyword',
  os: 'OS',
  browser: 'Browser',
};

/** The figures of a report row, in the order trackers show them. */
const METRICS = [
  { key: 'visits', label: 'Visits', money: false },
  { key: 'uniqueVisits', label: 'Unique visits', money: false },
  { key: 'landerClicks', label: 'Lander clicks', money: false },
  { key: 'conversions', label: 'Conversions', money: false },
  { key: 'revenue', label: 'Revenue', money: true },
  { key: 'payout', label: 'Payout', money: true },
  { key: 'cost', label: 'Cost', money: true },
  { key: 'profit', label: 'Profit', money: true },
  { key: 'roi', label: 'ROI', money: false },
] as const;
type MetricKey = (typeof METRICS)[number]['key'];

type Metrics = Report['totals'];

export function metricValue(metrics: Metrics, key: MetricKey): number | null {
  if (key === 'conversions') return metrics.conversions.total;
  const value = metrics[key];
  return value === null ? null : Number(value);
}

export function formatMetric(metrics: Metrics, key: MetricKey, currency: string): string {
  if (key === 'conversions') return String(metrics.conversions.total);
  const value = metrics[key];
  if (value === null) return '—';
  if (key === 'roi') return `${value}%`;
  return typeof value === 'string' ? formatAmount(value, currency) : value.toLocaleString('en-US');
}

/** The key of a row's value for a dimension, and how it reads: a name where the report or the options know it. */
function dimensionText(row: ReportRow, dim: ReportDimension, names: (id: string) => string | undefined): string {
  const ids: Partial<Record<ReportDimension, keyof ReportRow>> = {
    offer: 'offerId',
    publisher: 'publisherId',
    campaign: 'campaignId',
    stream: 'streamId',
    lander: 'landerId',
    trafficSource: 'trafficSourceId',
  };
  if (dim === 'offer' && row.offerName) return row.offerName;
  if (dim === 'publisher' && row.publisherName) return row.publisherName;
  const key = ids[dim] ?? (dim as keyof ReportRow);
  const value = row[key];
  if (value === null || value === undefined || value === '') return '(none)';
  return (ids[dim] ? names(String(value)) : undefined) ?? String(value);
}

/** The API's query for the screen's settings; the last 7 days when the URL names no period. */
export function reportQuery(search: ReportsSearch) {
  return {
    from: search.from ?? dayFromToday(-6),
    to: search.to ?? dayFromToday(0),
    // A dimension the console does not know (an old bookmark) is left out rather than refused.
    groupBy: (search.groupBy ?? '').split(',').filter((dim) => (REPORT_DIMENSIONS as readonly string[]).includes(dim)).join(',') || 'day',
    campaignId: search.campaignId,
    trafficSourceId: search.trafficSourceId,
    landerId: search.landerId,
    offerId: search.offerId,
    publisherId: search.publisherId,
    status: search.status,
    country: search.country,
  };
}

function FilterSelect({ id, label, all, value, options, onChange }: { id: string; label: string; all: string; value: string | undefined; options: NamedRecord[] | undefined; onChange: (value: string | undefined) => void }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value ?? ''} onChange={(event) => onChange(event.target.value || undefined)}>
        <option value="">{all}</option>
        {value && !options?.some((option) => option.id === value) ? <option value={value}>{value}</option> : null}
        {(options ?? []).map((option) => (
          <option key={option.id} value={option.id}>
            {option.name}
          </option>
        ))}
      </select>
    </div>
  );
}

/** `/reports`: any grouping, the campaign filters, a chart of one figure, and the CSV of the same query. */
export function ReportsScreen() {
  const search = parseReportsSearch(useSearch({ strict: false }));
  const navigate = useNavigate();
  const setSearch = (next: ReportsSearch) => void navigate({ to: '/reports', search: next as never });
  const query = reportQuery(search);
  const dims = query.groupBy.split(',').filter((dim): dim is ReportDimension => (REPORT_DIMENSIONS as readonly string[]).includes(dim));
  const [chartMetric, setChartMetric] = useState<MetricKey>('visits');
  const [country, setCountry] = useState(search.country ?? '');
  const campaigns = useOptions('/v1/campaigns');
  const sources = useOptions('/v1/traffic-sources');
  const landers = useOptions('/v1/landers');
  const offers = useOptions('/v1/offers');
  const publishers = useOptions('/v1/publishers');
  const report = useQuery({ queryKey: ['reports', query], queryFn: () => api.get<Report>('/v1/reports', query), placeholderData: keepPreviousData });

  // Streams are named inside their campaigns.
  const streamNames = new Map((campaigns.data?.data ?? []).flatMap((campaign) => ((campaign as unknown as { streams?: NamedRecord[] }).streams ?? []).map((stream) => [stream.id, stream.name] as const)));
  const names = (id: string) =>
    streamNames.get(id) ?? [campaigns, sources, landers, offers, publishers].map((options) => options.data?.data.find((record) => record.id === id)?.name).find(Boolean);
  const csvUrl = `/v1/reports?${new URLSearchParams(Object.entries({ ...query, format: 'csv' }).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== ''))}`;
  const setDim = (position: number, value: string) => {
    const next = [...dims];
    if (value) next[position] = value as ReportDimension;
    else next.splice(position);
    setSearch({ ...search, groupBy: [...new Set(next)].join(',') || undefined });
  };
  const currency = report.data?.currency ?? 'USD';
  const metric = METRICS.find((option) => option.key === chartMetric)!;
  const rows = report.data?.rows ?? [];

  return (
    <section className="screen" aria-labelledby="reports-title">
      <header className="screen-header">
        <h1 id="reports-title">Reports</h1>
        <a className="button" href={csvUrl} download="report.csv">
          Export CSV
        </a>
      </header>
      <form className="filters" role="search" aria-label="Report settings" onSubmit={(event) => {
        event.preventDefault();
        setSearch({ ...search, country: country.trim().toUpperCase() || undefined });
      }}>
        <div className="field">
          <label htmlFor="report-from">From</label>
          <input id="report-from" type="date" value={query.from} onChange={(event) => event.target.value && setSearch({ ...search, from: event.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="report-to">To</label>
          <input id="report-to" type="date" value={query.to} onChange={(event) => event.target.value && setSearch({ ...search, to: event.target.value })} />
        </div>
        {[0, 1, 2].map((position) =>
          position <= dims.length ? (
            <div className="field" key={position}>
              <label htmlFor={`report-group-${position}`}>{position === 0 ? 'Group by' : 'Then by'}</label>
              <select id={`report-group-${position}`} value={dims[position] ?? ''} onChange={(event) => setDim(position, event.target.value)}>
                {position > 0 ? <option value="">Nothing more</option> : null}
                {REPORT_DIMENSIONS.filter((dim) => dim === dims[position] || !dims.includes(dim)).map((dim) => (
                  <option key={dim} value={dim}>
                    {DIMENSION_LABELS[dim]}
                  </option>
                ))}
              </select>
            </div>
          ) : null,
        )}
        <FilterSelect id="report-campaign" label="Campaign" all="All campaigns" value={search.campaignId} options={campaigns.data?.data} onChange={(campaignId) => setSearch({ ...search, campaignId })} />
        <FilterSelect
          id="report-source"
          label="Traffic source"
          all="All traffic sources"
          value={search.trafficSourceId}
          options={sources.data?.data}
          onChange={(trafficSourceId) => setSearch({ ...search, trafficSourceId })}
        />
        <FilterSelect id="report-lander" label="Lander" all="All landers" value={search.landerId} options={landers.data?.data} onChange={(landerId) => setSearch({ ...search, landerId })} />
        <FilterSelect id="report-offer" label="Offer" all="All offers" value={search.offerId} options={offers.data?.data} onChange={(offerId) => setSearch({ ...search, offerId })} />
        <FilterSelect id="report-publisher" label="Publisher" all="All publishers" value={search.publisherId} options={publishers.data?.data} onChange={(publisherId) => setSearch({ ...search, publisherId })} />
        <div className="field">
          <label htmlFor="report-status">Conversion status</label>
          <select id="report-status" value={search.status ?? ''} onChange={(event) => setSearch({ ...search, status: (event.target.value || undefined) as ReportsSearch['status'] })}>
            <option value="">All but rejected</option>
            <option value="approved">Approved</option>
            <option value="pending">Pending</option>
            <option value="rejected">Rejected</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="report-country">Country</label>
          <input id="report-country" type="text" value={country} maxLength={2} placeholder="US" onChange={(event) => setCountry(event.target.value)} />
        </div>
        <button type="submit" className="button">
          Apply
        </button>
      </form>

      {report.isError ? (
        <div className="alert alert-error" role="alert">
          <p>The report could not be loaded: {errorMessage(report.error)}</p>
          <button type="button" className="button" onClick={() => void report.refetch()}>
            Try again
          </button>
        </div>
      ) : report.isPending ? (
        <p role="status" className="loading">
          Loading the report…
        </p>
      ) : (
        <>
          <div className="panel chart-panel">
            <div className="field">
              <label htmlFor="report-chart-metric">Chart</label>
              <select id="report-chart-metric" value={chartMetric} onChange={(event) => setChartMetric(event.target.value as MetricKey)}>
                {METRICS.map((option) => (
                  <option key={option.key} value={option.key}>
                    {option.label}
                  </option>
                ))}
              </select>
            </div>
            <BarChart
              title={`${metric.label} by ${dims.map((dim) => DIMENSION_LABELS[dim].toLowerCase()).join(' and ')}`}
              points={rows.slice(0, 60).map((row) => ({ label: dims.map((dim) => dimensionText(row, dim, names)).join(' · '), value: metricValue(row, chartMetric) ?? 0 }))}
              format={(value) => (metric.money ? formatAmount(value.toFixed(2), currency) : metric.key === 'roi' ? `${value}%` : value.toLocaleString('en-US'))}
            />
          </div>
          {rows.length === 0 ? (
            <div className="empty" role="status">
              <p>No traffic in this period{Object.keys(search).some((key) => key !== 'from' && key !== 'to' && key !== 'groupBy') ? ' with these filters' : ''}.</p>
            </div>
          ) : null}
          <div className="table-scroll" tabIndex={0} role="region" aria-label="Report table">
            <table className="data-table" aria-labelledby="reports-title" aria-busy={report.isFetching}>
              <thead>
                <tr>
                  {dims.map((dim) => (
                    <th key={dim} scope="col">
                      {DIMENSION_LABELS[dim]}
                    </th>
                  ))}
                  {METRICS.map((option) => (
                    <th key={option.key} scope="col" className="number">
                      {option.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((row, index) => (
                  <tr key={index}>
                    {dims.map((dim) => (
                      <td key={dim} data-label={DIMENSION_LABELS[dim]}>
                        {dimensionText(row, dim, names)}
                      </td>
                    ))}
                    {METRICS.map((option) => (
                      <td key={option.key} data-label={option.label} className="number">
                        {formatMetric(row, option.key, currency)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row" colSpan={Math.max(dims.length, 1)}>
                    Total
                  </th>
                  {METRICS.map((option) => (
                    <td key={option.key} data-label={option.label} className="number">
                      {formatMetric(report.data.totals, option.key, currency)}
                    </td>
                  ))}
                </tr>
              </tfoot>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
