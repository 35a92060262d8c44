import type { Session } from '@waypost/schema';
import type { Response } from 'express';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { type Auth, hashSecret } from '../http/auth.js';
import { csrfTokenFor } from '../http/csrf.js';
import { newId, newSecret } from '../ids.js';
import type { SessionRecord, Store, UserRecord } from '../storage/index.js';
import { workspaceScope } from '../engine/workspaces.js';
import { serializeCookie } from '../tracking/cookies.js';

/** The session cookie; it carries only the random token whose hash names the session row. */
export const SESSION_COOKIE = 'waypost_session';

// Writing the row on every request would make each read a write; a minute is finer than any idle timeout.
const TOUCH_EVERY_MS = 60_000;

/** How long sessions last; from the configuration (`WAYPOST_SESSION_*`). */
export interface SessionSettings {
  idleMs: number;
  maxAgeMs: number;
  /** Cookies are `Secure` when the public URL is https. */
  secure: boolean;
}

export function sessionSettings(config: Pick<Config, 'sessionIdleMinutes' | 'sessionMaxHours' | 'publicUrl'>): SessionSettings {
  return {
    idleMs: config.sessionIdleMinutes * 60_000,
    maxAgeMs: config.sessionMaxHours * 3_600_000,
    secure: config.publicUrl.startsWith('https:'),
  };
}

/** A live session with the user it belongs to and the token that the cookie carries. */
export interface ResolvedSession {
  session: SessionRecord;
  user: UserRecord;
  token: string;
  auth: Auth;
}

/** Opens a session for the user and sets its cookie on `res`; the user's ended sessions are deleted meanwhile. */
export async function startSession(
  { store, clock, settings }: { store: Store; clock: Clock; settings: SessionSettings },
  user: UserRecord,
  res: Response,
): Promise<ResolvedSession> {
  const now = clock.now();
  const token = newSecret(43);
  const session: SessionRecord = {
    id: newId('ses_', now),
    userId: user.id,
    tokenHash: hashSecret(token),
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + settings.maxAgeMs),
    revokedAt: null,
    createdAt: now,
  };
  await store.transaction(async (tx) => {
    // Each sign-in clears out the sessions that have ended, anyone's: the table holds what may still be used.
    await tx.sessions.deleteEnded(now, new Date(now.getTime() - settings.idleMs));
    await tx.sessions.insert(session);
    await tx.users.recordSignIn(user.id, now);
  });
  res.append('Set-Cookie', serializeCookie(SESSION_COOKIE, token, cookieOptions(settings, now, settings.maxAgeMs)));
  return { session, user, token, auth: authFromUser(user, session) };
}

/** Tells the browser to forget the session cookie. */
export function clearSessionCookie(res: Response, settings: SessionSettings, now: Date): void {
  res.append('Set-Cookie', serializeCookie(SESSION_COOKIE, '', cookieOptions(settings, now, 0)));
}

function cookieOptions(settings: SessionSettings, now: Date, maxAgeMs: number) {
  return { maxAgeSeconds: maxAgeMs / 1000, path: '/', secure: settings.secure, httpOnly: true, sameSite: 'Lax' as const, now };
}

/**
 * The live session a cookie token names, or undefined when it is unknown, revoked, idle for too long, past its
 * absolute end, or its user is no longer active. Use moves the idle timeout forward.
 */
export async function resolveSession(
  { store, clock, settings }: { store: Store; clock: Clock; settings: SessionSettings },
  token: string,
): Promise<ResolvedSession | undefined> {
  if (token.length > 200) return undefined;
  const found = await store.sessions.findByTokenHash(hashSecret(token));
  if (!found) return undefined;
  const { session, user } = found;
  const now = clock.now().getTime();
  if (session.revokedAt || now >= session.expiresAt.getTime() || now - session.lastSeenAt.getTime() >= settings.idleMs) return undefined;
  if (user.status !== 'active') return undefined;
  if (now - session.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
    await store.sessions.touch(session.id, new Date(now));
    session.lastSeenAt = new Date(now);
  }
  return { session, user, token, auth: authFromUser(user, session) };
}

/**
 * What a signed-in user may do (README, Team accounts): owners and admins everything; members and analysts the
 * workspaces they belong to and every public one, analysts read-only; publisher users what their publisher's key may.
 */
export function authFromUser(user: UserRecord, session: SessionRecord): Auth {
  const actor = { type: 'user', id: user.id, sessionId: session.id } as const;
  if (user.role === 'publisher') {
    return { role: 'publisher', actor, keyId: user.id, userRole: 'publisher', publisherId: user.publisherId! };
  }
  const limited = user.role === 'member' || user.role === 'analyst';
  return {
    role: 'admin',
    actor,
    keyId: user.id,
    userRole: user.role,
    workspaces: limited ? memberWorkspaces(user) : 'all',
    readOnly: user.role === 'analyst',
  };
}

/**
 * A member's or analyst's own workspaces. Public ones are reached besides these by the workspace rules
 * (engine/workspaces.ts), looked up when needed, so that a workspace made public reaches sessions already open.
 */
function memberWorkspaces(user: UserRecord): string[] {
  return [...new Set(user.workspaceIds)];
}

/** The answer of `GET /v1/session`. */
export async function describeSession(
  { store, clock, settings }: { store: Store; clock: Clock; settings: SessionSettings },
  resolved: ResolvedSession,
): Promise<Session> {
  const { user, session, token, auth } = resolved;
  const idleEnd = clock.now().getTime() + settings.idleMs;
  return {
    user: { id: user.id, email: user.email, name: user.name, role: user.role, publisherId: user.publisherId },
    workspaces: await workspacesOf(store, auth),
    csrfToken: csrfTokenFor(token),
    expiresAt: new Date(Math.min(idleEnd, session.expiresAt.getTime())).toISOString(),
  };
}

async function workspacesOf(store: Store, auth: Auth): Promise<Session['workspaces']> {
  if (auth.role !== 'admin') return [];
  const { data } = await store.workspaces.list({ workspaces: workspaceScope(auth) }, { limit: 500 });
  return data.map(({ id, name, visibility }) => ({ id, name, visibility }));
}
