// The route's search parsers: on the first render's path, so they import nothing heavy (no schema, no form library).

/** The list screens' filters, kept in the URL: a reload, a bookmark or a shared link shows the same list. */
export interface TrackerListSearch {
  q?: string;
  cursor?: string;
  includeArchived?: 'true';
  workspaceId?: string;
}

export function parseTrackerListSearch(search: Record<string, unknown>): TrackerListSearch {
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value : undefined);
  const workspaceId = text(search.workspaceId);
  return {
    q: text(search.q),
    cursor: text(search.cursor),
    ...(search.includeArchived === 'true' || search.includeArchived === true ? { includeArchived: 'true' as const } : {}),
    ...(workspaceId ? { workspaceId } : {}),
  };
}

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
