import {
  CreateWorkspaceParamsSchema,
  ListQuerySchema,
  UpdateWorkspaceParamsSchema,
  WorkspaceSchema,
  type CreateWorkspaceParams,
  type UpdateWorkspaceParams,
  type Workspace,
} from '@waypost/schema';
import { z } from 'zod';
import type { RequestOptions } from '../client.js';
import { type HttpClient, path } from '../internal/http.js';
import type { ListParams, PagePromise } from '../pagination.js';

/**
 * Workspaces: the team's folders of offers, networks, traffic sources, landers and campaigns. A private one is seen
 * by its members only; a key limited to a workspace sees its own and the public ones.
 */
export class Workspaces {
  constructor(private readonly http: HttpClient) {}

  /** `GET /v1/workspaces`: the workspaces the key reaches. */
  list(params: ListParams = {}, options?: RequestOptions): PagePromise<Workspace> {
    return this.http.list('/v1/workspaces', { query: params, schema: ListQuerySchema, item: WorkspaceSchema }, options);
  }

  /** `POST /v1/workspaces` (a key without a workspace); private unless `visibility: 'public'`. */
  create(params: CreateWorkspaceParams, options?: RequestOptions): Promise<Workspace> {
    return this.http.post('/v1/workspaces', { body: params, schema: CreateWorkspaceParamsSchema, response: WorkspaceSchema }, options);
  }

  /** `GET /v1/workspaces/:id`. */
  retrieve(id: string, options?: RequestOptions): Promise<Workspace> {
    return this.http.get(path`/v1/workspaces/${id}`, { response: WorkspaceSchema }, options);
  }

  /**
   * `PATCH /v1/workspaces/:id`: a new name or visibility. Turning a workspace private throws a `WaypostConflictError`
   * (`workspace_referenced`) while a record of another workspace refers to its records.
   */
  update(id: string, params: UpdateWorkspaceParams, options?: RequestOptions): Promise<Workspace> {
    return this.http.patch(path`/v1/workspaces/${id}`, { body: params, schema: UpdateWorkspaceParamsSchema, response: WorkspaceSchema }, options);
  }

  /** `DELETE /v1/workspaces/:id`: a `WaypostConflictError` while it holds records, and for the first workspace. */
  delete(id: string, options?: RequestOptions): Promise<void> {
    return this.http.delete(path`/v1/workspaces/${id}`, { response: z.undefined() }, options);
  }
}
