import { describe, expect, it } from 'vitest';
import { deviceFromUserAgent } from '../../src/tracking/index.js';

describe('deviceFromUserAgent', () => {
  it.each([
    // Desktop browsers
    ['Chrome on Windows', 'desktop', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36'],
    ['Safari on macOS', 'desktop', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15'],
    ['Firefox on Linux', 'desktop', 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0'],
    ['Edge on Windows', 'desktop', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51'],
    ['iPadOS Safari in desktop mode', 'desktop', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15'],
    ['IE 11 on a touch laptop ("Tablet PC")', 'desktop', 'Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; Touch; .NET CLR 2.0.50727; Tablet PC 2.0; rv:11.0) like Gecko'],
    // Phones
    ['Safari on iPhone', 'mobile', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1'],
    ['Chrome on iPhone', 'mobile', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1'],
    ['Chrome on an Android phone', 'mobile', 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36'],
    ['Samsung Internet on a Galaxy phone', 'mobile', 'Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36'],
    ['Firefox on an Android phone', 'mobile', 'Mozilla/5.0 (Android 14; Mobile; rv:125.0) Gecko/125.0 Firefox/125.0'],
    ['Opera Mini on Android', 'mobile', 'Opera/9.80 (Android; Opera Mini/7.5.33361/31.1448; U; en) Presto/2.8.119 Version/11.1010'],
    ['a Windows Phone', 'mobile', 'Mozilla/5.0 (Windows Phone 10.0; Android 6.0.1; Microsoft; Lumia 950) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/52.0.2743.116 Mobile Safari/537.36 Edge/15.15063'],
    ['a Cubot phone, whose brand ends in "bot"', 'mobile', 'Mozilla/5.0 (Linux; Android 9; CUBOT X19) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36'],
    ['Instagram in-app browser on iPhone', 'mobile', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 327.0.3.33.91 (iPhone15,2; iOS 17_4; en_US; en; scale=3.00; 1179x2556; 590281446)'],
    // Tablets
    ['Safari on an older iPad', 'tablet', 'Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1'],
    ['Chrome on a Samsung Galaxy Tab', 'tablet', 'Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36'],
    ['Firefox on an Android tablet', 'tablet', 'Mozilla/5.0 (Android 14; Tablet; rv:125.0) Gecko/125.0 Firefox/125.0'],
    ['Silk on a Kindle Fire', 'tablet', 'Mozilla/5.0 (Linux; Android 9; KFTRWI) AppleWebKit/537.36 (KHTML, like Gecko) Silk/124.2.2 like Chrome/124.0.6367.82 Safari/537.36'],
    // Bots and tools
    ['Googlebot', 'bot', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'],
    ['Googlebot for smartphones', 'bot', 'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.60 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'],
    ['Bingbot', 'bot', 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)'],
    ['Yahoo Slurp', 'bot', 'Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com/help/us/ysearch/slurp)'],
    ['HeadlessChrome', 'bot', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36'],
    ["Facebook's link preview", 'bot', 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)'],
    ["Slack's link preview", 'bot', 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)'],
    ["WhatsApp's link preview", 'bot', 'WhatsApp/2.23.20.0 A'],
    ['curl', 'bot', 'curl/8.5.0'],
    ['wget', 'bot', 'Wget/1.21.4'],
    ['python-requests', 'bot', 'python-requests/2.31.0'],
    ['Go', 'bot', 'Go-http-client/2.0'],
    ['axios', 'bot', 'axios/1.6.8'],
    ['Node fetch', 'bot', 'node'],
    ['a missing user agent', 'bot', undefined],
    ['an empty user agent', 'bot', ''],
    ['a blank user agent', 'bot', '   '],
  ] as const)('classifies %s as %s', (_title, device, userAgent) => {
    expect(deviceFromUserAgent(userAgent)).toBe(device);
  });
});
