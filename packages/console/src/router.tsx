import type { QueryClient } from '@tanstack/react-query';
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  type RouterHistory,
  Outlet,
  redirect,
  useNavigate,
} from '@tanstack/react-router';
import { setUnauthorizedHandler } from './api.js';
import { NAVIGATION, Shell } from './components/shell.js';
import { ADMIN_PATHS, adminRoutes } from './screens/admin-routes.js';
import { TRACKER_PATHS, trackerRoutes } from './screens/campaign-routes.js';
import { keywordSetRoutes } from './screens/keyword-set-routes.js';
import { ComingSoon, NotFound } from './screens/coming-soon.js';
import { OfferPage } from './screens/offer-page.js';
import { OffersList, parseOffersSearch } from './screens/offers-list.js';
import { PROMO_CODE_PATHS, portalRedirect, portalRoutes } from './screens/portal-routes.js';
import { SetPassword } from './screens/set-password.js';
import { SignIn } from './screens/sign-in.js';
import { fetchSession, SESSION_KEY } from './session.js';

interface RouterContext {
  queryClient: QueryClient;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Outlet,
  notFoundComponent: NotFound,
});

/** Where to go after signing in: a path inside the console, never another site. */
function safeRedirect(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : '/offers';
}

const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/sign-in',
  validateSearch: (search: Record<string, unknown>): { redirect?: string } =>
    typeof search.redirect === 'string' ? { redirect: search.redirect } : {},
  // Someone already signed in (a bookmark of the sign-in page, the back button) goes where they were headed.
  beforeLoad: async ({ context, search }) => {
    const session = await context.queryClient.ensureQueryData({ queryKey: SESSION_KEY, queryFn: fetchSession }).catch(() => null);
    if (session) throw redirect({ to: safeRedirect(search.redirect) });
  },
  component: function SignInScreen() {
    const navigate = useNavigate();
    const { redirect: target } = signInRoute.useSearch();
    return <SignIn onSignedIn={() => void navigate({ to: safeRedirect(target) })} />;
  },
});

/** The one-time links of invite and password-reset e-mails (and of `waypost users …`): `/app/invite/TOKEN`, `/app/reset/TOKEN`. */
const inviteRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/invite/$token',
  component: function InviteScreen() {
    const navigate = useNavigate();
    return <SetPassword kind="invite" token={inviteRoute.useParams().token} onSignedIn={() => void navigate({ to: '/offers' })} />;
  },
});

const resetRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/reset/$token',
  component: function ResetScreen() {
    return <SetPassword kind="reset" token={resetRoute.useParams().token} onSignedIn={() => {}} />;
  },
});

/** Every screen but the sign-in: only with a session, whose user the shell shows. */
const shellRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'signed-in',
  beforeLoad: async ({ context, location }) => {
    const session = await context.queryClient.ensureQueryData({ queryKey: SESSION_KEY, queryFn: fetchSession });
    if (!session) throw redirect({ to: '/sign-in', search: { redirect: location.href } });
    const elsewhere = portalRedirect(session.user.role, location.pathname);
    if (elsewhere) throw redirect({ to: elsewhere });
  },
  component: Shell,
});

const indexRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: '/',
  // The dashboard is the first screen of the navigation; publisher users have been sent to the portal already.
  beforeLoad: () => {
    throw redirect({ to: '/dashboard' });
  },
});

const offersRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: '/offers',
  validateSearch: parseOffersSearch,
  component: function OffersScreen() {
    return <OffersList search={offersRoute.useSearch()} />;
  },
});

// The form screens carry zod, react-hook-form and the offer schema: loaded when first opened, not with the list.
const newOfferRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: '/offers/new',
  component: lazyRouteComponent(() => import('./screens/offer-editor.js'), 'NewOfferScreen'),
});

const offerRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: '/offers/$offerId',
  component: function OfferScreen() {
    return <OfferPage offerId={offerRoute.useParams().offerId} />;
  },
});

const editOfferRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: '/offers/$offerId/edit',
  component: lazyRouteComponent(() => import('./screens/offer-editor.js'), 'EditOfferScreen'),
});

const comingSoonRoutes = NAVIGATION.filter((item) => item.path !== '/offers' && !PROMO_CODE_PATHS.includes(item.path) && !ADMIN_PATHS.includes(item.path) && !TRACKER_PATHS.includes(item.path)).map((item) =>
  createRoute({
    getParentRoute: () => shellRoute,
    path: item.path,
    component: () => <ComingSoon title={item.label} />,
  }),
);

const routeTree = rootRoute.addChildren([
  signInRoute,
  inviteRoute,
  resetRoute,
  shellRoute.addChildren([indexRoute, offersRoute, newOfferRoute, offerRoute, editOfferRoute, ...portalRoutes(shellRoute), ...trackerRoutes(shellRoute), ...keywordSetRoutes(shellRoute), ...adminRoutes(shellRoute), ...comingSoonRoutes]),
]);

/** The console's router under `/app`; tests pass a memory history. */
export function createConsoleRouter(queryClient: QueryClient, history?: RouterHistory) {
  const router = createRouter({
    routeTree,
    basepath: '/app',
    context: { queryClient },
    defaultPreload: false,
    ...(history ? { history } : {}),
  });
  // A session that expired or was revoked while the console was open: back to the sign-in, then to this page.
  setUnauthorizedHandler(() => {
    queryClient.setQueryData(SESSION_KEY, null);
    const here = router.state.location.href;
    if (!here.startsWith('/sign-in')) void router.navigate({ to: '/sign-in', search: { redirect: here } });
  });
  return router;
}
