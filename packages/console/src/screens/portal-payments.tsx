import { useQuery } from '@tanstack/react-query';
import type { Balance, Payment } from '@waypost/schema';
import { api, type Page } from '../api.js';
import { formatDate, formatStatus } from '../format.js';
import { formatAmount } from '../money.js';
import { useCurrentSession } from '../session.js';
import { LoadError } from './portal-promo-codes.js';
import './portal.css';

/** `/portal/payments`: what the publisher has earned by stage, and the payments gathered for it. */
export function PortalPaymentsScreen() {
  const session = useCurrentSession();
  const publisherId = session.user.publisherId ?? '';
  const balance = useQuery({
    queryKey: ['portal', 'balance'],
    queryFn: () => api.get<Balance>(`/v1/publishers/${encodeURIComponent(publisherId)}/balance`),
    enabled: publisherId !== '',
  });
  const payments = useQuery({ queryKey: ['portal', 'payments'], queryFn: () => api.get<Page<Payment>>('/v1/payments', { limit: 100 }) });
  return (
    <section className="screen" aria-labelledby="portal-payments-title">
      <header className="screen-header">
        <h1 id="portal-payments-title">Payments</h1>
      </header>
      <section aria-labelledby="portal-balance-title">
        <h2 id="portal-balance-title">Balance</h2>
        {balance.isError ? (
          <LoadError what="balance" error={balance.error} retry={() => void balance.refetch()} />
        ) : balance.isPending ? (
          <p role="status">Loading the balance…</p>
        ) : (
          <dl className="totals">
            <div>
              <dt>Accruing</dt>
              <dd>{formatAmount(balance.data.accruing, balance.data.currency)}</dd>
            </div>
            <div>
              <dt>Approved, to be paid</dt>
              <dd>{formatAmount(balance.data.approved, balance.data.currency)}</dd>
            </div>
            <div>
              <dt>In a pending payment</dt>
              <dd>{formatAmount(balance.data.pending, balance.data.currency)}</dd>
            </div>
            <div>
              <dt>Paid</dt>
              <dd>{formatAmount(balance.data.paid, balance.data.currency)}</dd>
            </div>
          </dl>
        )}
        <p className="field-hint">Accruing payouts wait for their conversion to be approved; approved ones are gathered into your next payment.</p>
      </section>
      <section className="panel" aria-labelledby="portal-payments-list-title">
        <h2 id="portal-payments-list-title">Payments</h2>
        {payments.isError ? (
          <LoadError what="payments" error={payments.error} retry={() => void payments.refetch()} />
        ) : payments.isPending ? (
          <p role="status">Loading payments…</p>
        ) : payments.data.data.length === 0 ? (
          <div className="empty" role="status">
            <p>No payments yet.</p>
          </div>
        ) : (
          <div className="table-scroll">
            <table className="data-table" aria-labelledby="portal-payments-list-title">
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">Status</th>
                  <th scope="col">Conversions</th>
                  <th scope="col">Adjustments</th>
                  <th scope="col">Total</th>
                  <th scope="col">Paid on</th>
                </tr>
              </thead>
              <tbody>
                {payments.data.data.map((payment) => (
                  <tr key={payment.id}>
                    <td data-label="Date">{formatDate(payment.createdAt)}</td>
                    <td data-label="Status">
                      <span className={`badge badge-${payment.status}`}>{payment.status === 'approved' ? 'Paid' : formatStatus(payment.status)}</span>
                    </td>
                    <td data-label="Conversions">{payment.conversionCount}</td>
                    <td data-label="Adjustments">{payment.adjustmentCount ? formatAmount(payment.adjustmentTotal, payment.currency) : '—'}</td>
                    <td data-label="Total">{formatAmount(payment.total, payment.currency)}</td>
                    <td data-label="Paid on">{formatDate(payment.approvedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </section>
  );
}
