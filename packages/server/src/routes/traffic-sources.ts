import {
  CreateTrafficSourceParamsSchema,
  ListQuerySchema,
  ListTrafficSourcesQuerySchema,
  listOf,
  type TrafficSource,
  TrafficSourceSchema,
  UpdateTrafficSourceParamsSchema,
} from '@waypost/schema';
import type { AppContext } from '../context.js';
import { recordAudit } from '../engine/audit.js';
import { assertPublicDestination, assertUnused, newTrafficSource } from '../engine/campaigns.js';
import { assertMovable, assertReach, listScope, workspaceForCreate } from '../engine/workspaces.js';
import type { Api } from '../http/api.js';
import type { Auth } from '../http/auth.js';
import { ApiError } from '../http/errors.js';

export function trafficSourceRoutes(api: Api, { store, clock, config }: AppContext): void {
  const tag = 'Traffic sources';
  const find = async (id: string, auth: Auth): Promise<TrafficSource> => {
    const source = await store.trafficSources.get(id);
    if (!source) throw ApiError.notFound('traffic source');
    await assertReach(store, auth, source.workspaceId, 'traffic source');
    return source;
  };
  /** Writes the source with its audit entry, as one unit. */
  const save = async (auth: Auth, before: TrafficSource | undefined, source: TrafficSource, action = before ? 'update' : 'create') => {
    assertPublicDestination(source.postbackUrl, 'postbackUrl', config.allowPrivateDestinations);
    await store.transaction(async (tx) => {
      // In the transaction, so that no campaign starts using it between the check and the write.
      if (action === 'archive') await assertUnused(tx, 'trafficSource', source.id, 'traffic source');
      if (before && before.workspaceId !== source.workspaceId) await assertMovable(tx, 'trafficSource', source.id, source.workspaceId, 'traffic source');
      await (before ? tx.trafficSources.update(source) : tx.trafficSources.insert(source));
      await recordAudit(tx, auth, { recordType: 'traffic_source', recordId: source.id, action, before, after: source, at: clock.now() });
    });
    return source;
  };
  /** Moving a record needs the caller to reach the workspace it moves to, as creating one there does. */
  const targetWorkspace = async (auth: Auth, current: TrafficSource, requested: string | undefined) =>
    requested === undefined || requested === current.workspaceId ? current.workspaceId : workspaceForCreate(store, auth, requested);

  api.route(
    { method: 'get', path: '/v1/traffic-sources', tag, access: 'workspace', summary: 'List traffic sources', query: ListQuerySchema.extend(ListTrafficSourcesQuerySchema.shape), response: listOf(TrafficSourceSchema) },
    async ({ query, auth }) => {
      const { limit, cursor, includeArchived, workspaceId, q } = query;
      return store.trafficSources.list({ q, includeArchived: includeArchived === 'true', workspaces: await listScope(store, auth, workspaceId) }, { limit, cursor });
    },
  );

  api.route(
    { method: 'post', path: '/v1/traffic-sources', tag, access: 'workspace', summary: 'Create a traffic source', body: CreateTrafficSourceParamsSchema, response: TrafficSourceSchema, status: 201 },
    async ({ body, auth }) => save(auth, undefined, newTrafficSource(body, await workspaceForCreate(store, auth, body.workspaceId), clock.now())),
  );

  api.route(
    { method: 'get', path: '/v1/traffic-sources/:id', tag, access: 'workspace', summary: 'Retrieve a traffic source', response: TrafficSourceSchema },
    async ({ params, auth }) => find(params.id!, auth),
  );

  api.route(
    { method: 'put', path: '/v1/traffic-sources/:id', tag, access: 'workspace', summary: 'Replace a traffic source', description: 'Fields left out take their defaults; the workspace stays unless given.', body: CreateTrafficSourceParamsSchema, response: TrafficSourceSchema },
    async ({ params, body, auth }) => {
      const source = await find(params.id!, auth);
      const replaced = newTrafficSource(body, await targetWorkspace(auth, source, body.workspaceId), clock.now());
      // A replacement that leaves the secret out keeps it: only naming one (or null) changes what the receiver checks.
      const postbackSecret = body.postbackSecret === undefined ? source.postbackSecret : replaced.postbackSecret;
      return save(auth, source, { ...replaced, postbackSecret, id: source.id, archivedAt: source.archivedAt, createdAt: source.createdAt });
    },
  );

  api.route(
    { method: 'patch', path: '/v1/traffic-sources/:id', tag, access: 'workspace', summary: 'Update a traffic source', body: UpdateTrafficSourceParamsSchema, response: TrafficSourceSchema },
    async ({ params, body, auth }) => {
      const source = await find(params.id!, auth);
      const workspaceId = await targetWorkspace(auth, source, body.workspaceId);
      return save(auth, source, { ...source, ...body, workspaceId, updatedAt: clock.now().toISOString() });
    },
  );

  api.route(
    {
      method: 'delete',
      path: '/v1/traffic-sources/:id',
      tag,
      access: 'workspace',
      summary: 'Archive a traffic source',
      description: 'Archives the source: it leaves lists and cannot be chosen again, and its clicks keep naming it. 409 while a live campaign uses it.',
      response: TrafficSourceSchema,
    },
    async ({ params, auth }) => {
      const source = await find(params.id!, auth);
      if (source.archivedAt) return source;
      const now = clock.now().toISOString();
      return save(auth, source, { ...source, archivedAt: now, updatedAt: now }, 'archive');
    },
  );
}
