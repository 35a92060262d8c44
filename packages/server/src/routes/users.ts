import {
  CreateUserParamsSchema,
  InvitedUserSchema,
  ListQuerySchema,
  listOf,
  UpdateUserParamsSchema,
  UserRoleSchema,
  UserSchema,
  UserStatusSchema,
  type UserRole,
} from '@waypost/schema';
import { issueLink, LINK_TTL_MS } from '../accounts/links.js';
import { sendAccountEmail } from '../accounts/mail.js';
import { createUser, toUser } from '../accounts/users.js';
import type { AppContext } from '../context.js';
import { recordAudit } from '../engine/audit.js';
import type { Api } from '../http/api.js';
import type { Auth } from '../http/auth.js';
import { ApiError } from '../http/errors.js';
import type { UserRecord } from '../storage/index.js';

const UserListQuerySchema = ListQuerySchema.extend({ role: UserRoleSchema.optional(), status: UserStatusSchema.optional() });

/** Admin users manage everyone but owners, and make nobody an owner (README, Team accounts). Keys and owners may. */
function checkManages(auth: Auth, target: { role: UserRole }, newRole?: UserRole): void {
  if (auth.userRole !== 'admin') return;
  if (target.role === 'owner') throw ApiError.forbidden('an admin cannot manage an owner');
  if (newRole === 'owner') throw ApiError.forbidden('an admin cannot make anyone an owner');
}

