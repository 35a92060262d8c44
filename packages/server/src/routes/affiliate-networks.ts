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
import type { Api } from '../http/api.js';
import { ApiError } from '../http/errors.js';
import { newId } from '../ids.js';

export function affiliateNetworkRoutes(api: Api, { store, clock }: AppContext): void {
  const tag = 'Affiliate networks';
  const findNetwork = async (id: string): Promise<AffiliateNetwork> => {
    const network = await store.affiliateNetworks.get(id);
    if (!network) throw ApiError.notFound('affiliate network');
    return network;
  };

  api.route(
    { method: 'get', path: '/v1/affiliate-networks', tag, access: 'admin', summary: 'List affiliate networks', query: ListQuerySchema, response: listOf(AffiliateNetworkSchema) },
    async ({ query }) => store.affiliateNetworks.list(query),
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
        const { name, clickIdParam, macros, params, statusMap } = template;
        config = { name, clickIdParam, macros, params, statusMap, ...fields };
      }
      const parsed = NetworkConfigSchema.safeParse(config);
      if (!parsed.success) throw ApiError.validation(toErrorIssues(parsed.error));
      const now = clock.now().toISOString();
      const network: AffiliateNetwork = { ...parsed.data, id: newId('net_', clock.now()), createdAt: now, updatedAt: now };
      await store.affiliateNetworks.insert(network);
      return network;
    },
  );

  api.route(
    { method: 'get', path: '/v1/affiliate-networks/:id', tag, access: 'admin', summary: 'Retrieve an affiliate network', response: AffiliateNetworkSchema },
    async ({ params }) => findNetwork(params.id!),
  );

  api.route(
    { method: 'patch', path: '/v1/affiliate-networks/:id', tag, access: 'admin', summary: 'Update an affiliate network', body: UpdateAffiliateNetworkParamsSchema, response: AffiliateNetworkSchema },
    async ({ params, body }) => {
      const network = { ...(await findNetwork(params.id!)), ...body, updatedAt: clock.now().toISOString() };
      await store.affiliateNetworks.update(network);
      return network;
    },
  );
}
