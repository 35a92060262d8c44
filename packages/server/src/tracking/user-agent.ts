import Bowser from 'bowser';
import { memoizeByString } from './memo.js';

export const VISIT_OS = ['windows', 'macos', 'ios', 'android', 'linux', 'chromeos'] as const;
export type VisitOs = (typeof VISIT_OS)[number];
export const VISIT_BROWSERS = ['chrome', 'safari', 'firefox', 'edge', 'opera', 'samsung', 'facebook', 'instagram', 'tiktok'] as const;
export type VisitBrowser = (typeof VISIT_BROWSERS)[number];

const OS_NAMES: Readonly<Record<string, VisitOs>> = {
  Windows: 'windows',
  macOS: 'macos',
  iOS: 'ios',
  Android: 'android',
  Linux: 'linux',
  'Chrome OS': 'chromeos',
};

const BROWSER_NAMES: Readonly<Record<string, VisitBrowser>> = {
  Chrome: 'chrome',
  Safari: 'safari',
  Firefox: 'firefox',
  'Microsoft Edge': 'edge',
  Opera: 'opera',
  'Samsung Internet for Android': 'samsung',
};

// In-app browsers name themselves by tokens bowser files under the engine's browser (Safari, Chrome WebView); a buyer
// targets the app, so the token wins.
const IN_APP: readonly [RegExp, VisitBrowser][] = [
  [/\bFBAN\/|\bFBAV\/|\bFB_IAB\//, 'facebook'],
  [/\bInstagram\b/, 'instagram'],
  [/\bmusical_ly\b|\bTikTok\b|\bBytedanceWebview\b/i, 'tiktok'],
];

export interface UserAgentInfo {
  os: VisitOs | null;
  browser: VisitBrowser | null;
}

const UNKNOWN: UserAgentInfo = Object.freeze({ os: null, browser: null });

/**
 * The OS and browser of a visit, in the campaign filters' terms (README, Campaigns), or null for what they do not
 * name. Only the two parts a filter reads are parsed, and each user agent once while it is among the last
 * {@link REMEMBERED_AGENTS} seen.
 */
export function userAgentInfo(userAgent: string | undefined): UserAgentInfo {
  const ua = userAgent?.trim().slice(0, 1024) ?? '';
  return ua === '' ? UNKNOWN : parsed(ua);
}

/** How many distinct user agents are remembered with what they say (a few MB at most: agents are cut at 1 KB). */
export const REMEMBERED_AGENTS = 2000;

const parsed = memoizeByString((ua): UserAgentInfo => {
  // Parsing skipped up front: only the OS and browser are read, each parsed on demand, not the engine and platform.
  const parser = Bowser.getParser(ua, true);
  const os = OS_NAMES[parser.getOSName()] ?? null;
  const inApp = IN_APP.find(([pattern]) => pattern.test(ua));
  const browser = inApp ? inApp[1] : (BROWSER_NAMES[parser.getBrowserName()] ?? null);
  return Object.freeze({ os, browser });
}, REMEMBERED_AGENTS);
