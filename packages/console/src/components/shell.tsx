import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, Outlet, useNavigate, useRouterState } from '@tanstack/react-router';
import { useEffect, useRef, useState } from 'react';
import { errorMessage } from '../api.js';
import { SESSION_KEY, signOut, useSession } from '../session.js';

/** The navigation of SPEC §12, in its order; each path is a screen or, for now, its "coming soon" page. */
export const NAVIGATION = [
  { label: 'Dashboard', path: '/dashboard' },
  { label: 'Offers', path: '/offers' },
  { label: 'Campaigns', path: '/campaigns' },
  { label: 'Landers', path: '/landers' },
  { label: 'Traffic sources', path: '/traffic-sources' },
  { label: 'Publishers', path: '/publishers' },
  { label: 'Affiliate networks', path: '/affiliate-networks' },
  { label: 'Conversions', path: '/conversions' },
  { label: 'Reports', path: '/reports' },
  { label: 'Promo codes', path: '/promo-codes' },
  { label: 'Payments', path: '/payments' },
  { label: 'Postback log', path: '/postback-log' },
  { label: 'Settings', path: '/settings' },
] as const;

/** A publisher user's portal (what a publisher key sees), under /portal: the router sends publishers there. */
export const PUBLISHER_NAVIGATION = [
  { label: 'Offers', path: '/portal/offers' },
  { label: 'Promo codes', path: '/portal/promo-codes' },
  { label: 'Reports', path: '/portal/reports' },
  { label: 'Payments', path: '/portal/payments' },
  { label: 'Postback settings', path: '/portal/postback' },
] as const;

export function Shell() {
  const session = useSession().data;
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const pathname = useRouterState({ select: (state) => state.location.pathname });
  const [menuOpen, setMenuOpen] = useState(false);
  // On a phone the menu covers the page; a chosen link closes it.
  useEffect(() => setMenuOpen(false), [pathname]);
  // A new screen: keyboard and screen-reader users start at its content, not at the link they left behind.
  const firstPath = useRef(pathname);
  useEffect(() => {
    if (pathname !== firstPath.current) document.getElementById('main')?.focus();
  }, [pathname]);
  const leave = useMutation({
    mutationFn: signOut,
    onSettled: () => {
      queryClient.clear();
      queryClient.setQueryData(SESSION_KEY, null);
      void navigate({ to: '/sign-in' });
    },
  });
  // Signed out or expired a moment ago: the sign-in page is on its way, and the screens need a session.
  if (!session) return null;
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <button type="button" className="button menu-button" aria-expanded={menuOpen} aria-controls="main-navigation" onClick={() => setMenuOpen(!menuOpen)}>
          Menu
        </button>
        <span className="brand">Waypost</span>
        <span className="who">
          <span className="who-email">{session.user.email}</span>
          {session.user.role === 'analyst' ? <span className="badge">Read only</span> : null}
        </span>
        <button type="button" className="button" onClick={() => leave.mutate()} disabled={leave.isPending}>
          Sign out
        </button>
      </header>
      {leave.isError ? (
        <p className="alert alert-error" role="alert">
          {errorMessage(leave.error)}
        </p>
      ) : null}
      <nav id="main-navigation" className={menuOpen ? 'sidebar open' : 'sidebar'} aria-label="Main">
        <ul>
          {(session.user.role === 'publisher' ? PUBLISHER_NAVIGATION : NAVIGATION).map((item) => (
            <li key={item.path}>
              <Link to={item.path} activeProps={{ className: 'active', 'aria-current': 'page' }}>
                {item.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" className="content" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
