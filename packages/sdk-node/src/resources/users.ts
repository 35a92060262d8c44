import {
  CreateUserParamsSchema,
  InvitedUserSchema,
  ListQuerySchema,
  UpdateUserParamsSchema,
  UserRoleSchema,
  UserSchema,
  UserStatusSchema,
  type CreateUserParams,
  type InvitedUser,
  type UpdateUserParams,
  type User,
} from '@waypost/schema';
import { z } from 'zod';
import type { RequestOptions } from '../client.js';
import { type HttpClient, path } from '../internal/http.js';
import type { ListParams, PagePromise } from '../pagination.js';

const ListUsersQuerySchema = z.object({ role: UserRoleSchema.optional(), status: UserStatusSchema.optional() });
const ListUsersParamsSchema = ListQuerySchema.extend(ListUsersQuerySchema.shape);

export type ListUsersParams = z.input<typeof ListUsersQuerySchema> & ListParams;

/**
 * The team's console users (an admin key, or an owner or admin). Users sign in to the console with a password; the
 * SDK manages them with an API key and never signs in itself.
 */
export class Users {
  constructor(private readonly http: HttpClient) {}

  /** `GET /v1/users`, filtered by `role` or `status`. */
  list(params: ListUsersParams = {}, options?: RequestOptions): PagePromise<User> {
    return this.http.list('/v1/users', { query: params, schema: ListUsersParamsSchema, item: UserSchema }, options);
  }

  /**
   * `POST /v1/users`: invites a user. The answer's `inviteUrl` is the one-time link to set a password, shown only here
   * (and e-mailed when the server has SMTP).
   */
  invite(params: CreateUserParams, options?: RequestOptions): Promise<InvitedUser> {
    return this.http.post('/v1/users', { body: params, schema: CreateUserParamsSchema, response: InvitedUserSchema }, options);
  }

  /** `GET /v1/users/:id`. */
  retrieve(id: string, options?: RequestOptions): Promise<User> {
    return this.http.get(path`/v1/users/${id}`, { response: UserSchema }, options);
  }

  /** `POST /v1/users/:id/invite`: a new invite link for a user who has not accepted yet; older links stop working. */
  reinvite(id: string, options?: RequestOptions): Promise<InvitedUser> {
    return this.http.post(path`/v1/users/${id}/invite`, { response: InvitedUserSchema }, options);
  }

  /** `PATCH /v1/users/:id`: name, role, publisher, workspaces, or `disabled: true` (which ends its sessions). */
  update(id: string, params: UpdateUserParams, options?: RequestOptions): Promise<User> {
    return this.http.patch(path`/v1/users/${id}`, { body: params, schema: UpdateUserParamsSchema, response: UserSchema }, options);
  }

  /** `DELETE /v1/users/:id`: the user, its sessions and its links; a `WaypostConflictError` for the last active owner. */
  delete(id: string, options?: RequestOptions): Promise<void> {
    return this.http.delete(path`/v1/users/${id}`, { response: z.undefined() }, options);
  }
}
