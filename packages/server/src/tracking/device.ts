import type { Device } from '@waypost/schema';
import { isbot } from 'isbot';
import { memoizeByString } from './memo.js';

// An Android tablet is an Android browser that leaves out "Mobile"; "Tablet PC" is a Windows laptop with a touch screen.
const TABLET = /ipad|tablet(?! pc)|kindle|silk\/|playbook|\bsm-t\d|\bgt-p\d|nexus (?:7|9|10)\b/i;
const ANDROID = /android/i;
const MOBILE = /mobi|iphone|ipod|windows phone|iemobile|opera mini|blackberry|bb10/i;

/**
 * The device class of a click from its user agent. A request without one is a script, not a person, so it is a bot;
 * so is any user agent on the `isbot` list (crawlers, link previews, headless browsers, HTTP libraries).
 * iPadOS Safari in its default desktop mode says "Macintosh" and is counted as desktop: nothing in the header tells
 * them apart.
 */
export function deviceFromUserAgent(userAgent: string | undefined): Device {
  const ua = userAgent?.trim() ?? '';
  if (ua === '') return 'bot';
  // Each user agent is classified once while it is among the last 2,000 seen; longer ones than a browser sends are
  // classified every time, so that what is remembered stays a few MB.
  return ua.length <= 1024 ? remembered(ua) : classify(ua);
}

const classify = (ua: string): Device => {
  if (isbot(ua)) return 'bot';
  if (TABLET.test(ua)) return 'tablet';
  if (ANDROID.test(ua) && !MOBILE.test(ua)) return 'tablet';
  if (MOBILE.test(ua)) return 'mobile';
  return 'desktop';
};
const remembered = memoizeByString(classify, 2000);

/** What a request tells of the visit, beyond its user agent. */
export interface VisitRequest {
  method: string;
  get(name: string): string | undefined;
}

// Browsers and link-preview services that fetch a page before anyone asks for it say so.
const PREFETCH = /prefetch|prerender|preview/i;

/**
 * The device class of a visit: a bot when the user agent says so, when the request is a HEAD, or
 * when it is a prefetch or a preview (`Sec-Purpose`, `Purpose`, `X-Purpose`, `X-Moz`), since nobody saw the page.
 */
export function visitDevice(req: VisitRequest): Device {
  if (req.method === 'HEAD') return 'bot';
  for (const header of ['sec-purpose', 'purpose', 'x-purpose', 'x-moz']) {
    const value = req.get(header);
    if (value !== undefined && PREFETCH.test(value)) return 'bot';
  }
  return deviceFromUserAgent(req.get('user-agent'));
}
