import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { drainQueue, STUB_SNIPPET } from '../src/entrypoints/module.js';
import { BUILDS, load, openPage, page, setCookie, useCleanPage } from './support/page.js';
import { downEndpoint, startTrackingServer, type TrackingServer } from './support/tracking-server.js';

const LANDER = 'http://lander.shop.example.com/offer';
const URL_CLICK = 'urlClick0001AbCdEf';
const COOKIE_CLICK = 'cookieClick001AbCd';
const STORED_CLICK = 'storageClick01AbCd';

let server: TrackingServer;
beforeAll(async () => (server = await startTrackingServer()));
afterAll(() => server.close());
beforeEach(() => server.reset());
useCleanPage();

const cookie = () => document.cookie.match(/(?:^|; )waypost_cid=([^;]*)/)?.[1];
const mirror = () => localStorage.getItem('waypost_cid');

describe.each(BUILDS)('the %s build', (build) => {
  describe('capture', () => {
    test('takes the click id from the URL before the cookie and the cookie before localStorage', () => {
      setCookie('waypost_cid', COOKIE_CLICK);
      localStorage.setItem('waypost_cid', STORED_CLICK);
      openPage(`${LANDER}?click_id=${URL_CLICK}`);
      expect(load(build, server.endpoint).tracking_params?.click_id).toBe(URL_CLICK);
    });

    test('falls back to the cookie when the URL has no click id', () => {
      setCookie('waypost_cid', COOKIE_CLICK);
      localStorage.setItem('waypost_cid', STORED_CLICK);
      openPage(LANDER);
      expect(load(build, server.endpoint).tracking_params?.click_id).toBe(COOKIE_CLICK);
    });

    test('falls back to localStorage when there is no cookie, and restores the cookie from it', () => {
      localStorage.setItem('waypost_cid', STORED_CLICK);
      openPage(LANDER);
      expect(load(build, server.endpoint).tracking_params?.click_id).toBe(STORED_CLICK);
      expect(cookie()).toBe(STORED_CLICK);
    });

    test('reads the click parameters in the configured order', () => {
      openPage(`${LANDER}?cid=secondChoice01&aff_click=firstChoice001`);
      const tracker = load(build, server.endpoint, { clickParams: 'aff_click,cid' });
      expect(tracker.tracking_params?.click_id).toBe('firstChoice001');
    });

    test.each([
      ['{click_id}', '%7Bclick_id%7D'],
      ['%7Bclick_id%7D as sent', '%257Bclick_id%257D'],
      ['__CLICK_ID__', '__CLICK_ID__'],
      ['[clickid]', '%5Bclickid%5D'],
      ['#s2#, encoded', '%23s2%23'],
      ['#s2#, raw (the browser cuts it at #)', '#s2#'],
      ['{{click_id}}', '%7B%7Bclick_id%7D%7D'],
      ['a value with braces inside', 'abc%7Bdef%7Dghij'],
      ['undefined', 'undefined'],
      ['a value over 32 characters', 'a'.repeat(33)],
      ['a value under 8 characters', 'abc1234'],
      ['a value that is not URL-safe', 'abc.def%20ghi'],
    ])('refuses %s as a click id and moves on to the next parameter', (_, value) => {
      openPage(`${LANDER}?click_id=${value}&subid=${URL_CLICK}`.replace(/#s2#&subid=.*/, `&subid=${URL_CLICK}#s2#`));
      expect(load(build, server.endpoint).tracking_params?.click_id).toBe(URL_CLICK);
    });

    test('refuses a placeholder left in the cookie', () => {
      setCookie('waypost_cid', '%7Bclick_id%7D');
      openPage(LANDER);
      const tracker = load(build, server.endpoint);
      expect(tracker.tracking_params).toBeUndefined();
    });

    test('lets a new click id replace the stored one under last-click attribution', () => {
      setCookie('waypost_cid', COOKIE_CLICK);
      openPage(`${LANDER}?click_id=${URL_CLICK}`);
      expect(load(build, server.endpoint, { attribution: 'last' }).tracking_params?.click_id).toBe(URL_CLICK);
      expect(cookie()).toBe(URL_CLICK);
    });

    test('keeps the stored click id under first-click attribution', () => {
      setCookie('waypost_cid', COOKIE_CLICK);
      openPage(`${LANDER}?click_id=${URL_CLICK}`);
      expect(load(build, server.endpoint, { attribution: 'first' }).tracking_params?.click_id).toBe(COOKIE_CLICK);
      expect(cookie()).toBe(COOKIE_CLICK);
    });

    test('exposes the publisher, the sub ids and the ad click ids of the URL with the click id', () => {
      openPage(`${LANDER}?click_id=${URL_CLICK}&p=pub7&sub1=a&sub5=e&gclid=G-1&fbclid=F-1&msclkid=M-1&utm_source=x`);
      expect(load(build, server.endpoint, { publisherParam: 'p' }).tracking_params).toEqual({
        click_id: URL_CLICK,
        publisher_id: 'pub7',
        sub1: 'a',
        sub5: 'e',
        gclid: 'G-1',
        fbclid: 'F-1',
        msclkid: 'M-1',
      });
    });

    test('leaves tracking_params unset and resolves ready() without a click id', async () => {
      openPage(LANDER);
      const tracker = load(build, server.endpoint);
      expect(tracker.tracking_params).toBeUndefined();
      await expect(tracker.ready()).resolves.toEqual({});
      expect(server.requests).toEqual([]);
    });
  });

  describe('storage', () => {
    test('stores the click id in the cookie at the widest domain that accepts it, and in localStorage', () => {
      openPage(`http://a.b.shop.example.com/?click_id=${URL_CLICK}`);
      load(build, server.endpoint);
      expect(mirror()).toBe(URL_CLICK);
      openPage('http://other.example.com/thank-you');
      expect(cookie()).toBe(URL_CLICK);
      openPage('http://example.com/');
      expect(cookie()).toBe(URL_CLICK);
      document.cookie = 'waypost_cid=; path=/; domain=example.com; expires=Thu, 01 Jan 1970 00:00:00 GMT';
    });

    test('stores the cookie at the configured domain', () => {
      openPage(`http://a.shop.example.com/?click_id=${URL_CLICK}`);
      load(build, server.endpoint, { cookieDomain: 'shop.example.com' });
      openPage('http://b.shop.example.com/');
      expect(cookie()).toBe(URL_CLICK);
      openPage('http://example.com/');
      expect(cookie()).toBeUndefined();
      openPage('http://a.shop.example.com/');
    });

    test('writes the cookie with SameSite=Lax, Secure on https, and the configured lifetime', () => {
      const written: string[] = [];
      const jar = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(document), 'cookie')!;
      vi.spyOn(document, 'cookie', 'set').mockImplementation((value) => {
        written.push(value);
        jar.set!.call(document, value);
      });
      openPage(`https://shop.example.com/?click_id=${URL_CLICK}`);
      const before = Date.now();
      load(build, server.endpoint, { cookieDays: '30' });
      const cookieWritten = written.find((value) => value.startsWith(`waypost_cid=${URL_CLICK}`))!;
      expect(cookieWritten).toMatch(/; sameSite=Lax/i);
      expect(cookieWritten).toMatch(/; secure/i);
      const expires = Date.parse(cookieWritten.match(/expires=([^;]+)/)![1]!);
      expect(expires - before).toBeGreaterThan(29.9 * 864e5);
      expect(expires - before).toBeLessThan(30.1 * 864e5);
    });

    test('keeps ids in memory only while consent is pending', () => {
      openPage(`${LANDER}?click_id=${URL_CLICK}`);
      const tracker = load(build, server.endpoint, { consent: 'pending' });
      expect(tracker.tracking_params?.click_id).toBe(URL_CLICK);
      expect(cookie()).toBeUndefined();
      expect(mirror()).toBeNull();
      expect(tracker.decorate('https://partner.com/')).toBe(`https://partner.com/?click_id=${URL_CLICK}`);
    });

    test('persists the ids once consent is granted and deletes them when it is withdrawn', () => {
      openPage(`${LANDER}?click_id=${URL_CLICK}`);
      const tracker = load(build, server.endpoint, { consent: 'pending' });
      tracker.consent(true);
      expect(cookie()).toBe(URL_CLICK);
      expect(mirror()).toBe(URL_CLICK);
      tracker.consent(false);
      expect(cookie()).toBeUndefined();
      expect(mirror()).toBeNull();
      openPage('http://example.com/');
      expect(cookie()).toBeUndefined();
    });
  });

  describe('direct tracking', () => {
    test('posts the visit as text/plain JSON and stores the click id of the reply before ready()', async () => {
      openPage(`${LANDER}?pub=pub7&sub1=spring&gclid=G-1`);
      Object.defineProperty(document, 'referrer', { configurable: true, value: 'https://news.example.org/' });
      const tracker = load(build, server.endpoint, { offer: 'offer1' });
      delete (document as { referrer?: string }).referrer;
      expect(tracker.tracking_params).toBeUndefined();
      const params = await tracker.ready();
      const [visit] = server.to('/v1/visits');
      expect(visit!.method).toBe('POST');
      expect(visit!.contentType).toMatch(/^text\/plain/);
      expect(visit!.body).toEqual({
        offerId: 'offer1',
        publisherId: 'pub7',
        sub1: 'spring',
        landingUrl: `${LANDER}?pub=pub7&sub1=spring&gclid=G-1`,
        referrer: 'https://news.example.org/',
        adClickIds: { gclid: 'G-1' },
      });
      expect(params).toEqual({
        click_id: server.state.issuedClickId,
        offer_id: 'offer1',
        publisher_id: 'pub7',
        sub1: 'spring',
        gclid: 'G-1',
      });
      expect(tracker.tracking_params).toBe(params);
      expect(cookie()).toBe(server.state.issuedClickId);
      expect(mirror()).toBe(server.state.issuedClickId);
    });

    test('sends the known click id with the visit, so the server records a visit on that click', async () => {
      openPage(`${LANDER}?click_id=${URL_CLICK}`);
      const tracker = load(build, server.endpoint, { offer: 'offer1' });
      expect(tracker.tracking_params?.click_id).toBe(URL_CLICK);
      await tracker.ready();
      expect(server.to('/v1/visits')[0]!.body.clickId).toBe(URL_CLICK);
    });

    test('resolves ready() when the tracking server is down', async () => {
      openPage(`${LANDER}?click_id=${URL_CLICK}`);
      const tracker = load(build, await downEndpoint(), { offer: 'offer1' });
      await expect(tracker.ready()).resolves.toMatchObject({ click_id: URL_CLICK, offer_id: 'offer1' });
    });

    test('resolves ready() within about 3 seconds when the visit hangs', async () => {
      server.state.visits = 'hang';
      openPage(LANDER);
      const started = Date.now();
      const tracker = load(build, server.endpoint, { offer: 'offer1' });
      await expect(tracker.ready()).resolves.toEqual({ offer_id: 'offer1' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
      expect(Date.now() - started).toBeLessThan(3900);
    });

    test('keeps the captured click id when the server refuses the visit', async () => {
      server.state.visits = 'fail';
      openPage(`${LANDER}?click_id=${URL_CLICK}`);
      const tracker = load(build, server.endpoint, { offer: 'offer1' });
      await expect(tracker.ready()).resolves.toMatchObject({ click_id: URL_CLICK });
    });

    test('calls on("ready") callbacks once, even one added after the fact', async () => {
      openPage(LANDER);
      const tracker = load(build, server.endpoint, { offer: 'offer1' });
      const early = vi.fn();
      tracker.on('ready', early);
      await tracker.ready();
      const late = vi.fn();
      tracker.on('ready', late);
      await tracker.ready();
      await Promise.resolve();
      expect(early).toHaveBeenCalledExactlyOnceWith(expect.objectContaining({ click_id: server.state.issuedClickId }));
      expect(late).toHaveBeenCalledOnce();
    });
  });

  describe('conversions', () => {
    test('posts the conversion with keepalive as text/plain JSON, amounts as decimal strings', async () => {
      openPage(`http://shop.example.com/thank-you?click_id=${URL_CLICK}`);
      const tracker = load(build, server.endpoint);
      const result = await tracker.convert({ amount: 49.9, currency: 'EUR', transactionId: 'A-1001', event: 'purchase', couponCode: 'SPRING' });
      expect(result).toEqual({ status: 'accepted', conversionId: expect.any(String) });
      const [conversion] = server.to('/v1/conversions/browser');
      expect(conversion!.contentType).toMatch(/^text\/plain/);
      expect(conversion!.body).toEqual({
        clickId: URL_CLICK,
        amount: '49.9',
        currency: 'EUR',
        transactionId: 'A-1001',
        event: 'purchase',
        couponCode: 'SPRING',
      });
    });

    test('reports the thank-you page conversion without posting a visit, even with the offer set', async () => {
      openPage(`http://shop.example.com/thank-you?click_id=${URL_CLICK}`);
      const conversion = { amount: '49.90', currency: 'EUR', transactionId: 'A-1001', event: 'purchase' };
      // The script tag converts from its attributes on load; a module user calls convert().
      if (build == 'script') load(build, server.endpoint, { convert: '', offer: 'offer1', ...conversion, coupon: 'SPRING' });
      else load(build, server.endpoint, { convert: '', offer: 'offer1' }).convert({ ...conversion, couponCode: 'SPRING' });
      const [request] = await server.waitFor('/v1/conversions/browser');
      expect(request!.body).toEqual({ clickId: URL_CLICK, offerId: 'offer1', ...conversion, couponCode: 'SPRING' });
      expect(server.to('/v1/visits')).toEqual([]);
    });

    test('sends a transaction id once per page: a second convert() resolves to the first result', async () => {
      openPage(`http://shop.example.com/thank-you?click_id=${URL_CLICK}`);
      const tracker = load(build, server.endpoint);
      const first = tracker.convert({ amount: '10.00', transactionId: 'A-1' });
      const again = tracker.convert({ amount: '10.00', transactionId: 'A-1' });
      expect(again).toBe(first);
      await expect(again).resolves.toEqual(await first);
      await tracker.convert({ amount: '20.00', transactionId: 'A-2' });
      expect(server.to('/v1/conversions/browser').map((request) => request.body.transactionId)).toEqual(['A-1', 'A-2']);
    });

    test('resolves with the error of a refused conversion', async () => {
      server.state.conversions = 'fail';
      openPage(`http://shop.example.com/thank-you?click_id=${URL_CLICK}`);
      const tracker = load(build, server.endpoint);
      await expect(tracker.convert({ transactionId: 'A-1' })).resolves.toMatchObject({ status: 'rejected', code: 'unknown_click' });
    });

    test.each([
      ['fetch throws', () => { throw new TypeError('Failed to fetch'); }],
      ['fetch rejects', () => Promise.reject(new TypeError('Failed to fetch'))],
      ['the page broke fetch', () => 'not a response'],
      ['fetch is missing', undefined],
    ])('falls back to the image pixel when %s', async (_, brokenFetch) => {
      vi.stubGlobal('fetch', brokenFetch);
      openPage(`http://shop.example.com/thank-you?click_id=${URL_CLICK}`);
      const tracker = load(build, server.endpoint);
      await expect(tracker.convert({ amount: 49.9, currency: 'EUR', transactionId: 'A-1', event: 'sale', couponCode: 'SPRING', offerId: 'offer1' })).resolves.toEqual({ status: 'sent' });
      const [pixel] = await server.waitFor('/pixel.gif');
      expect(pixel!.query).toEqual({
        click_id: URL_CLICK,
        offer_id: 'offer1',
        amount: '49.9',
        currency: 'EUR',
        transaction_id: 'A-1',
        event: 'sale',
        coupon: 'SPRING',
      });
    });

    test('uses the pixel, which carries the tracking domain cookie, when no click id is known', async () => {
      openPage('http://shop.example.com/thank-you');
      const tracker = load(build, server.endpoint);
      await expect(tracker.convert({ amount: '5', transactionId: 'A-9' })).resolves.toEqual({ status: 'sent' });
      expect((await server.waitFor('/pixel.gif'))[0]!.query).toEqual({ amount: '5', transaction_id: 'A-9' });
      expect(server.to('/v1/conversions/browser')).toEqual([]);
    });

    test('sends the click id of the visit when it converts on the lander', async () => {
      openPage(LANDER);
      const tracker = load(build, server.endpoint, { offer: 'offer1' });
      await tracker.convert({ event: 'lead' });
      expect(server.to('/v1/conversions/browser')[0]!.body).toEqual({ clickId: server.state.issuedClickId, offerId: 'offer1', event: 'lead' });
    });
  });

  describe('decoration', () => {
    test('appends the click id to a URL, replacing a stale one', () => {
      openPage(`${LANDER}?click_id=${URL_CLICK}`);
      const tracker = load(build, server.endpoint);
      expect(tracker.decorate('https://partner.com/buy?x=1#top')).toBe(`https://partner.com/buy?x=1&click_id=${URL_CLICK}#top`);
      expect(tracker.decorate('https://partner.com/?click_id=old')).toBe(`https://partner.com/?click_id=${URL_CLICK}`);
      expect(tracker.decorate('/checkout')).toBe(`http://lander.shop.example.com/checkout?click_id=${URL_CLICK}`);
    });

    test('leaves a URL as it is without a click id, or when it cannot be parsed', () => {
      openPage(LANDER);
      expect(load(build, server.endpoint).decorate('https://partner.com/')).toBe('https://partner.com/');
      openPage(`${LANDER}?click_id=${URL_CLICK}`);
      expect(load(build, server.endpoint).decorate('http://[bad')).toBe('http://[bad');
    });

    test('decorates outbound links to the listed domains at click time through one listener', () => {
      openPage(`${LANDER}?click_id=${URL_CLICK}`);
      document.body.innerHTML = `
        <a id="partner" href="https://partner.com/buy"><span>Buy</span></a>
        <a id="sub" href="https://shop.partner.com/"></a>
        <a id="other" href="https://notpartner.com/"></a>
        <a id="second" href="https://b.example.net/"></a>`;
      load(build, server.endpoint, { decorate: 'partner.com,b.example.net' });
      for (const link of document.querySelectorAll('a')) link.addEventListener('click', (event) => event.preventDefault());
      document.querySelector('#partner span')!.dispatchEvent(new MouseEvent('click', { bubbles: true }));
      for (const id of ['sub', 'other', 'second']) (document.getElementById(id) as HTMLAnchorElement).click();
      const href = (id: string) => (document.getElementById(id) as HTMLAnchorElement).href;
      expect(href('partner')).toBe(`https://partner.com/buy?click_id=${URL_CLICK}`);
      expect(href('sub')).toBe(`https://shop.partner.com/?click_id=${URL_CLICK}`);
      expect(href('other')).toBe('https://notpartner.com/');
      expect(href('second')).toBe(`https://b.example.net/?click_id=${URL_CLICK}`);
      const clickListeners = vi.mocked(document.addEventListener).mock.calls.filter(([type]) => type == 'click');
      expect(clickListeners).toHaveLength(1);
      document.body.innerHTML = '';
    });

    test('adds no listener without data-decorate', () => {
      openPage(`${LANDER}?click_id=${URL_CLICK}`);
      load(build, server.endpoint);
      expect(document.addEventListener).not.toHaveBeenCalled();
    });
  });

  describe('stub queue', () => {
    test('runs the calls queued before load, in order', async () => {
      openPage(`http://shop.example.com/thank-you?click_id=${URL_CLICK}`);
      (0, eval)(STUB_SNIPPET);
      const calls: string[] = [];
      page.waypost('on', 'ready', () => calls.push('first ready callback'));
      page.waypost('convert', { transactionId: 'Q-1' });
      page.waypost('on', 'ready', () => calls.push('second ready callback'));
      page.waypost('convert', { transactionId: 'Q-2' });
      page.waypost('noSuchMethod');
      page.waypost('consent', false);
      expect(cookie()).toBeUndefined();
      const queued = page.waypost.q;
      const tracker = build == 'script' ? load(build, server.endpoint) : load(build, server.endpoint);
      if (build == 'module') drainQueue(tracker, queued);
      await tracker.ready();
      await server.waitFor('/v1/conversions/browser', 2);
      expect(calls).toEqual(['first ready callback', 'second ready callback']);
      expect(server.to('/v1/conversions/browser').map((request) => request.body.transactionId)).toEqual(['Q-1', 'Q-2']);
      // The queued consent(false) ran after the tracker stored the click id, and deleted it.
      expect(cookie()).toBeUndefined();
    });
  });

  describe('safety', () => {
    test('never throws into the page, whatever it is called with', async () => {
      openPage(`${LANDER}?click_id=${URL_CLICK}`);
      const tracker = load(build, server.endpoint, { decorate: 'partner.com' });
      expect(() => tracker.on('ready', () => { throw new Error('page bug'); })).not.toThrow();
      expect(() => tracker.decorate(undefined as unknown as string)).not.toThrow();
      expect(() => tracker.consent(false)).not.toThrow();
      await expect(tracker.convert(null as unknown as undefined)).resolves.toBeDefined();
      expect(() => document.dispatchEvent(new MouseEvent('click'))).not.toThrow();
    });

    test('survives storage that throws', () => {
      vi.spyOn(Storage.prototype, 'getItem').mockImplementation(() => { throw new DOMException('denied', 'SecurityError'); });
      vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => { throw new DOMException('full', 'QuotaExceededError'); });
      openPage(`${LANDER}?click_id=${URL_CLICK}`);
      expect(load(build, server.endpoint).tracking_params?.click_id).toBe(URL_CLICK);
    });
  });
});
