import { type AnyRoute, createRoute, lazyRouteComponent } from '@tanstack/react-router';
import type { UserRole } from '../session.js';
import { parseAdminPromoCodesSearch, parsePortalOffersSearch, parsePortalReportsSearch, parsePromoCodesSearch } from './portal-search.js';

/** The team's paths these routes serve, so that the router's "coming soon" pages leave them out. */
export const PROMO_CODE_PATHS = ['/promo-codes'];

/** Where the publisher portal lives; its navigation is `PUBLISHER_NAVIGATION` in the shell. */
const PORTAL = '/portal';

/**
 * Where a signed-in user who opened `pathname` belongs, or null when they are in the right place. A publisher user has
 * the portal under /portal (a team path such as a bookmark of /offers leads to the portal's screen of that name); the
 * team has no use for the portal's screens, which show one publisher's view.
 */
export function portalRedirect(role: UserRole, pathname: string): string | null {
  const inPortal = pathname === PORTAL || pathname.startsWith(`${PORTAL}/`);
  if (role === 'publisher') {
    if (inPortal && pathname !== PORTAL) return null;
    const screen = ['/offers', '/promo-codes', '/reports', '/payments', '/postback'].find((path) => pathname === path || pathname.startsWith(`${path}/`));
    return `${PORTAL}${screen ?? '/offers'}`;
  }
  return inPortal ? '/offers' : null;
}

/** The publisher portal's screens and the team's promo codes screen, each loaded as a chunk when first opened. */
export function portalRoutes(shell: AnyRoute) {
  const route = (path: string, load: () => Promise<Record<string, unknown>>, name: string, validateSearch?: (search: Record<string, unknown>) => object) =>
    createRoute({ getParentRoute: () => shell, path, component: lazyRouteComponent(load as never, name as never), ...(validateSearch ? { validateSearch } : {}) });
  return [
    route('/promo-codes', () => import('./promo-codes.js'), 'PromoCodesScreen', parseAdminPromoCodesSearch),
    route(`${PORTAL}/offers`, () => import('./portal-offers.js'), 'PortalOffersScreen', parsePortalOffersSearch),
    route(`${PORTAL}/promo-codes`, () => import('./portal-promo-codes.js'), 'PortalPromoCodesScreen', parsePromoCodesSearch),
    route(`${PORTAL}/reports`, () => import('./portal-reports.js'), 'PortalReportsScreen', parsePortalReportsSearch),
    route(`${PORTAL}/payments`, () => import('./portal-payments.js'), 'PortalPaymentsScreen'),
    route(`${PORTAL}/postback`, () => import('./portal-postback.js'), 'PortalPostbackScreen'),
  ];
}
