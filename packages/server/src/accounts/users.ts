import type { CreateUserParams, User } from '@waypost/schema';
import type { AppContext } from '../context.js';
import { ApiError } from '../http/errors.js';
import { newId } from '../ids.js';
import { type Repositories, UniqueViolationError, type UserRecord } from '../storage/index.js';
import { issueLink } from './links.js';
import { hashPassword } from './passwords.js';

/** A user on the wire: never its password hash. */
export function toUser({ passwordHash: _, ...user }: UserRecord): User {
  return user;
}

/**
 * Creates a user: active with `password` (the CLI, the first owner), else invited, with a one-time link to set a
 * password. 409 when the e-mail has a user already.
 */
export async function createUser(
  context: Pick<AppContext, 'store' | 'clock' | 'config'>,
  params: Omit<CreateUserParams, 'workspaceIds'> & { workspaceIds?: string[] | undefined; password?: string | undefined },
  /** More work in the transaction that creates the user, such as its audit entry. */
  inTransaction?: (tx: Repositories, user: UserRecord) => Promise<void>,
): Promise<{ user: UserRecord; invite?: { url: string; expiresAt: Date } }> {
  const now = context.clock.now().toISOString();
  const user: UserRecord = {
    id: newId('usr_', context.clock.now()),
    email: params.email.trim(),
    name: params.name ?? null,
    role: params.role,
    publisherId: params.publisherId ?? null,
    workspaceIds: params.workspaceIds ?? [],
    status: params.password === undefined ? 'invited' : 'active',
    lastSignInAt: null,
    createdAt: now,
    updatedAt: now,
    passwordHash: params.password === undefined ? null : await hashPassword(params.password),
  };
  try {
    return await context.store.transaction(async (tx) => {
      await tx.users.insert(user);
      if (inTransaction) await inTransaction(tx, user);
      if (params.password !== undefined) return { user };
      return { user, invite: await issueLink(context, tx, user, 'invite') };
    });
  } catch (error) {
    if (error instanceof UniqueViolationError) throw ApiError.conflict(`a user with the e-mail "${user.email}" exists`, 'email');
    throw error;
  }
}

/** Sets a user's password and ends all its sessions (a reset by link or by the CLI). */
export async function setPassword(
  { store, clock }: Pick<AppContext, 'store' | 'clock'>,
  userId: string,
  password: string,
  /** More work in the same transaction, such as the audit entry of a reset through the API. */
  inTransaction?: (tx: Repositories, user: UserRecord) => Promise<void>,
): Promise<void> {
  const passwordHash = await hashPassword(password);
  await store.transaction(async (tx) => {
    const user = await tx.users.get(userId);
    if (!user) throw ApiError.notFound('user');
    // A password set for an invited user (by the CLI) stands for accepting the invite.
    const status = user.status === 'invited' ? 'active' : user.status;
    await tx.users.update({ ...user, passwordHash, status, updatedAt: clock.now().toISOString() });
    await tx.accountTokens.deleteAllOf(userId, 'invite');
    await tx.accountTokens.deleteAllOf(userId, 'reset');
    await tx.sessions.revokeAllOf(userId, clock.now());
    if (inTransaction) await inTransaction(tx, user);
  });
}
