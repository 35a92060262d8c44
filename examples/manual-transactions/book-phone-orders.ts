// Books phone orders for the publisher whose call center took them. A phone order has no click, so each booking
// names its publisher and offer; Waypost computes the payout from the offer's rules, as for any conversion.
import { readFile } from 'node:fs/promises';
import { Waypost } from '@waypost/node';

interface PhoneOrder {
  id: string;
  total: string;
  /** @default the offer's currency */
  currency?: string;
  /** `pending` until the money is in, such as cash on delivery. @default the offer's approval.defaultStatus */
  status?: 'approved' | 'pending';
  note?: string;
}

const waypost = new Waypost({ apiKey: env('WAYPOST_API_KEY'), baseUrl: env('WAYPOST_URL') });
const publisherId = env('WAYPOST_PUBLISHER_ID');
const offerId = env('WAYPOST_OFFER_ID');
const file = process.argv[2] ?? new URL('phone-orders.json', import.meta.url);
const orders = JSON.parse(await readFile(file, 'utf8')) as PhoneOrder[];

for (const order of orders) {
  // The order id is the transaction id, so booking the same orders again books nothing twice.
  const conversion = await waypost.transactions.create({
    publisherId,
    offerId,
    amount: order.total,
    currency: order.currency,
    transactionId: order.id,
    status: order.status,
    note: order.note ?? 'phone order',
  });
  console.log(`${order.id}: ${conversion.amount} ${conversion.currency}, ${conversion.status}, payout ${conversion.payout} ${conversion.offerCurrency} (${conversion.id})`);
}

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name} (see README.md)`);
  return value;
}
