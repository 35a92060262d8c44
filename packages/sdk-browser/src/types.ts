/**
 * Options of `createTracker()`. The script tag passes its `data-*` attributes under the same names
 * (`data-click-params` is `clickParams`), so a list may also be a comma-separated string and a number a numeric
 * string.
 */
export interface TrackerOptions {
  /**
   * The tracking server, such as `https://track.example.com`, without a trailing slash. The script tag defaults
   * to its own origin.
   */
  endpoint: string;
  /**
   * Enables direct tracking for this offer: a visit is posted to `/v1/visits` on load. It is also the offer of
   * conversions; with `convert` it is only that.
   */
  offer?: string;
  /**
   * Campaign direct tracking on a lander: a visit is posted to `/v1/visits` on load and the server picks the
   * campaign's stream, lander and offer (the reply's `offer_id` is then the offer of conversions).
   */
  campaign?: string;
  /**
   * URL parameters to read a click id from, in order.
   * @default 'click_id,clickid,cid,subid'
   */
  clickParams?: string[] | string;
  /**
   * URL parameter that carries the publisher id.
   * @default 'pub'
   */
  publisherParam?: string;
  /**
   * Domain of the `waypost_cid` cookie.
   * @default the widest domain of the page's host name that accepts the cookie
   */
  cookieDomain?: string;
  /**
   * Lifetime of the `waypost_cid` cookie, in days.
   * @default 90
   */
  cookieDays?: number | string;
  /**
   * `last`: a click id in the URL replaces a stored one. `first`: a stored click id is kept.
   * @default 'last'
   */
  attribution?: 'first' | 'last';
  /**
   * `pending` keeps ids in memory only (no cookie, no localStorage) until `consent(true)`.
   * @default 'granted'
   */
  consent?: 'granted' | 'pending';
  /**
   * Outbound link domains whose links get `click_id` appended when clicked, subdomains included.
   * A comma-separated string has no spaces: `a.com,b.com`.
   */
  decorate?: string[] | string;
  /**
   * Marks a thank-you page, where the script tag reports a conversion on load (`data-convert`): no visit is
   * posted there, even with `offer`.
   */
  convert?: string | boolean;
  /**
   * Logs errors and the tracking parameters to the console. The script tag turns it on with a bare `data-debug`.
   * @default false
   */
  debug?: boolean | string;
}

/** The visit's tracking parameters, as on `window.waypost.tracking_params`. Absent values are left out. */
export interface TrackingParams {
  click_id?: string;
  offer_id?: string;
  publisher_id?: string;
  sub1?: string;
  sub2?: string;
  sub3?: string;
  sub4?: string;
  sub5?: string;
  gclid?: string;
  gbraid?: string;
  wbraid?: string;
  fbclid?: string;
  ttclid?: string;
  msclkid?: string;
}

/** A conversion reported from the browser. */
export interface ConvertParams {
  /** The sale amount in major units; a number is sent as its decimal string (`49.9` as `"49.9"`). */
  amount?: string | number;
  /** The ISO 4217 code of `amount`. */
  currency?: string;
  /** Your order id. A second `convert()` with the same one on the page resolves to the first result. */
  transactionId?: string;
  /** The conversion event, such as `lead` or `purchase`. */
  event?: string;
  couponCode?: string;
  /** Defaults to the offer of the visit (`offer`, or the visit's reply). */
  offerId?: string;
  /** Defaults to the captured click id. */
  clickId?: string;
}

/**
 * The server's answer to a browser conversion. `sent` means that it went by image pixel, whose outcome a page
 * cannot read. For an HTTP error it is `rejected` with the error's `code` and `message`.
 */
export interface ConversionResult {
  status: 'accepted' | 'duplicate' | 'rebill' | 'updated' | 'rejected' | 'sent';
  conversionId?: string;
  reason?: string;
  code?: string;
  message?: string;
}

/** The events of `on()`: `ready` fires once, with the tracking parameters. */
export interface TrackerEvents {
  ready: TrackingParams;
}

/** The methods of a tracker, `window.waypost` for the script tag. None of them throws or rejects. */
export interface TrackerMethods {
  /** Resolves once the visit is answered or failed, or after 3 s: with the tracking parameters, never rejecting. */
  ready(): Promise<TrackingParams>;
  /** Reports a conversion once `ready()` has resolved. */
  convert(params?: ConvertParams): Promise<ConversionResult>;
  /** Calls `callback` when `event` fires; a `ready` callback added after the fact still runs, once. */
  on<E extends keyof TrackerEvents>(event: E, callback: (value: TrackerEvents[E]) => void): unknown;
  /** Returns `url` with `click_id` set, or `url` unchanged when no click id is known. */
  decorate(url: string): string;
  /** `true` persists the ids (cookie and localStorage); `false` deletes them from both. */
  consent(granted: boolean): void;
}

export interface Tracker extends TrackerMethods {
  /** Set once a click id is known: synchronously on load when it is in the URL or in storage. */
  tracking_params?: TrackingParams;
}
