import {
  type Campaign,
  CampaignLinksSchema,
  CampaignSchema,
  CreateCampaignParamsSchema,
  ListCampaignsQuerySchema,
  ListQuerySchema,
  listOf,
  ReplaceCampaignParamsSchema,
  UpdateCampaignParamsSchema,
} from '@waypost/schema';
import type { AppContext } from '../context.js';
import { recordAudit } from '../engine/audit.js';
import { assertUnused, campaignFromParams, campaignLinks, checkCampaignReferences } from '../engine/campaigns.js';
import { assertMovable, assertReach, listScope, workspaceForCreate } from '../engine/workspaces.js';
import type { Api } from '../http/api.js';
import type { Auth } from '../http/auth.js';
import { ApiError } from '../http/errors.js';
import { newId } from '../ids.js';
import { UniqueViolationError } from '../storage/index.js';

export function campaignRoutes(api: Api, { store, clock, config }: AppContext): void {
  const tag = 'Campaigns';
  const find = async (id: string, auth: Auth): Promise<Campaign> => {
    const campaign = await store.campaigns.get(id);
    if (!campaign) throw ApiError.notFound('campaign');
    await assertReach(store, auth, campaign.workspaceId, 'campaign');
    return campaign;
  };
  /**
   * Checks what the campaign refers to (or, to archive it, that no other campaign sends visits to it) and writes it with
   * its audit entry, in one transaction, so that a record deleted meanwhile is not referred to. Streams change at once.
   */
  const save = async (auth: Auth, before: Campaign | undefined, campaign: Campaign, action = before ? 'update' : 'create') => {
    try {
      await store.transaction(async (tx) => {
        if (action === 'archive') await assertUnused(tx, 'campaign', campaign.id, 'campaign');
        else await checkCampaignReferences(tx, auth, campaign);
        if (before && before.workspaceId !== campaign.workspaceId) await assertMovable(tx, 'campaign', campaign.id, campaign.workspaceId, 'campaign');
        await (before ? tx.campaigns.update(campaign) : tx.campaigns.insert(campaign));
        await recordAudit(tx, auth, { recordType: 'campaign', recordId: campaign.id, action, before, after: campaign, at: clock.now() });
      });
    } catch (error) {
      if (error instanceof UniqueViolationError) throw ApiError.conflict(`another campaign has the alias "${campaign.alias}"`, 'alias');
      throw error;
    }
    return campaign;
  };
  /** Moving a record needs the caller to reach the workspace it moves to, as creating one there does. */
  const targetWorkspace = async (auth: Auth, current: Campaign, requested: string | undefined) =>
    requested === undefined || requested === current.workspaceId ? current.workspaceId : workspaceForCreate(store, auth, requested);
  /** The campaign a `PUT` or `PATCH` body makes of `current`: same id, creation time and archive state. */
  const replace = (current: Campaign, params: Parameters<typeof campaignFromParams>[0], workspaceId: string) => ({
    ...campaignFromParams(params, { ...current, workspaceId, previous: current.streams }, clock.now()),
    archivedAt: current.archivedAt,
  });

  api.route(
    { method: 'get', path: '/v1/campaigns', tag, access: 'workspace', summary: 'List campaigns', query: ListQuerySchema.extend(ListCampaignsQuerySchema.shape), response: listOf(CampaignSchema) },
    async ({ query, auth }) => {
      const { limit, cursor, includeArchived, workspaceId, ...filter } = query;
      return store.campaigns.list({ ...filter, includeArchived: includeArchived === 'true', workspaces: await listScope(store, auth, workspaceId) }, { limit, cursor });
    },
  );

  api.route(
    {
      method: 'post',
      path: '/v1/campaigns',
      tag,
      access: 'workspace',
      summary: 'Create a campaign',
      description: 'The server assigns the stream ids. Currency and timezone default to the account’s.',
      body: CreateCampaignParamsSchema,
      response: CampaignSchema,
      status: 201,
    },
    async ({ body, auth }) => {
      const now = clock.now();
      const workspaceId = await workspaceForCreate(store, auth, body.workspaceId);
      const base = { id: newId('cmp_', now), workspaceId, currency: config.currency, timezone: config.timezone, createdAt: now.toISOString(), previous: [] };
      return save(auth, undefined, campaignFromParams(body, base, now));
    },
  );

  api.route(
    { method: 'get', path: '/v1/campaigns/:id', tag, access: 'workspace', summary: 'Retrieve a campaign', response: CampaignSchema },
    async ({ params, auth }) => find(params.id!, auth),
  );

  api.route(
    {
      method: 'put',
      path: '/v1/campaigns/:id',
      tag,
      access: 'workspace',
      summary: 'Replace a campaign and its streams',
      description:
        'Replaces the whole campaign at once. A stream that carries the id of one of its streams keeps it; one without an id gets a new one; any other id is refused. Fields left out take their defaults; currency, timezone and workspace stay unless given.',
      body: ReplaceCampaignParamsSchema,
      response: CampaignSchema,
    },
    async ({ params, body, auth }) => {
      const campaign = await find(params.id!, auth);
      return save(auth, campaign, replace(campaign, body, await targetWorkspace(auth, campaign, body.workspaceId)));
    },
  );

  api.route(
    {
      method: 'patch',
      path: '/v1/campaigns/:id',
      tag,
      access: 'workspace',
      summary: 'Update a campaign',
      description: 'Replaces each field named whole; `streams` replaces every stream, as `PUT` does.',
      body: UpdateCampaignParamsSchema,
      response: CampaignSchema,
    },
    async ({ params, body, auth }) => {
      const campaign = await find(params.id!, auth);
      const workspaceId = await targetWorkspace(auth, campaign, body.workspaceId);
      return save(auth, campaign, replace(campaign, { ...campaign, ...body }, workspaceId));
    },
  );

  api.route(
    {
      method: 'delete',
      path: '/v1/campaigns/:id',
      tag,
      access: 'workspace',
      summary: 'Archive a campaign',
      description:
        'Archives the campaign: its link answers 404, it leaves lists and its alias is free again; its clicks and reports stay. 409 while another live campaign sends visits to it.',
      response: CampaignSchema,
    },
    async ({ params, auth }) => {
      const campaign = await find(params.id!, auth);
      if (campaign.archivedAt) return campaign;
      const now = clock.now().toISOString();
      return save(auth, campaign, { ...campaign, archivedAt: now, updatedAt: now }, 'archive');
    },
  );

  api.route(
    {
      method: 'get',
      path: '/v1/campaigns/:id/links',
      tag,
      access: 'workspace',
      summary: 'The campaign URL and the lander click URL',
      description: 'The traffic source’s placeholders appear literally (`cid={clickid}`), for the source to fill.',
      response: CampaignLinksSchema,
    },
    async ({ params, auth }) => {
      const campaign = await find(params.id!, auth);
      const source = campaign.trafficSourceId ? await store.trafficSources.get(campaign.trafficSourceId) : undefined;
      return campaignLinks(config.publicUrl, campaign, source);
    },
  );
}
