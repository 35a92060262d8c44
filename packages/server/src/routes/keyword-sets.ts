import {
  CreateKeywordSetParamsSchema,
  type KeywordSet,
  KeywordSetSchema,
  ListKeywordSetsQuerySchema,
  ListQuerySchema,
  listOf,
  UpdateKeywordSetParamsSchema,
} from '@waypost/schema';
import type { AppContext } from '../context.js';
import { recordAudit } from '../engine/audit.js';
import { newKeywordSet } from '../engine/keyword-sets.js';
import { assertReach, listScope, workspaceForCreate } from '../engine/workspaces.js';
import type { Api } from '../http/api.js';
import type { Auth } from '../http/auth.js';
import { ApiError } from '../http/errors.js';

/** `/v1/keyword-sets` (README, Keyword sets): team resources with workspace reach and audit entries, as landers. */
export function keywordSetRoutes(api: Api, { store, clock }: AppContext): void {
  const tag = 'Keyword sets';
  const find = async (id: string, auth: Auth): Promise<KeywordSet> => {
    const set = await store.keywordSets.get(id);
    if (!set) throw ApiError.notFound('keyword set');
    await assertReach(store, auth, set.workspaceId, 'keyword set');
    return set;
  };
  const save = async (auth: Auth, before: KeywordSet | undefined, set: KeywordSet, action = before ? 'update' : 'create') => {
    await store.transaction(async (tx) => {
      await (before ? tx.keywordSets.update(set) : tx.keywordSets.insert(set));
      await recordAudit(tx, auth, { recordType: 'keyword_set', recordId: set.id, action, before, after: set, at: clock.now() });
    });
    return set;
  };
  const targetWorkspace = async (auth: Auth, current: KeywordSet, requested: string | undefined) =>
    requested === undefined || requested === current.workspaceId ? current.workspaceId : workspaceForCreate(store, auth, requested);

  api.route(
    {
      method: 'get',
      path: '/v1/keyword-sets',
      tag,
      access: 'workspace',
      summary: 'List keyword sets',
      query: ListQuerySchema.extend(ListKeywordSetsQuerySchema.shape),
      response: listOf(KeywordSetSchema),
    },
    async ({ query, auth }) => {
      const { limit, cursor, includeArchived, workspaceId, q } = query;
      return store.keywordSets.list({ q, includeArchived: includeArchived === 'true', workspaces: await listScope(store, auth, workspaceId) }, { limit, cursor });
    },
  );

  api.route(
    { method: 'post', path: '/v1/keyword-sets', tag, access: 'workspace', summary: 'Create a keyword set', body: CreateKeywordSetParamsSchema, response: KeywordSetSchema, status: 201 },
    async ({ body, auth }) => save(auth, undefined, newKeywordSet(body, await workspaceForCreate(store, auth, body.workspaceId), clock.now())),
  );

  api.route(
    { method: 'get', path: '/v1/keyword-sets/:id', tag, access: 'workspace', summary: 'Retrieve a keyword set', response: KeywordSetSchema },
    async ({ params, auth }) => find(params.id!, auth),
  );

  api.route(
    {
      method: 'put',
      path: '/v1/keyword-sets/:id',
      tag,
      access: 'workspace',
      summary: 'Replace a keyword set',
      description: 'Fields left out take their defaults; the workspace stays unless given.',
      body: CreateKeywordSetParamsSchema,
      response: KeywordSetSchema,
    },
    async ({ params, body, auth }) => {
      const set = await find(params.id!, auth);
      const replaced = newKeywordSet(body, await targetWorkspace(auth, set, body.workspaceId), clock.now());
      return save(auth, set, { ...replaced, id: set.id, archivedAt: set.archivedAt, createdAt: set.createdAt });
    },
  );

  api.route(
    { method: 'patch', path: '/v1/keyword-sets/:id', tag, access: 'workspace', summary: 'Update a keyword set', body: UpdateKeywordSetParamsSchema, response: KeywordSetSchema },
    async ({ params, body, auth }) => {
      const set = await find(params.id!, auth);
      const workspaceId = await targetWorkspace(auth, set, body.workspaceId);
      return save(auth, set, { ...set, ...body, workspaceId, updatedAt: clock.now().toISOString() });
    },
  );

  api.route(
    {
      method: 'delete',
      path: '/v1/keyword-sets/:id',
      tag,
      access: 'workspace',
      summary: 'Archive a keyword set',
      description: 'Archives the set: it leaves lists, offers may no longer choose it, and the offers that use it draw no keywords.',
      response: KeywordSetSchema,
    },
    async ({ params, auth }) => {
      const set = await find(params.id!, auth);
      if (set.archivedAt) return set;
      const now = clock.now().toISOString();
      return save(auth, set, { ...set, archivedAt: now, updatedAt: now }, 'archive');
    },
  );
}
