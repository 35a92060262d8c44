import { safeEqual } from '../conversions.js';
import { malformed, parseJsonObject, unverified, type WebhookFormat, type WebhookReading } from './notification.js';

/**
 * PartnerStack's postbacks to partners: https://docs.partnerstack.com/docs/postbacks. A postback is registered at
 * dash.partnerstack.com/settings/postbacks with an endpoint URL, a name and event types, and is a JSON POST of
 * `{ "event", "data" }`; its test event is `{"event":"test","data":{"message":"Test event sent!"}}`.
 *
 * PartnerStack documents no signature and no signing secret for postbacks, only the endpoint URL: so the network's
 * secret travels in that URL, as `token` (`/postback/net_…?token=SECRET`), as the offer's token does in a plain
 * postback, and is compared in constant time. Nor does it document which field carries a partner link's own
 * parameters: Waypost's click id (sent as the link's ps_xid) is looked for among the values of the event's data.
 */
export const partnerstack: WebhookFormat = {
  minSecretLength: 16,
  read(request, secret) {
    const token = typeof request.query.token === 'string' ? request.query.token : request.header('x-waypost-token');
    if (token === undefined || !safeEqual(token, secret)) {
      throw unverified('invalid_token', "the postback URL's token is missing or is not the network's secret");
    }
    const body = parseJsonObject(request.body.toString('utf8'));
    if (!body || typeof body.event !== 'string' || body.event === '') throw malformed('a PartnerStack postback is a JSON body with an "event"');
    const event = body.event;
    const data = body.data !== null && typeof body.data === 'object' && !Array.isArray(body.data) ? (body.data as Record<string, unknown>) : undefined;
    const status = data?.reward_status ?? data?.status;
    const summary = { event, key: data?.key, status, amount: data?.amount, currency: data?.currency };
    return { reading: reading(event, data, status), summary };
  },
};

/** PartnerStack's reward statuses: on hold and pending wait, approved and paid count, declined is taken back. */
const STATUS_OF_REWARD: Record<string, string> = { hold: 'pending', pending: 'pending', approved: 'approved', paid: 'approved', declined: 'rejected' };

function reading(event: string, data: Record<string, unknown> | undefined, status: unknown): WebhookReading {
  if (event === 'test') return { kind: 'test' };
  // A reward is what the partner earns for a customer or a transaction; actions and the rest carry no earnings.
  if (!event.startsWith('reward_')) return { kind: 'ignored', reason: 'event_not_mapped' };
  if (!data || typeof data.key !== 'string' || data.key === '') throw malformed(`the ${event} postback has no "data.key"`);
  const raw = typeof status === 'string' ? status : undefined;
  return {
    kind: 'report',
    report: {
      clickIds: valuesOf(data),
      searched: true,
      // The reward's key: the same reward sent again is a duplicate, and its later status an update.
      transactionId: data.key,
      status: (raw !== undefined ? STATUS_OF_REWARD[raw.toLowerCase()] : undefined) ?? raw ?? 'pending',
      // Reward amounts are integer cents of US dollars.
      payout: cents(data.amount),
      currency: 'USD',
    },
  };
}

/** Every string in the event's data, in document order, a bounded number and depth of them. */
function valuesOf(data: Record<string, unknown>): string[] {
  const found: string[] = [];
  const walk = (value: unknown, depth: number) => {
    if (found.length >= 200) return;
    if (typeof value === 'string') found.push(value);
    else if (value !== null && typeof value === 'object' && depth < 5) for (const item of Object.values(value)) walk(item, depth + 1);
  };
  walk(data, 0);
  return found;
}

function cents(value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) return undefined;
  return `${Math.floor(value / 100)}.${String(value % 100).padStart(2, '0')}`;
}
