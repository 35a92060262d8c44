/** The most of a destination's own words that the delivery log keeps. */
const DETAIL_CHARS = 200;

/** Text from elsewhere (a reply body), made safe for the delivery log: one line, no control or format characters, short. */
export function sanitiseDetail(text: string): string {
  const line = text.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+/gu, ' ').replace(/\s+/g, ' ').trim();
  return Array.from(line).slice(0, DETAIL_CHARS).join('');
}

/**
 * What the delivery log keeps of a failed try: a short reason that any key may see ("HTTP 500", "timeout",
 * "destination refused: loopback address") and, on a line of its own, a sanitised detail (such as the start of the
 * reply's body) that only admin keys see (README, Security).
 */
export function deliveryError(reason: string, detail?: string): string {
  const safe = detail ? sanitiseDetail(detail) : '';
  return safe ? `${reason}\n${safe}` : reason;
}

/** A stored delivery error as an admin key sees it: `reason: detail`. */
export function adminDeliveryError(stored: string): string {
  return stored.replace('\n', ': ');
}

/**
 * A stored delivery error as a publisher key sees it: the reason only. Entries written before reasons and details
 * were kept apart hold a reply's body after `HTTP nnn: `, or a socket error with an address after `fetch failed: `;
 * those parts are cut too.
 */
export function publisherDeliveryError(stored: string): string {
  const reason = stored.split('\n', 1)[0]!;
  return /^(?:HTTP \d{3}|fetch failed)(?=:)/.exec(reason)?.[0] ?? reason;
}
