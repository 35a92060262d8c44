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
} from '@waypost/schema';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { findNetworkTemplate, NETWORK_TEMPLATES } from '../domain/network-templates.js';
import { WEBHOOK_FORMATS } from '../engine/webhooks/index.js';
import type { Api } from '../http/api.js';
import { ApiError } from '../http/errors.js';
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
  const findNetwork = async (id: string): Promise<AffiliateNetworkRecord> => {
    const network = await store.affiliateNetworks.get(id);
    if (!network) throw ApiError.notFound('affiliate network');
    return network;
  };

  api.route(
    { method: 'get', path: '/v1/affiliate-networks', tag, access: 'admin', summary: 'List affiliate networks', query: ListQuerySchema, response: listOf(AffiliateNetworkSchema) },
    async ({ query }) => {
      const page = await store.affiliateNetworks.list(query);
      return { ...page, data: page.data.map(toWire) };
    },
  );

  // Before /:id, which would take "templates" for an id.
  api.route(
    { method: 'get', path: '/v1/affiliate-networks/templates', tag, access: 'admin', summary: 'List the built-in network templates', response: z.object({ data: z.array(AffiliateNetworkTemplateSchema) }) },
    () => ({ data: [...NETWORK_TEMPLATES] }),
  );

  api.route(
    {
      method: 'post',
      path: '/v1/affiliate-networks',
      tag,
      access: 'admin',
      summary: 'Create an affiliate network, from scratch or from a built-in template',
      description: 'With `template`, the template\'s fields are the defaults and each field given beside it replaces that field whole.',
      body: CreateAffiliateNetworkParamsSchema,
      response: AffiliateNetworkSchema,
      status: 201,
    },
    async ({ body }) => {
      const { template: key, ...fields } = body;
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
      const network: AffiliateNetworkRecord = { ...parsed.data, id: newId('net_', clock.now()), createdAt: now, updatedAt: now };
      checkSecret(network);
      await store.affiliateNetworks.insert(network);
      return toWire(network);
    },
  );

  api.route(
    { method: 'get', path: '/v1/affiliate-networks/:id', tag, access: 'admin', summary: 'Retrieve an affiliate network', response: AffiliateNetworkSchema },
    async ({ params }) => toWire(await findNetwork(params.id!)),
  );

  api.route(
    { method: 'patch', path: '/v1/affiliate-networks/:id', tag, access: 'admin', summary: 'Update an affiliate network', body: UpdateAffiliateNetworkParamsSchema, response: AffiliateNetworkSchema },
    async ({ params, body }) => {
      const { secret, ...fields } = body;
      const { secret: stored, ...current } = await findNetwork(params.id!);
      const kept = secret === undefined ? stored : (secret ?? undefined);
      const network: AffiliateNetworkRecord = { ...current, ...fields, ...(kept !== undefined ? { secret: kept } : {}), updatedAt: clock.now().toISOString() };
      checkSecret(network);
      await store.affiliateNetworks.update(network);
      return toWire(network);
    },
  );
}
