import { Waypost } from '@waypost/node';

const waypost = new Waypost({ apiKey: process.env.WAYPOST_API_KEY!, baseUrl: process.env.WAYPOST_BASE_URL! });

/** Approves every pending conversion of an offer, however many pages they fill. */
export async function approvePending(offerId: string) {
  let approved = 0;
  for await (const conversion of waypost.conversions.list({ offerId, status: 'pending' })) {
    await waypost.conversions.update(conversion.id, { status: 'approved' });
    approved += 1;
  }
  return approved;
}
