import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import type { Report } from '@waypost/schema';
import { api, errorMessage } from '../api.js';
import { formatAmount } from '../money.js';
import { BarChart } from './reports-chart.js';
import { DASHBOARD_PERIODS, type DashboardPeriod, dayFromToday, parseDashboardSearch } from './reports-search.js';

const FIGURES = [
  { key: 'clicks', label: 'Clicks', money: false },
  { key: 'conversions', label: 'Conversions', money: false },
  { key: 'revenue', label: 'Revenue', money: true },
  { key: 'payout', label: 'Payout', money: true },
  { key: 'profit', label: 'Profit', money: true },
] as const;
type Figure = (typeof FIGURES)[number]['key'];

function figure(metrics: Report['totals'], key: Figure): number {
  if (key === 'clicks') return metrics.clicks;
  if (key === 'conversions') return metrics.conversions.total;
  return Number(metrics[key] ?? 0);
}

/** Every day of the period, so that a day without traffic shows as an empty bar rather than closing the gap. */
function daysOf(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = new Date(`${from}T00:00:00Z`); day <= new Date(`${to}T00:00:00Z`); day = new Date(day.getTime() + 86_400_000)) days.push(day.toISOString().slice(0, 10));
  return days;
}

/** `/dashboard`: clicks, conversions, revenue, payout and profit over a period, as totals and a chart a day. */
export function DashboardScreen() {
  const search = parseDashboardSearch(useSearch({ strict: false }));
  const navigate = useNavigate();
  const period = DASHBOARD_PERIODS.find((option) => option.value === (search.period ?? '7d'))!;
  const query = { from: dayFromToday(1 - period.days), to: dayFromToday(0), groupBy: 'day' };
  const report = useQuery({ queryKey: ['reports', query], queryFn: () => api.get<Report>('/v1/reports', query), placeholderData: keepPreviousData });
  const days = daysOf(query.from, query.to);

  return (
    <section className="screen" aria-labelledby="dashboard-title">
      <header className="screen-header">
        <h1 id="dashboard-title">Dashboard</h1>
        <div className="field">
          <label htmlFor="dashboard-period">Period</label>
          <select id="dashboard-period" value={period.value} onChange={(event) => void navigate({ to: '/dashboard', search: { period: event.target.value as DashboardPeriod } as never })}>
            {DASHBOARD_PERIODS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
      </header>
      {report.isError ? (
        <div className="alert alert-error" role="alert">
          <p>The dashboard could not be loaded: {errorMessage(report.error)}</p>
          <button type="button" className="button" onClick={() => void report.refetch()}>
            Try again
          </button>
        </div>
      ) : report.isPending ? (
        <p role="status" className="loading">
          Loading the dashboard…
        </p>
      ) : (
        <>
          <dl className="totals" aria-label={`Totals, ${period.label.toLowerCase()}`}>
            {FIGURES.map((option) => (
              <div key={option.key} className="total">
                <dt>{option.label}</dt>
                <dd>
                  {option.money
                    ? report.data.totals[option.key] === null
                      ? '—'
                      : formatAmount(report.data.totals[option.key]!, report.data.currency)
                    : figure(report.data.totals, option.key).toLocaleString('en-US')}
                </dd>
              </div>
            ))}
          </dl>
          <div className="charts">
            {FIGURES.map((option) => {
              const byDay = new Map(report.data.rows.map((row) => [row.day, row]));
              return (
                <BarChart
                  key={option.key}
                  title={`${option.label} a day`}
                  points={days.map((day) => ({ label: day.slice(5), value: byDay.has(day) ? figure(byDay.get(day)!, option.key) : 0 }))}
                  format={(value) => (option.money ? formatAmount(value.toFixed(2), report.data.currency) : value.toLocaleString('en-US'))}
                />
              );
            })}
          </div>
        </>
      )}
    </section>
  );
}
