import type { Row, SqlExecutor } from './driver.js';
import { iso, isoOrNull, paginate, str } from './sql-helpers.js';
import type { Atomic } from './sql-store.js';
import type {
  AccountTokenRecord,
  AccountTokenRepository,
  SessionRecord,
  SessionRepository,
  SignInAttemptRepository,
  UserRecord,
  UserRepository,
} from './store.js';
import { newId } from '../ids.js';

const ms = (value: string): number => Date.parse(value);

function userFromRow(row: Row, workspaceIds: string[]): UserRecord {
  return {
    id: String(row.id),
    email: String(row.email),
    name: str(row.name),
    role: row.role as UserRecord['role'],
    publisherId: str(row.publisher_id),
    workspaceIds,
    status: row.status as UserRecord['status'],
    lastSignInAt: isoOrNull(row.last_sign_in_at),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    passwordHash: str(row.password_hash),
  };
}

/** The memberships of each of `userIds`, in one query. */
async function workspacesOf(db: SqlExecutor, userIds: string[]): Promise<Map<string, string[]>> {
  const byUser = new Map<string, string[]>(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return byUser;
  const rows = await db.all<{ user_id: string; workspace_id: string }>(
    `SELECT user_id, workspace_id FROM user_workspaces WHERE user_id IN (${userIds.map(() => '?').join(', ')}) ORDER BY workspace_id`,
    userIds,
  );
  for (const row of rows) byUser.get(String(row.user_id))?.push(String(row.workspace_id));
  return byUser;
}

async function withWorkspaces(db: SqlExecutor, row: Row | undefined): Promise<UserRecord | undefined> {
  if (!row) return undefined;
  return userFromRow(row, (await workspacesOf(db, [String(row.id)])).get(String(row.id)) ?? []);
}

export function userRepository(db: SqlExecutor, atomic: Atomic): UserRepository {
  const setWorkspaces = async (tx: SqlExecutor, user: UserRecord) => {
    await tx.run('DELETE FROM user_workspaces WHERE user_id = ?', [user.id]);
    for (const workspaceId of new Set(user.workspaceIds)) {
      await tx.run('INSERT INTO user_workspaces (user_id, workspace_id) VALUES (?, ?)', [user.id, workspaceId]);
    }
  };
  const values = (user: UserRecord) => [
    user.email,
    user.email.toLowerCase(),
    user.name,
    user.role,
    user.publisherId,
    user.passwordHash,
    user.status,
    user.lastSignInAt === null ? null : ms(user.lastSignInAt),
    ms(user.updatedAt),
    user.id,
  ];
  return {
    async insert(user) {
      await atomic(async (tx) => {
        await tx.run(
          `INSERT INTO users (email, email_key, name, role, publisher_id, password_hash, status, last_sign_in_at, updated_at, id, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [...values(user), ms(user.createdAt)],
        );
        await setWorkspaces(tx, user);
      });
    },
    async get(id) {
      return withWorkspaces(db, await db.get('SELECT * FROM users WHERE id = ?', [id]));
    },
    async findByEmail(email) {
      return withWorkspaces(db, await db.get('SELECT * FROM users WHERE email_key = ?', [email.trim().toLowerCase()]));
    },
    async list(filter, page) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (filter.role) where.push('role = ?') && params.push(filter.role);
      if (filter.status) where.push('status = ?') && params.push(filter.status);
      const list = await paginate(db, { from: 'users', where, params }, page, (row) => userFromRow(row, []));
      const memberships = await workspacesOf(db, list.data.map((user) => user.id));
      return { ...list, data: list.data.map((user) => ({ ...user, workspaceIds: memberships.get(user.id) ?? [] })) };
    },
    async update(user) {
      return atomic(async (tx) => {
        const changed = await tx.run(
          `UPDATE users SET email = ?, email_key = ?, name = ?, role = ?, publisher_id = ?, password_hash = ?, status = ?,
             last_sign_in_at = ?, updated_at = ? WHERE id = ?`,
          values(user),
        );
        if (changed > 0) await setWorkspaces(tx, user);
        return changed > 0;
      });
    },
    async recordSignIn(id, at) {
      await db.run('UPDATE users SET last_sign_in_at = ? WHERE id = ?', [at.getTime(), id]);
    },
    async delete(id) {
      return atomic(async (tx) => {
        for (const table of ['user_workspaces', 'sessions', 'account_tokens']) await tx.run(`DELETE FROM ${table} WHERE user_id = ?`, [id]);
        return (await tx.run('DELETE FROM users WHERE id = ?', [id])) > 0;
      });
    },
    async count(role, status) {
      const row = await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM users WHERE role = ? AND status = ?', [role, status]);
      return Number(row?.n ?? 0);
    },
  };
}

function sessionFromRow(row: Row): SessionRecord {
  return {
    id: String(row.id),
    userId: String(row.user_id),
    tokenHash: String(row.token_hash),
    lastSeenAt: new Date(Number(row.last_seen_at)),
    expiresAt: new Date(Number(row.expires_at)),
    revokedAt: row.revoked_at == null ? null : new Date(Number(row.revoked_at)),
    createdAt: new Date(Number(row.created_at)),
  };
}

export function sessionRepository(db: SqlExecutor): SessionRepository {
  return {
    async insert(session) {
      await db.run(
        'INSERT INTO sessions (id, user_id, token_hash, last_seen_at, expires_at, revoked_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [
          session.id,
          session.userId,
          session.tokenHash,
          session.lastSeenAt.getTime(),
          session.expiresAt.getTime(),
          session.revokedAt?.getTime() ?? null,
          session.createdAt.getTime(),
        ],
      );
    },
    async findByTokenHash(tokenHash) {
      const row = await db.get('SELECT * FROM sessions WHERE token_hash = ?', [tokenHash]);
      if (!row) return undefined;
      const user = await withWorkspaces(db, await db.get('SELECT * FROM users WHERE id = ?', [row.user_id]));
      return user ? { session: sessionFromRow(row), user } : undefined;
    },
    async touch(id, at) {
      await db.run('UPDATE sessions SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?', [at.getTime(), id, at.getTime()]);
    },
    async revoke(id, at) {
      return (await db.run('UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [at.getTime(), id])) > 0;
    },
    async revokeAllOf(userId, at, keep) {
      return db.run('UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL AND id <> ?', [at.getTime(), userId, keep ?? '']);
    },
    async deleteEnded(now, idleBefore) {
      return db.run('DELETE FROM sessions WHERE revoked_at IS NOT NULL OR expires_at <= ? OR last_seen_at <= ?', [now.getTime(), idleBefore.getTime()]);
    },
  };
}

function tokenFromRow(row: Row): AccountTokenRecord {
  return {
    id: String(row.id),
    kind: row.kind as AccountTokenRecord['kind'],
    userId: String(row.user_id),
    tokenHash: String(row.token_hash),
    expiresAt: new Date(Number(row.expires_at)),
    usedAt: row.used_at == null ? null : new Date(Number(row.used_at)),
    createdAt: new Date(Number(row.created_at)),
  };
}

export function accountTokenRepository(db: SqlExecutor, atomic: Atomic): AccountTokenRepository {
  return {
    async insert(token) {
      await db.run('INSERT INTO account_tokens (id, kind, user_id, token_hash, expires_at, used_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
        token.id,
        token.kind,
        token.userId,
        token.tokenHash,
        token.expiresAt.getTime(),
        token.usedAt?.getTime() ?? null,
        token.createdAt.getTime(),
      ]);
    },
    use(kind, tokenHash, at) {
      return atomic(async (tx) => {
        const changed = await tx.run('UPDATE account_tokens SET used_at = ? WHERE kind = ? AND token_hash = ? AND used_at IS NULL AND expires_at > ?', [
          at.getTime(),
          kind,
          tokenHash,
          at.getTime(),
        ]);
        if (changed === 0) return undefined;
        const row = await tx.get('SELECT * FROM account_tokens WHERE token_hash = ?', [tokenHash]);
        return row ? tokenFromRow(row) : undefined;
      });
    },
    async deleteAllOf(userId, kind) {
      await db.run('DELETE FROM account_tokens WHERE user_id = ? AND kind = ?', [userId, kind]);
    },
  };
}

export function signInAttemptRepository(db: SqlExecutor, atomic: Atomic): SignInAttemptRepository {
  return {
    async record(scopes, at, pruneBefore) {
      await atomic(async (tx) => {
        for (const scope of scopes) await tx.run('INSERT INTO sign_in_attempts (id, scope, at) VALUES (?, ?, ?)', [newId('sia_', at), scope, at.getTime()]);
        await tx.run('DELETE FROM sign_in_attempts WHERE at < ?', [pruneBefore.getTime()]);
      });
    },
    async recent(scope, since, limit) {
      const rows = await db.all<{ at: number }>('SELECT at FROM sign_in_attempts WHERE scope = ? AND at >= ? ORDER BY at DESC LIMIT ?', [
        scope,
        since.getTime(),
        limit,
      ]);
      return rows.map((row) => new Date(Number(row.at)));
    },
    async clear(scope) {
      await db.run('DELETE FROM sign_in_attempts WHERE scope = ?', [scope]);
    },
  };
}
