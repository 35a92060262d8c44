import { readStored, writeStored } from './storage.js';
import { isClickId } from './click-id.js';
import { attempt, type Log } from './log.js';
import { delay, pixel } from './transport.js';
import type { ConversionResult, ConvertParams, Tracker, TrackerOptions, TrackingParams } from './types.js';

// The code favours size over habit in places (see the size test): the script tag's budget is 2,048 bytes gzip.

const AD_CLICK_IDS = ['gclid', 'gbraid', 'wbraid', 'fbclid', 'ttclid', 'msclkid'];
/** What a visit sends and its reply returns: snake_case in `tracking_params`, camelCase on the wire. */
const VISIT_KEYS = ['click_id', 'offer_id', 'publisher_id', 'sub1', 'sub2', 'sub3', 'sub4', 'sub5'];
const toCamelCase = (key: string) => key.replace('_id', 'Id');

/**
 * Creates a tracker: reads the click id synchronously, posts the visit for direct tracking and returns the API
 * that the script tag installs as `window.waypost`. Nothing it does throws into the page.
 */
export function createTracker(options: TrackerOptions): Tracker {
  const { endpoint, offer, campaign } = options;
  // On for `debug: true` and for a bare `data-debug` attribute.
  const log: Log = (...args) => /^(true|)$/.test(options.debug as string) && console.log('[waypost]', ...args);
  // Taken now, so that a page that replaces fetch later can neither intercept nor break the tracker.
  const fetch = window.fetch;
  const query = new URLSearchParams(location.search);
  const params: TrackingParams & Record<string, string> = {};
  const set = (key: string, value: unknown) => value && (params[key] = value as string);
  const adClickIds: Record<string, string | undefined> = {};
  const conversions = new Map<unknown, Promise<ConversionResult>>();
  let persist = options.consent != 'pending';

  /**
   * POSTs JSON text: a string body goes as `text/plain;charset=UTF-8`, a CORS "simple request" without a
   * preflight. Resolves with the reply, or for an HTTP error with a `rejected` result carrying the error's
   * `code` and `message`; rejects on a network error, a broken fetch or a reply that is not JSON.
   */
  const post = async (path: string, body: object): Promise<any> => {
    const response = await fetch.call(window, endpoint + path, { method: 'POST', keepalive: true, body: JSON.stringify(body) });
    const reply = await response.json();
    return response.ok ? reply : { status: 'rejected', ...reply.error };
  };

  const stored = attempt(log, readStored) || [];
  const fromUrl = String(options.clickParams || 'click_id,clickid,cid,subid')
    .split(',')
    .map((name) => query.get(name))
    .find(isClickId);
  const fromStorage = stored.find(isClickId);
  let clickId = (options.attribution == 'first' ? fromStorage || fromUrl : fromUrl || fromStorage) as string | undefined;

  const store = (value: string, days: number) => attempt(log, () => writeStored(value, options.cookieDomain, days));
  const save = () => persist && clickId && store(clickId, +options.cookieDays! || 90);

  const api: Tracker = {
    ready: () => ready,
    convert(given?: ConvertParams & { coupon?: string }) {
      const conversion = given || {};
      const key = conversion.transactionId;
      let result = conversions.get(key);
      if (!result) {
        result = ready
          .then(async (): Promise<ConversionResult> => {
            const body = {
              clickId: conversion.clickId || clickId,
              offerId: conversion.offerId || params.offer_id,
              amount: conversion.amount?.toString(),
              currency: conversion.currency,
              transactionId: key,
              event: conversion.event,
              // `coupon` is what the script tag's `data-coupon` passes.
              couponCode: conversion.couponCode || conversion.coupon,
            };
            try {
              // Without a click id the server cannot take a browser conversion, but the pixel carries its cookie.
              if (body.clickId) return await post('/v1/conversions/browser', body);
            } catch (error) {
              log(error);
            }
            attempt(log, () => pixel(endpoint + '/pixel.gif', body));
            return { status: 'sent' };
          });
        if (key) conversions.set(key, result);
      }
      return result;
    },
    on: (event, callback) => event == 'ready' && ready.then((value) => attempt(log, () => callback(value))),
    decorate: (url) =>
      (clickId &&
        attempt(log, () => {
          const decorated = new URL(url, location.href);
          decorated.searchParams.set('click_id', clickId!);
          return decorated.href;
        })) ||
      url,
    consent: (granted) => void ((persist = !!granted) ? save() : store('', -1)),
  };

  set('click_id', clickId);
  set('offer_id', offer);
  set('publisher_id', query.get(options.publisherParam || 'pub'));
  for (const key of [...VISIT_KEYS.slice(3), ...AD_CLICK_IDS]) set(key, query.get(key));
  // Rewrite only what changed: the cookie keeps its expiry, and a lost cookie or mirror is restored.
  if (stored[0] != clickId || stored[1] != clickId) save();
  if (clickId) api.tracking_params = params;

  const visit: Record<string, unknown> = { landingUrl: location.href, referrer: document.referrer, adClickIds, campaignId: campaign };
  for (const key of VISIT_KEYS) visit[toCamelCase(key)] = params[key];
  for (const key of AD_CLICK_IDS) adClickIds[key] = params[key];

  // Resolves when the visit is answered or failed, or after 3 s: the visit may hang, ready() must not.
  const ready = Promise.race([
    // On a thank-you page (the script's data-convert) the offer names the conversion, not a visit to track.
    (offer || campaign) &&
      options.convert == null &&
      post('/v1/visits', visit)
        .then((reply) => {
          if (isClickId(reply.clickId)) {
            for (const key of VISIT_KEYS) set(key, reply[toCamelCase(key)]);
            clickId = reply.clickId;
            api.tracking_params = params;
            save();
          }
        })
        .catch(log),
    delay(3000),
  ]).then(() => (log(params), params));

  const domains = String(options.decorate || '').split(',');
  if (domains[0]) {
    // One delegated listener, in the capture phase, so that the link is decorated before a page handler reads it.
    document.addEventListener(
      'click',
      (event) =>
        attempt(log, () => {
          const link = (event.target as Element).closest('a');
          const host = '.' + link?.hostname;
          if (domains.some((domain) => host.endsWith('.' + domain))) link!.href = api.decorate(link!.href);
        }),
      true,
    );
  }
  return api;
}
