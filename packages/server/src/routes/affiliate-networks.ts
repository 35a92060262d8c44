import {
  type AffiliateNetwork,
  AffiliateNetworkSchema,
  CreateAffiliateNetworkParamsSchema,
  ListQuerySchema,
  listOf,
  UpdateAffiliateNetworkParamsSchema,
} from '@waypost/schema';
import type { AppContext } from '../context.js';
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

  api.route(
    { method: 'post', path: '/v1/affiliate-networks', tag, access: 'admin', summary: 'Create an affiliate network template', body: CreateAffiliateNetworkParamsSchema, response: AffiliateNetworkSchema, status: 201 },
    async ({ body }) => {
      const now = clock.now().toISOString();
      const network: AffiliateNetwork = { ...body, id: newId('net_', clock.now()), createdAt: now, updatedAt: now };
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
