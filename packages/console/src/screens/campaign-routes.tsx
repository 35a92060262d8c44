import { type AnyRoute, createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { parseCampaignsSearch, parseTrackerListSearch } from './campaign-search.js';
import { parseDashboardSearch, parseReportsSearch } from './reports-search.js';

/** The paths these routes serve, so that the router's "coming soon" pages leave them out. */
export const TRACKER_PATHS = ['/dashboard', '/campaigns', '/landers', '/traffic-sources', '/reports'];

/**
 * The tracker's screens (campaigns, landers, traffic sources, reports and the dashboard) under the signed-in shell.
 * Each screen is a chunk of its own, loaded when first opened: none of them is on the offers list's first render.
 */
export function trackerRoutes(shell: AnyRoute) {
  const route = (path: string, load: () => Promise<Record<string, unknown>>, name: string, validateSearch?: (search: Record<string, unknown>) => object) =>
    createRoute({ getParentRoute: () => shell, path, component: lazyRouteComponent(load as never, name as never), ...(validateSearch ? { validateSearch } : {}) });
  const campaigns = () => import('./campaigns.js');
  const campaignForm = () => import('./campaign-form.js');
  const landers = () => import('./landers.js');
  const sources = () => import('./traffic-sources.js');
  return [
    route('/dashboard', () => import('./dashboard.js'), 'DashboardScreen', parseDashboardSearch),
    route('/reports', () => import('./reports.js'), 'ReportsScreen', parseReportsSearch),
    route('/campaigns', campaigns, 'CampaignsScreen', parseCampaignsSearch),
    route('/campaigns/new', campaignForm, 'NewCampaignScreen'),
    route('/campaigns/$campaignId', campaigns, 'CampaignScreen'),
    route('/campaigns/$campaignId/edit', campaignForm, 'EditCampaignScreen'),
    route('/landers', landers, 'LandersScreen', parseTrackerListSearch),
    route('/landers/new', landers, 'NewLanderScreen'),
    route('/landers/$landerId/edit', landers, 'EditLanderScreen'),
    route('/traffic-sources', sources, 'TrafficSourcesScreen', parseTrackerListSearch),
    route('/traffic-sources/new', sources, 'NewTrafficSourceScreen'),
    route('/traffic-sources/$sourceId/edit', sources, 'EditTrafficSourceScreen'),
  ];
}
