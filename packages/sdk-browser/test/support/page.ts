import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, vi } from 'vitest';
import { createTracker, type Tracker, type TrackerOptions } from '../../src/entrypoints/module.js';

/** The two builds of the same core; the tests give both the same assertions. */
export type Build = 'script' | 'module';
export const BUILDS: Build[] = ['script', 'module'];

/** The script-tag build, as built by the global setup. */
export const SCRIPT = readFileSync(fileURLToPath(import.meta.resolve('../../dist/waypost.js')), 'utf8');

/** The script tag's attributes by dataset name (`clickParams` is `data-click-params`), or the module's options. */
export type Attributes = Partial<Record<keyof TrackerOptions | 'convert' | 'amount' | 'currency' | 'transactionId' | 'event' | 'coupon', string>>;

type PageWindow = Window & { waypost?: any; happyDOM: { setURL(url: string): void } };
export const page = window as unknown as PageWindow;

/** Moves the page to `url` without navigating, as a visitor landing there. */
export const openPage = (url: string) => page.happyDOM.setURL(url);

/**
 * Loads the tracker as `build`: the script tag (its IIFE evaluated with `document.currentScript` set to a
 * `<script src="ENDPOINT/waypost.js" data-…>` element, so the endpoint comes from the script's own origin), or
 * the ES module's `createTracker()` with the same settings.
 */
export function load(build: Build, endpoint: string, attributes: Attributes = {}): Tracker {
  if (build == 'module') return createTracker({ endpoint, ...attributes } as TrackerOptions);
  const script = document.createElement('script');
  script.setAttribute('src', `${endpoint}/waypost.js`);
  Object.assign(script.dataset, attributes);
  // happy-dom's DOMStringMap leaves attributes with an empty value (a bare `data-convert`) out of `{...dataset}`;
  // a browser's does not. This copy enumerates like a browser's.
  Object.defineProperty(script, 'dataset', { value: { ...attributes } });
  Object.defineProperty(document, 'currentScript', { configurable: true, get: () => script });
  try {
    // Indirect eval runs the IIFE in the page's global scope, as a <script> element would.
    (0, eval)(SCRIPT);
  } finally {
    delete (document as { currentScript?: unknown }).currentScript;
  }
  return page.waypost;
}

/** Sets a cookie the way an earlier page view would have left it. */
export const setCookie = (name: string, value: string) => (document.cookie = `${name}=${value}; path=/`);

/** The parent domains of the page's host, and '' for host-only cookies. */
const cookieScopes = () => ['', ...location.hostname.split('.').map((_, i, labels) => labels.slice(i).join('.'))];

/**
 * happy-dom loads no images; this stand-in requests its `src` for real when it is set, as a browser does, so
 * that the tracking server sees the pixel.
 */
class LoadingImage {
  set src(url: string) {
    get(url, (response) => response.resume()).on('error', () => {});
  }
}

/**
 * Gives each test a clean page: no cookie, no localStorage, no `window.waypost`, no listener left by an
 * earlier tracker, and the image stand-in.
 */
export function useCleanPage() {
  const fetch = window.fetch;
  beforeEach(() => {
    vi.spyOn(document, 'addEventListener');
    vi.stubGlobal('Image', LoadingImage);
  });
  afterEach(() => {
    for (const [type, listener, options] of vi.mocked(document.addEventListener).mock.calls) {
      document.removeEventListener(type, listener, options);
    }
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
    window.fetch = fetch;
    for (const cookie of document.cookie.split('; ').filter(Boolean)) {
      const name = cookie.split('=')[0];
      for (const domain of cookieScopes()) {
        document.cookie = `${name}=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT${domain ? `; domain=${domain}` : ''}`;
      }
    }
    localStorage.clear();
    delete page.waypost;
  });
}
