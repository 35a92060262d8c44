import { describe, expect, it } from 'vitest';
import { userAgentInfo } from '../../src/tracking/user-agent.js';

describe('userAgentInfo', () => {
  it.each([
    ['Chrome on Windows', 'windows', 'chrome', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36'],
    ['Edge on Windows', 'windows', 'edge', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51'],
    ['Opera on Windows', 'windows', 'opera', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 OPR/110.0.0.0'],
    ['Safari on macOS', 'macos', 'safari', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15'],
    ['Firefox on Linux', 'linux', 'firefox', 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0'],
    ['Chrome on a Chromebook', 'chromeos', 'chrome', 'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36'],
    ['Safari on iPhone', 'ios', 'safari', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1'],
    ['Chrome on iPhone', 'ios', 'chrome', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1'],
    ['Chrome on an Android phone', 'android', 'chrome', 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36'],
    ['Samsung Internet', 'android', 'samsung', 'Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36'],
    ['the Facebook app on iPhone', 'ios', 'facebook', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/459.0.0.36.106;FBBV/580000000;FBDV/iPhone15,2;FBMD/iPhone;FBSN/iOS;FBSV/17.4;FBSS/3;FBID/phone;FBLC/en_US;FBOP/5]'],
    ['the Facebook app on Android', 'android', 'facebook', 'Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/UD1A.230803.041; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/124.0.6367.82 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/459.0.0.48.108;]'],
    ['the Instagram app', 'ios', 'instagram', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 327.0.3.33.91 (iPhone15,2; iOS 17_4; en_US; en; scale=3.00; 1179x2556; 590281446)'],
    ['the TikTok app', 'android', 'tiktok', 'Mozilla/5.0 (Linux; Android 13; SM-S918B Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/117.0.0.0 Mobile Safari/537.36 trill_330104 JsSdk/1.0 NetType/WIFI Channel/googleplay AppName/musical_ly app_version/33.1.4 ByteLocale/en'],
  ])('names %s', (_name, os, browser, ua) => {
    expect(userAgentInfo(ua)).toEqual({ os, browser });
  });

  it('gives nulls for an empty, missing or unknown user agent', () => {
    expect(userAgentInfo(undefined)).toEqual({ os: null, browser: null });
    expect(userAgentInfo('   ')).toEqual({ os: null, browser: null });
    expect(userAgentInfo('curl/8.5.0')).toEqual({ os: null, browser: null });
  });
});
