import { Waypost } from '@waypost/node';

const waypost = new Waypost({
  apiKey: process.env.WAYPOST_API_KEY!,
  baseUrl: process.env.WAYPOST_BASE_URL!,
  maxRetries: 4, // after the first attempt; the default is 2
  timeout: 10_000, // per attempt, in milliseconds; the default is 30 s
});

/** A subscription renewal, reported by a job that may run twice. */
export async function reportRenewal(renewal: { subscriptionId: string; period: string; clickId: string; price: string }) {
  const transactionId = `${renewal.subscriptionId}-${renewal.period}`;
  return waypost.conversions.create(
    { clickId: renewal.clickId, amount: renewal.price, currency: 'USD', transactionId, event: 'renewal' },
    // Your own key, stable across runs: a second run gets the first answer instead of a new conversion.
    { idempotencyKey: `renewal-${transactionId}` },
  );
}
