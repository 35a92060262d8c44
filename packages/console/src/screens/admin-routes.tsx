import { type AnyRoute, createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { parseConversionsSearch, parseDeliveriesSearch, parsePaymentsSearch, parsePostbackLogSearch, parsePublishersSearch } from './admin-search.js';

/** The paths these routes serve, so that the router's "coming soon" pages leave them out. */
export const ADMIN_PATHS = ['/publishers', '/affiliate-networks', '/conversions', '/payments', '/postback-log', '/settings'];

/**
 * The admin screens of publishers, affiliate networks, conversions, payments, the postback and delivery logs and the
 * settings, under the signed-in shell. Each loads as a chunk of its own when first opened, off the offers list's path.
 */
export function adminRoutes(shell: AnyRoute) {
  const route = (path: string, load: () => Promise<Record<string, unknown>>, name: string, validateSearch?: (search: Record<string, unknown>) => object) =>
    createRoute({ getParentRoute: () => shell, path, component: lazyRouteComponent(load as never, name as never), ...(validateSearch ? { validateSearch } : {}) });
  const publishers = () => import('./publishers.js');
  const networks = () => import('./networks.js');
  const payments = () => import('./payments.js');
  return [
    route('/publishers', publishers, 'PublishersScreen', parsePublishersSearch),
    route('/publishers/new', publishers, 'NewPublisherScreen'),
    route('/publishers/$publisherId', publishers, 'PublisherScreen'),
    route('/affiliate-networks', networks, 'NetworksScreen'),
    route('/affiliate-networks/new', networks, 'NewNetworkScreen'),
    route('/affiliate-networks/$networkId', networks, 'EditNetworkScreen'),
    route('/conversions', () => import('./conversions.js'), 'ConversionsScreen', parseConversionsSearch),
    route('/conversions/new-transaction', () => import('./conversions-transaction.js'), 'NewTransactionScreen'),
    route('/payments', payments, 'PaymentsScreen', parsePaymentsSearch),
    route('/payments/$paymentId', payments, 'PaymentScreen'),
    route('/postback-log', () => import('./postback-log.js'), 'PostbackLogScreen', parsePostbackLogSearch),
    route('/deliveries', () => import('./deliveries.js'), 'DeliveriesScreen', parseDeliveriesSearch),
    route('/settings', () => import('./settings.js'), 'SettingsScreen'),
  ];
}
