import { parseTrackerListSearch, type TrackerListSearch } from './campaign-shared.js';

/** The campaigns list's filters, kept in the URL. */
export interface CampaignsSearch extends TrackerListSearch {
  status?: 'active' | 'paused';
  trafficSourceId?: string;
}

export function parseCampaignsSearch(search: Record<string, unknown>): CampaignsSearch {
  const status = search.status === 'active' || search.status === 'paused' ? search.status : undefined;
  const trafficSourceId = typeof search.trafficSourceId === 'string' && search.trafficSourceId !== '' ? search.trafficSourceId : undefined;
  return { ...parseTrackerListSearch(search), ...(status ? { status } : {}), ...(trafficSourceId ? { trafficSourceId } : {}) };
}
