import { Link } from '@tanstack/react-router';

/** The two logs side by side: what came in (postbacks, pixels) and what went out (publisher postbacks, e-mails). */
export function LogTabs() {
  return (
    <nav className="button-row" aria-label="Logs">
      <Link to="/postback-log" className="button" activeProps={{ 'aria-current': 'page', className: 'button button-primary' }}>
        Postback log
      </Link>
      <Link to="/deliveries" className="button" activeProps={{ 'aria-current': 'page', className: 'button button-primary' }}>
        Deliveries
      </Link>
    </nav>
  );
}
