import {
  type AffiliateNetwork,
  AffiliateNetworkSchema,
  AffiliateNetworkTemplateSchema,
  CreateAffiliateNetworkParamsSchema,
  ListQuerySchema,
  listOf,
  NetworkConfigSchema,
  toErrorIssues,
  UpdateAffiliateNetworkParamsSchema,
  WorkspaceQuerySchema,
} from '@waypost/schema';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { findNetworkTemplate, NETWORK_TEMPLATES } from '../domain/network-templates.js';
import { WEBHOOK_FORMATS } from '../engine/webhooks/index.js';
import type { Api } from '../http/api.js';
import type { Auth } from '../http/auth.js';
import { ApiError } from '../http/errors.js';
import { recordAudit } from '../engine/audit.js';
import { assertReach, assertReference, listScope, workspaceForCreate } from '../engine/workspaces.js';
import { newId } from '../ids.js';
import type { AffiliateNetworkRecord } from '../storage/store.js';

/** A secret too short for the network's webhook format to trust is refused where it is set. */
function checkSecret({ format, secret }: AffiliateNetworkRecord): void {
  const min = format ? WEBHOOK_FORMATS[format].minSecretLength : 0;
  if (secret !== undefined && secret.length < min) throw ApiError.field('secret', `must be at least ${min} characters for a ${format} network`);
}

/** A network as answered: the secret is write-only, so an answer only says whether one is set. */
function toWire({ secret, ...network }: AffiliateNetworkRecord): AffiliateNetwork {
  return { ...network, hasSecret: secret !== undefined };
}

export function affiliateNetworkRoutes(api: Api, { store, clock }: AppContext): void {
  const tag = 'Affiliate networks';
  /** 422 when an offer using the network could no longer refer to it once it moved to workspace `to`. */
  const assertNetworkUsable = async (networkId: string, to: string) => {
    let cursor: string | undefined;
    do {
      const page = await store.offers.list({ includeArchived: true }, { limit: 500, cursor });
      for (const offer of page.data) {
        if (offer.affiliateNetworkId === networkId) await assertReference(store, offer.workspaceId, to, 'workspaceId');
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  };
  const findNetwork = async (id: string, auth: Auth): Promise<AffiliateNetworkRecord> => {
    const network = await store.affiliateNetworks.get(id);
    if (!network) throw ApiError.notFound('affiliate network');
    await assertReach(store, auth, network.workspaceId, 'affiliate network');
    return network;
  };

  api.route(
    {
      method: 'get',
      path: '/v1/affiliate-networks',
      tag,
      access: 'workspace',
      summary: 'List affiliate networks',
      query: ListQuerySchema.extend(WorkspaceQuerySchema.shape),
      response: listOf(AffiliateNetworkSchema),
    },
    async ({ query, auth }) => {
      const { workspaceId, ...page } = query;
      const networks = await store.affiliateNetworks.list({ workspaces: await listScope(store, auth, workspaceId) }, page);
      return { ...networks, data: networks.data.map(toWire) };
    },
  );

  // Before /:id, which would take "templates" for an id.
  api.route(
    { method: 'get', path: '/v1/affiliate-networks/templates', tag, access: 'workspace', summary: 'List the built-in network templates', response: z.object({ data: z.array(AffiliateNetworkTemplateSchema) }) },
    () => ({ data: [...NETWORK_TEMPLATES] }),
  );

  api.route(
    {
      method: 'post',
      path: '/v1/affiliate-networks',
      tag,
      access: 'workspace',
      summary: 'Create an affiliate network, from scratch or from a built-in template',
      description: 'With `template`, the template\'s fields are the defaults and each field given beside it replaces that field whole.',
      body: CreateAffiliateNetworkParamsSchema,
      response: AffiliateNetworkSchema,
      status: 201,
    },
    async ({ body, auth }) => {
      const { template: key, workspaceId: requested, ...fields } = body;
      const workspaceId = await workspaceForCreate(store, auth, requested);
      let config: Record<string, unknown> = fields;
      if (key !== undefined) {
        const template = findNetworkTemplate(key);
        if (!template) throw ApiError.field('template', `no built-in template "${key}"; GET /v1/affiliate-networks/templates lists them`, 'unknown_template');
        // A webhook format comes only from a template: it names a module of the server, not a setting.
        const { name, clickIdParam, macros, params, statusMap, format } = template;
        config = { name, clickIdParam, macros, params, statusMap, format, ...fields };
      }
      const parsed = NetworkConfigSchema.safeParse(config);
      if (!parsed.success) throw ApiError.validation(toErrorIssues(parsed.error));
      const now = clock.now().toISOString();
      const network: AffiliateNetworkRecord = { ...parsed.data, id: newId('net_', clock.now()), workspaceId, createdAt: now, updatedAt: now };
      checkSecret(network);
      await store.transaction(async (tx) => {
        await tx.affiliateNetworks.insert(network);
        await recordAudit(tx, auth, { recordType: 'affiliate_network', recordId: network.id, action: 'create', after: network, at: clock.now() });
      });
      return toWire(network);
    },
  );

  api.route(
    { method: 'get', path: '/v1/affiliate-networks/:id', tag, access: 'workspace', summary: 'Retrieve an affiliate network', response: AffiliateNetworkSchema },
    async ({ params, auth }) => toWire(await findNetwork(params.id!, auth)),
  );

  api.route(
    { method: 'patch', path: '/v1/affiliate-networks/:id', tag, access: 'workspace', summary: 'Update an affiliate network', body: UpdateAffiliateNetworkParamsSchema, response: AffiliateNetworkSchema },
    async ({ params, body, auth }) => {
      const { secret, ...fields } = body;
      const before = await findNetwork(params.id!, auth);
      const { secret: stored, ...current } = before;
      if (fields.workspaceId !== undefined && fields.workspaceId !== current.workspaceId) {
        await workspaceForCreate(store, auth, fields.workspaceId);
        // The offers that use it stay in their workspace: they must still be allowed to refer to it there.
        await assertNetworkUsable(current.id, fields.workspaceId);
      }
      const kept = secret === undefined ? stored : (secret ?? undefined);
      const network: AffiliateNetworkRecord = { ...current, ...fields, ...(kept !== undefined ? { secret: kept } : {}), updatedAt: clock.now().toISOString() };
      checkSecret(network);
      await store.transaction(async (tx) => {
        await tx.affiliateNetworks.update(network);
        await recordAudit(tx, auth, { recordType: 'affiliate_network', recordId: network.id, action: 'update', before, after: network, at: clock.now() });
      });
      return toWire(network);
    },
  );
}
