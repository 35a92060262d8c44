import {
  CreateWorkspaceParamsSchema,
  ListQuerySchema,
  listOf,
  UpdateWorkspaceParamsSchema,
  type Workspace,
  WorkspaceSchema,
} from '@waypost/schema';
import type { AppContext } from '../context.js';
import { recordAudit } from '../engine/audit.js';
import { assertReach, workspaceScope } from '../engine/workspaces.js';
import type { Api } from '../http/api.js';
import type { Auth } from '../http/auth.js';
import { ApiError } from '../http/errors.js';
import { newId } from '../ids.js';
import { UniqueViolationError } from '../storage/index.js';

export function workspaceRoutes(api: Api, { store, clock }: AppContext): void {
  const tag = 'Workspaces';
  const findWorkspace = async (id: string, auth: Auth): Promise<Workspace> => {
    const workspace = await store.workspaces.get(id);
    if (!workspace) throw ApiError.notFound('workspace');
    await assertReach(store, auth, workspace.id, 'workspace');
    return workspace;
  };
  const nameTaken = (error: unknown, name: string) =>
    error instanceof UniqueViolationError ? ApiError.conflict(`a workspace named "${name}" already exists`, 'name') : error;

  api.route(
    { method: 'get', path: '/v1/workspaces', tag, access: 'workspace', summary: 'List the workspaces the caller reaches', query: ListQuerySchema, response: listOf(WorkspaceSchema) },
    async ({ query, auth }) => store.workspaces.list({ workspaces: workspaceScope(auth) }, query),
  );

  api.route(
    { method: 'get', path: '/v1/workspaces/:id', tag, access: 'workspace', summary: 'Retrieve a workspace', response: WorkspaceSchema },
    async ({ params, auth }) => findWorkspace(params.id!, auth),
  );

  api.route(
    { method: 'post', path: '/v1/workspaces', tag, access: 'admin', summary: 'Create a workspace', body: CreateWorkspaceParamsSchema, response: WorkspaceSchema, status: 201 },
    async ({ body, auth }) => {
      const workspace: Workspace = { id: newId('ws_', clock.now()), name: body.name, visibility: body.visibility, createdAt: clock.now().toISOString() };
      try {
        await store.transaction(async (tx) => {
          await tx.workspaces.insert(workspace);
          await recordAudit(tx, auth, { recordType: 'workspace', recordId: workspace.id, action: 'create', after: workspace, at: clock.now() });
        });
      } catch (error) {
        throw nameTaken(error, workspace.name);
      }
      return workspace;
    },
  );

  api.route(
    { method: 'patch', path: '/v1/workspaces/:id', tag, access: 'admin', summary: 'Rename a workspace or change its visibility', body: UpdateWorkspaceParamsSchema, response: WorkspaceSchema },
    async ({ params, body, auth }) => {
      const before = await findWorkspace(params.id!, auth);
      const workspace = { ...before, ...body };
      if (before.visibility === 'public' && workspace.visibility === 'private') {
        // Records of other workspaces may refer to a public workspace's records, but not to a private one's.
        const referrer = await store.workspaces.referencedFromOutside(workspace.id);
        if (referrer) {
          throw new ApiError(409, 'workspace_referenced', `the ${referrer.recordType} "${referrer.id}" of another workspace refers to this workspace's records; change it first`, [
            { path: 'visibility', code: 'workspace_referenced', message: `${referrer.recordType} "${referrer.id}" refers to this workspace's records` },
          ]);
        }
      }
      try {
        await store.transaction(async (tx) => {
          await tx.workspaces.update(workspace, clock.now());
          await recordAudit(tx, auth, { recordType: 'workspace', recordId: workspace.id, action: 'update', before, after: workspace, at: clock.now() });
        });
      } catch (error) {
        throw nameTaken(error, workspace.name);
      }
      return workspace;
    },
  );

  api.route(
    {
      method: 'delete',
      path: '/v1/workspaces/:id',
      tag,
      access: 'admin',
      summary: 'Delete an empty workspace',
      description: 'A workspace that still holds records (offers, affiliate networks, API keys, …), and the first workspace, answer 409.',
    },
    async ({ params, auth }) => {
      const workspace = await findWorkspace(params.id!, auth);
      if ((await store.workspaces.first()).id === workspace.id) {
        throw new ApiError(409, 'first_workspace', 'the first workspace is where records go by default, and cannot be deleted');
      }
      await store.transaction(async (tx) => {
        if (await tx.workspaces.holdsRecords(workspace.id)) {
          throw new ApiError(409, 'workspace_not_empty', 'this workspace still holds records; move or delete them first');
        }
        await tx.workspaces.delete(workspace.id);
        await recordAudit(tx, auth, { recordType: 'workspace', recordId: workspace.id, action: 'delete', before: workspace, at: clock.now() });
      });
      return undefined;
    },
  );
}
