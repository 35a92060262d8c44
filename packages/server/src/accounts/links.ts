import type { AppContext } from '../context.js';
import { hashSecret } from '../http/auth.js';
import { newId, newSecret } from '../ids.js';
import type { AccountTokenKind, Repositories, UserRecord } from '../storage/index.js';

/** How long a one-time link may be used (README, Team accounts). */
export const LINK_TTL_MS: Record<AccountTokenKind, number> = { invite: 7 * 86_400_000, reset: 3_600_000 };

/** Where the console takes each link. */
const LINK_PATH: Record<AccountTokenKind, string> = { invite: 'invite', reset: 'reset' };

/**
 * Makes a one-time link (`PUBLIC_URL/app/invite/TOKEN` or `/app/reset/TOKEN`) for the user; the user's older links of
 * that kind stop working. Only the token's hash is stored: the link exists in this answer and the e-mail only.
 */
export async function issueLink(
  { config, clock }: Pick<AppContext, 'config' | 'clock'>,
  tx: Repositories,
  user: UserRecord,
  kind: AccountTokenKind,
): Promise<{ url: string; expiresAt: Date }> {
  const now = clock.now();
  const token = newSecret(43);
  const expiresAt = new Date(now.getTime() + LINK_TTL_MS[kind]);
  await tx.accountTokens.deleteAllOf(user.id, kind);
  await tx.accountTokens.insert({ id: newId('tok_', now), kind, userId: user.id, tokenHash: hashSecret(token), expiresAt, usedAt: null, createdAt: now });
  return { url: `${config.publicUrl}/app/${LINK_PATH[kind]}/${token}`, expiresAt };
}

/** Uses a one-time link: its user, or undefined when the token is unknown, used, replaced or expired. */
export async function useLink({ store, clock }: Pick<AppContext, 'store' | 'clock'>, kind: AccountTokenKind, token: string): Promise<UserRecord | undefined> {
  if (!/^[0-9a-z]{1,100}$/.test(token)) return undefined;
  const used = await store.accountTokens.use(kind, hashSecret(token), clock.now());
  return used ? store.users.get(used.userId) : undefined;
}
