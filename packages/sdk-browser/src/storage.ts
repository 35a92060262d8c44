import Cookies from 'js-cookie';

/** The cookie and the localStorage key that hold the click id; the server's pixel reads the same cookie. */
export const STORAGE_KEY = 'waypost_cid';

/**
 * Where the cookie may go, widest first: each parent domain of the page's host name, the host name itself,
 * then '' for a host-only cookie. For `a.shop.example.com`: `com`, `example.com`, `shop.example.com`, ….
 */
const cookieDomains = () => [...location.hostname.split('.').map((_, i, labels) => labels.slice(i).join('.')).reverse(), ''];

/** The stored click id candidates, in capture order: the cookie, then localStorage (null where it is disabled). */
export const readStored = (): unknown[] => [Cookies.get(STORAGE_KEY), localStorage?.getItem(STORAGE_KEY)];

/**
 * Writes the click id to the cookie and its localStorage mirror; `''` with `days` -1 deletes both.
 *
 * Without a configured domain the cookie goes to the widest domain that keeps it: browsers refuse a public
 * suffix (`com`, `co.uk`), so the first domain where the cookie reads back is the site's own. A deletion never
 * reads back, so it runs through every domain the cookie may be on.
 */
export const writeStored = (clickId: string, domain: string | undefined, days: number): void => {
  (domain ? [domain] : cookieDomains()).find(
    (domain) => (
      Cookies.set(STORAGE_KEY, clickId, { domain, expires: days, sameSite: 'Lax', secure: location.protocol == 'https:' }),
      Cookies.get(STORAGE_KEY) == clickId
    ),
  );
  clickId ? localStorage.setItem(STORAGE_KEY, clickId) : localStorage.removeItem(STORAGE_KEY);
};