/** The team's users (README, Team accounts), for owners, admins and admin keys. */
export function userRoutes(api: Api, context: AppContext): void {
  const { store, clock, config } = context;
  const tag = 'Users';

  const found = async (id: string): Promise<UserRecord> => {
    const user = await store.users.get(id);
    if (!user) throw ApiError.notFound('user');
    return user;
  };
  const checkPublisher = async (publisherId: string | null | undefined) => {
    if (publisherId && !(await store.publishers.get(publisherId))) throw ApiError.field('publisherId', `no publisher "${publisherId}"`);
  };
  const checkWorkspaces = async (workspaceIds: readonly string[] | undefined) => {
    for (const [index, id] of (workspaceIds ?? []).entries()) {
      if (!(await store.workspaces.get(id))) throw ApiError.field(`workspaceIds.${index}`, `no workspace "${id}"`);
    }
  };
  /** The last active owner stays: without one, nobody could manage owners or recover the account from the console. */
  const keepAnOwner = async (user: UserRecord, change: string) => {
    if (user.role === 'owner' && user.status === 'active' && (await store.users.count('owner', 'active')) <= 1) {
      throw ApiError.conflict(`${change} would leave the account without an active owner; make another owner first`);
    }
  };

  api.route(
    { method: 'get', path: '/v1/users', tag, access: 'admin', summary: 'List users', query: UserListQuerySchema, response: listOf(UserSchema) },
    async ({ query }) => {
      const list = await store.users.list({ role: query.role, status: query.status }, query);
      return { ...list, data: list.data.map(toUser) };
    },
  );

  api.route({ method: 'get', path: '/v1/users/:id', tag, access: 'admin', summary: 'Get a user', response: UserSchema }, async ({ params }) =>
    toUser(await found(params.id!)),
  );

  api.route(
    {
      method: 'post',
      path: '/v1/users',
      tag,
      access: 'admin',
      status: 201,
      summary: 'Invite a user: the answer has a one-time link to set a password, also sent by e-mail when SMTP is set',
      body: CreateUserParamsSchema,
      response: InvitedUserSchema,
    },
    async ({ body, auth }) => {
      checkManages(auth, { role: body.role }, body.role);
      await checkPublisher(body.publisherId);
      await checkWorkspaces(body.workspaceIds);
      const { user, invite } = await createUser(context, body, (tx, created) =>
        recordAudit(tx, auth, { recordType: 'user', recordId: created.id, action: 'create', after: toUser(created), at: clock.now() }),
      );
      const link = invite!;
      if (config.smtpUrl) {
        setImmediate(() => {
          sendAccountEmail(config, {
            to: user.email,
            subject: 'You are invited to Waypost',
            text:
              `You are invited to the Waypost tracker at ${config.publicUrl} as ${user.role}.\n\n` +
              `To set your password and sign in, open this link within ${LINK_TTL_MS.invite / 86_400_000} days:\n\n${link.url}\n`,
          }).catch((error: unknown) => console.error('invite e-mail:', error instanceof Error ? error.message : error));
        });
      }
      return { ...toUser(user), inviteUrl: link.url, inviteExpiresAt: link.expiresAt.toISOString() };
    },
  );

  api.route(
    {
      method: 'post',
      path: '/v1/users/:id/invite',
      tag,
      access: 'admin',
      summary: 'A new invite link for a user who has not accepted yet; older links stop working',
      response: InvitedUserSchema,
    },
    async ({ params, auth }) => {
      const user = await found(params.id!);
      checkManages(auth, user);
      if (user.status !== 'invited') throw ApiError.conflict('the user has accepted the invite already');
      const link = await store.transaction(async (tx) => {
        await recordAudit(tx, auth, { recordType: 'user', recordId: user.id, action: 'invite', at: clock.now() });
        return issueLink(context, tx, user, 'invite');
      });
      return { ...toUser(user), inviteUrl: link.url, inviteExpiresAt: link.expiresAt.toISOString() };
    },
  );

  api.route(
    {
      method: 'patch',
      path: '/v1/users/:id',
      tag,
      access: 'admin',
      summary: "Change a user's name, role, publisher or workspaces, or disable it (which ends its sessions)",
      body: UpdateUserParamsSchema,
      response: UserSchema,
    },
    async ({ params, body, auth }) => {
      const user = await found(params.id!);
      checkManages(auth, user, body.role);
      const role = body.role ?? user.role;
      const publisherId = body.publisherId !== undefined ? body.publisherId : role === 'publisher' ? user.publisherId : null;
      if (role === 'publisher' && !publisherId) throw ApiError.field('publisherId', 'is required for a publisher user');
      await checkPublisher(body.publisherId);
      await checkWorkspaces(body.workspaceIds);
      let status = user.status;
      if (body.disabled === true) status = 'disabled';
      else if (body.disabled === false && user.status === 'disabled') status = user.passwordHash ? 'active' : 'invited';
      if (role !== 'owner' || status !== 'active') await keepAnOwner(user, role !== 'owner' ? 'changing the role' : 'disabling the user');
      const now = clock.now();
      const updated: UserRecord = {
        ...user,
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.workspaceIds !== undefined ? { workspaceIds: body.workspaceIds } : {}),
        role,
        publisherId,
        status,
        updatedAt: now.toISOString(),
      };
      await store.transaction(async (tx) => {
        await tx.users.update(updated);
        // A change of what the user may do takes effect at once, not at its next sign-in: its sessions end.
        if (status === 'disabled' || role !== user.role || publisherId !== user.publisherId) await tx.sessions.revokeAllOf(user.id, now);
        await recordAudit(tx, auth, { recordType: 'user', recordId: user.id, action: 'update', before: toUser(user), after: toUser(updated), at: now });
      });
      return toUser(updated);
    },
  );

  api.route(
    { method: 'delete', path: '/v1/users/:id', tag, access: 'admin', summary: 'Delete a user, its sessions and its links' },
    async ({ params, auth }) => {
      const user = await found(params.id!);
      checkManages(auth, user);
      await keepAnOwner(user, 'deleting the user');
      await store.transaction(async (tx) => {
        await tx.users.delete(user.id);
        await recordAudit(tx, auth, { recordType: 'user', recordId: user.id, action: 'delete', before: toUser(user), at: clock.now() });
      });
      return undefined;
    },
  );
}
