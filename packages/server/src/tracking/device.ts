import type { Device } from '@waypost/schema';

// Crawlers, link-preview fetchers, headless browsers and HTTP libraries. "Cubot" is a phone brand, not a bot.
const BOT =
  /(?<!cu)bot|crawl|spider|slurp|headless|lighthouse|phantomjs|curl\/|wget\/|python-requests|python-urllib|aiohttp|go-http-client|axios\/|node-fetch|undici|okhttp|java\/|libwww|httpclient|scrapy|facebookexternalhit|facebookcatalog|postmanruntime|^node$|^deno\/|mediapartners-google|apis-google|google-inspectiontool|feedfetcher|preview|^whatsapp\//i;

// An Android tablet is an Android browser that leaves out "Mobile"; "Tablet PC" is a Windows laptop with a touch screen.
const TABLET = /ipad|tablet(?! pc)|kindle|silk\/|playbook|\bsm-t\d|\bgt-p\d|nexus (?:7|9|10)\b/i;
const ANDROID = /android/i;
const MOBILE = /mobi|iphone|ipod|windows phone|iemobile|opera mini|blackberry|bb10/i;

/**
 * The device class of a click from its user agent. A request without one is a script, not a person, so it is a bot.
 * iPadOS Safari in its default desktop mode says "Macintosh" and is counted as desktop: nothing in the header tells
 * them apart.
 */
export function deviceFromUserAgent(userAgent: string | undefined): Device {
  const ua = userAgent?.trim() ?? '';
  if (ua === '' || BOT.test(ua)) return 'bot';
  if (TABLET.test(ua)) return 'tablet';
  if (ANDROID.test(ua) && !MOBILE.test(ua)) return 'tablet';
  if (MOBILE.test(ua)) return 'mobile';
  return 'desktop';
}
