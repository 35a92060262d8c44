import { ApiError } from '../../http/errors.js';

/** A webhook notification as it arrived: the raw body (signatures and ciphertexts are over bytes), headers and query. */
export interface WebhookRequest {
  body: Buffer;
  header(name: string): string | undefined;
  query: Record<string, unknown>;
}

/** One conversion report read from a notification. Amounts are decimal strings, as a postback carries them. */
export interface WebhookReport {
  /** Where the click id may be, best first: the first that is a click on an offer of the network is the report's. */
  clickIds: string[];
  /**
   * The candidates are values found anywhere in the notification, not fields meant to hold a click id: none being a
   * known click means the notification is not about a Waypost click, rather than about an unknown one.
   */
  searched?: boolean | undefined;
  transactionId: string;
  /** A Waypost status or postback alias (`approved`, `rebill`, `rejected`…), before the network's statusMap. */
  status: string;
  amount?: string | undefined;
  currency?: string | undefined;
  payout?: string | undefined;
  event?: string | undefined;
}

/** What a notification asks for: nothing (the network's test, or an event that is not a conversion), or one report. */
export type WebhookReading = { kind: 'test' } | { kind: 'ignored'; reason: string } | { kind: 'report'; report: WebhookReport };

export interface WebhookNotification {
  reading: WebhookReading;
  /** What the postback log keeps of the notification: the fields that decided the outcome, never the customer's details. */
  summary: Record<string, unknown>;
}

/** One network's notification format: another webhook network is one more of these. */
export interface WebhookFormat {
  /** A secret the network issues is taken as it is; one the user chooses to put in a URL must be hard to guess. */
  minSecretLength: number;
  /**
   * Decrypts or verifies a notification with the network's secret and reads it. Throws `unverified()` (401) when the
   * secret does not decrypt or verify it, and `malformed()` (400) when it is not a notification of this format.
   */
  read(request: WebhookRequest, secret: string): WebhookNotification;
}

/** The notification cannot be read as one of the network's: nothing is recorded. */
export function malformed(message: string): ApiError {
  return new ApiError(400, 'malformed_notification', message, [{ path: 'body', code: 'malformed_notification', message }]);
}

/** The network's secret neither decrypts nor verifies the notification: it may not come from the network. */
export function unverified(code: string, message: string): ApiError {
  return new ApiError(401, code, message);
}

/** The body as a JSON object, or undefined when it is not one. */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
