import {
  type Campaign,
  CreateCampaignParamsSchema,
  type CreateCampaignParams,
  type Lander,
  type StreamParams,
  type TrafficSource,
  type TrafficSourceParam,
} from '@waypost/schema';
import { newId } from '../../src/ids.js';
import { DESKTOP_BROWSER, type TestServer } from './harness.js';

/**
 * Campaign fixtures for the campaign-link tests, made through the store with the wire schema's defaults (a campaign
 * is one document; its streams get ids as the REST routes give them).
 */
const WORKSPACE = 'ws_first';

export async function createLander(server: TestServer, fields: { url: string; offers?: number; name?: string }): Promise<Lander> {
  const now = server.clock.now().toISOString();
  const lander: Lander = { id: newId('ldr_', server.clock.now()), name: fields.name ?? 'Lander', url: fields.url, offers: fields.offers ?? 1, notes: null, archive: null, workspaceId: WORKSPACE, archivedAt: null, createdAt: now, updatedAt: now };
  await server.store.landers.insert(lander);
  return lander;
}

export async function createTrafficSource(server: TestServer, params: TrafficSourceParam[]): Promise<TrafficSource> {
  const now = server.clock.now().toISOString();
  const source: TrafficSource = { id: newId('trs_', server.clock.now()), name: 'Source', params, postbackUrl: null, postbackSecret: null, notes: null, workspaceId: WORKSPACE, archivedAt: null, createdAt: now, updatedAt: now };
  await server.store.trafficSources.insert(source);
  return source;
}

export async function createCampaign(server: TestServer, fields: Omit<Partial<CreateCampaignParams>, 'streams'> & { streams: StreamParams[] }): Promise<Campaign> {
  const parsed = CreateCampaignParamsSchema.parse({ name: `Campaign ${Math.random().toString(36).slice(2, 8)}`, ...fields });
  const now = server.clock.now();
  const campaign: Campaign = {
    ...parsed,
    alias: parsed.alias ?? null,
    trafficSourceId: parsed.trafficSourceId ?? null,
    currency: parsed.currency ?? 'USD',
    timezone: parsed.timezone ?? 'UTC',
    notes: parsed.notes ?? null,
    workspaceId: WORKSPACE,
    streams: parsed.streams.map((stream) => ({ ...stream, id: stream.id ?? newId('str_', now) })),
    id: newId('cmp_', now),
    archivedAt: null,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  await server.store.campaigns.insert(campaign);
  return campaign;
}

/** A flow straight to one offer. */
export const toOffer = (offerId: string) => ({ type: 'flow' as const, offers: [{ offerId, weight: 100 }] });

export interface VisitResult {
  status: number;
  location: string | null;
  body: string;
  clickId: string | null;
  visitorCookie: string | null;
  headers: Headers;
}

/** `GET /t/:campaign?QUERY` as a desktop browser unless `headers` say otherwise. */
export async function visit(server: TestServer, campaign: string, options: { query?: string; headers?: Record<string, string>; method?: string } = {}): Promise<VisitResult> {
  const response = await server.request(`/t/${campaign}${options.query ? `?${options.query}` : ''}`, {
    key: null,
    method: options.method ?? 'GET',
    headers: { 'user-agent': DESKTOP_BROWSER, ...options.headers },
  });
  const cookies = response.headers.getSetCookie();
  const cookie = (name: string) => cookies.map((c) => new RegExp(`^${name}=([^;]+)`).exec(c)?.[1]).find(Boolean) ?? null;
  return { status: response.status, location: response.headers.get('location'), body: await response.text(), clickId: cookie('waypost_cid'), visitorCookie: cookie('waypost_v'), headers: response.headers };
}
