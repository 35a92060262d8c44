import { CreateLanderParamsSchema, type Lander, LanderSchema, ListLandersQuerySchema, ListQuerySchema, listOf, UpdateLanderParamsSchema } from '@waypost/schema';
import type { AppContext } from '../context.js';
import { recordAudit } from '../engine/audit.js';
import { assertSlotsCovered, assertUnused, newLander } from '../engine/campaigns.js';
import { assertMovable, assertReach, listScope, workspaceForCreate } from '../engine/workspaces.js';
import type { Api } from '../http/api.js';
import type { Auth } from '../http/auth.js';
import { ApiError } from '../http/errors.js';

export function landerRoutes(api: Api, { store, clock }: AppContext): void {
  const tag = 'Landers';
  const find = async (id: string, auth: Auth): Promise<Lander> => {
    const lander = await store.landers.get(id);
    if (!lander) throw ApiError.notFound('lander');
    await assertReach(store, auth, lander.workspaceId, 'lander');
    return lander;
  };
  /** Writes the lander with its audit entry, as one unit. */
  const save = async (auth: Auth, before: Lander | undefined, lander: Lander, action = before ? 'update' : 'create') => {
    await store.transaction(async (tx) => {
      // In the transaction, so that no campaign starts using the lander, or shows it with fewer offers, meanwhile.
      if (action === 'archive') await assertUnused(tx, 'lander', lander.id, 'lander');
      else if (before && lander.offers > before.offers) await assertSlotsCovered(tx, lander);
      if (before && before.workspaceId !== lander.workspaceId) await assertMovable(tx, 'lander', lander.id, lander.workspaceId, 'lander');
      await (before ? tx.landers.update(lander) : tx.landers.insert(lander));
      await recordAudit(tx, auth, { recordType: 'lander', recordId: lander.id, action, before, after: lander, at: clock.now() });
    });
    return lander;
  };
  /** Moving a record needs the caller to reach the workspace it moves to, as creating one there does. */
  const targetWorkspace = async (auth: Auth, current: Lander, requested: string | undefined) =>
    requested === undefined || requested === current.workspaceId ? current.workspaceId : workspaceForCreate(store, auth, requested);

  api.route(
    { method: 'get', path: '/v1/landers', tag, access: 'workspace', summary: 'List landers', query: ListQuerySchema.extend(ListLandersQuerySchema.shape), response: listOf(LanderSchema) },
    async ({ query, auth }) => {
      const { limit, cursor, includeArchived, workspaceId, q } = query;
      return store.landers.list({ q, includeArchived: includeArchived === 'true', workspaces: await listScope(store, auth, workspaceId) }, { limit, cursor });
    },
  );

  api.route(
    { method: 'post', path: '/v1/landers', tag, access: 'workspace', summary: 'Create a lander', body: CreateLanderParamsSchema, response: LanderSchema, status: 201 },
    async ({ body, auth }) => save(auth, undefined, newLander(body, await workspaceForCreate(store, auth, body.workspaceId), clock.now())),
  );

  api.route(
    { method: 'get', path: '/v1/landers/:id', tag, access: 'workspace', summary: 'Retrieve a lander', response: LanderSchema },
    async ({ params, auth }) => find(params.id!, auth),
  );

  api.route(
    { method: 'put', path: '/v1/landers/:id', tag, access: 'workspace', summary: 'Replace a lander', description: 'Fields left out take their defaults; the workspace stays unless given.', body: CreateLanderParamsSchema, response: LanderSchema },
    async ({ params, body, auth }) => {
      const lander = await find(params.id!, auth);
      const replaced = newLander(body, await targetWorkspace(auth, lander, body.workspaceId), clock.now());
      // The archive is not part of the body: it is uploaded on its own and stays (README, Local landers and offers).
      return save(auth, lander, { ...replaced, id: lander.id, archive: lander.archive, archivedAt: lander.archivedAt, createdAt: lander.createdAt });
    },
  );

  api.route(
    { method: 'patch', path: '/v1/landers/:id', tag, access: 'workspace', summary: 'Update a lander', body: UpdateLanderParamsSchema, response: LanderSchema },
    async ({ params, body, auth }) => {
      const lander = await find(params.id!, auth);
      const workspaceId = await targetWorkspace(auth, lander, body.workspaceId);
      return save(auth, lander, { ...lander, ...body, workspaceId, updatedAt: clock.now().toISOString() });
    },
  );

  api.route(
    {
      method: 'delete',
      path: '/v1/landers/:id',
      tag,
      access: 'workspace',
      summary: 'Archive a lander',
      description: 'Archives the lander: it leaves lists and cannot be chosen again, and its clicks keep naming it. 409 while a live campaign uses it.',
      response: LanderSchema,
    },
    async ({ params, auth }) => {
      const lander = await find(params.id!, auth);
      if (lander.archivedAt) return lander;
      const now = clock.now().toISOString();
      return save(auth, lander, { ...lander, archivedAt: now, updatedAt: now }, 'archive');
    },
  );
}
