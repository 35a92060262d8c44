// Plays an affiliate network that reports conversions to Waypost by server-to-server postback. The network was
// given the offer's postback URL template; for each event it fills the macros in braces and calls the URL.
// Here: a lead, then the sale that confirms it, then a month's rebill of the subscription that sale started.
import { env } from 'node:process';

const template = withStatus(required('WAYPOST_POSTBACK_URL'));
// The click id reached the network in the offer URL (`?click_id={click_id}`) when the visitor followed the tracking
// link. Without WAYPOST_CLICK_ID this script follows the tracking link itself, as that visitor.
const clickId = env.WAYPOST_CLICK_ID || (await clickThrough(required('WAYPOST_TRACKING_URL')));
// The network's own id for the conversion: the lead and the sale share it, so the sale updates the lead.
const conversionId = `NET-${Date.now().toString(36).toUpperCase()}`;

const events: Record<string, string>[] = [
  { status: 'lead', transaction_id: conversionId },
  { status: 'sale', transaction_id: conversionId, amount: '49.90' },
  { status: 'rebill', transaction_id: `${conversionId}-R1`, amount: '49.90' },
];

for (const event of events) {
  const response = await fetch(fill(template, { click_id: clickId, ...event }));
  const answer = (await response.json()) as { status: string; conversionId?: string; reason?: string };
  console.log(`${event.status} ${event.transaction_id}: ${response.status} ${JSON.stringify(answer)}`);
  if (!response.ok) process.exitCode = 1;
}

/** Replaces each `{macro}` with its URL-encoded value; a macro the network does not know becomes empty. */
function fill(url: string, values: Record<string, string>): string {
  return url.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? ''));
}

/** The printed template carries no status: networks let you add parameters, so add `status={status}`. */
function withStatus(url: string): string {
  return new URL(url).searchParams.has('status') ? url : `${url}&status={status}`;
}

/** Follows the tracking link once, without going on to the offer, and reads the click id the offer URL carries. */
async function clickThrough(trackingUrl: string): Promise<string> {
  const response = await fetch(trackingUrl, { redirect: 'manual' });
  const location = response.headers.get('location');
  const clickId = location ? new URL(location).searchParams.get('click_id') : null;
  if (!clickId) throw new Error(`${trackingUrl} did not redirect to an offer URL with click_id={click_id} (HTTP ${response.status})`);
  return clickId;
}

function required(name: string): string {
  const value = env[name];
  if (!value) throw new Error(`set ${name} (see README.md)`);
  return value;
}
