import { createHash } from 'node:crypto';
import type { ApiKey } from '@waypost/schema';
import type { RequestHandler } from 'express';
import { clearSessionCookie, resolveSession, SESSION_COOKIE, type SessionSettings } from '../accounts/sessions.js';
import type { Clock } from '../clock.js';
import type { Store } from '../storage/index.js';
import { readCookie } from '../tracking/cookies.js';
import { checkCsrf } from './csrf.js';
import { ApiError } from './errors.js';

/** The roles of team accounts (SPEC §12). API keys are `admin` or `publisher`. */
export type UserRole = 'owner' | 'admin' | 'member' | 'analyst' | 'publisher';

/** Who made a request: an API key, or a signed-in user through one of their sessions. Audit entries name it. */
export type Actor = { type: 'key'; id: string } | { type: 'user'; id: string; sessionId: string };

interface AuthCommon {
  actor: Actor;
  /** The id of the key or user, which scopes idempotency keys. */
  keyId: string;
}

/**
 * What a request may do. `role: 'admin'` is every caller that is not pinned to one publisher: admin keys and owner,
 * admin, member and analyst users. `workspaces` is `'all'` for owners, admins and unlimited admin keys, else the
 * workspaces the caller may reach (a member's or analyst's, a key limited to one). `readOnly` is set for analysts.
 * `role: 'publisher'` is a publisher key or a publisher user: it sees what its publisher may see.
 */
export type Auth =
  | (AuthCommon & {
      role: 'admin';
      /** The user's role when a user signed in; `null` for an API key. */
      userRole: Exclude<UserRole, 'publisher'> | null;
      workspaces: 'all' | readonly string[];
      readOnly: boolean;
    })
  | (AuthCommon & { role: 'publisher'; userRole: 'publisher' | null; publisherId: string });

export const ADMIN_KEY_PREFIX = 'wp_sk_';
export const PUBLISHER_KEY_PREFIX = 'wp_pk_';

/**
 * Keys, session tokens and one-time links are random secrets of 160 bits or more, so one SHA-256 is enough: there is
 * nothing to brute-force.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export const hashApiKey = hashSecret;

export function authFromKey(key: ApiKey): Auth {
  const actor: Actor = { type: 'key', id: key.id };
  return key.role === 'admin'
    ? // A key limited to a workspace reaches it and the public ones (README, Workspaces).
      { role: 'admin', actor, keyId: key.id, userRole: null, workspaces: key.workspaceId ? [key.workspaceId] : 'all', readOnly: false }
    : { role: 'publisher', actor, keyId: key.id, userRole: null, publisherId: key.publisherId! };
}

/**
 * Resolves the caller into `res.locals.auth`: an API key in `Authorization: Bearer KEY`, else the session cookie, whose
 * state-changing requests must carry the CSRF token (http/csrf.ts). A Bearer header wins over a cookie, even when
 * the key is wrong. 401 when neither names a live key or session. The resolved session is in `res.locals.session`.
 */
export function authenticate(store: Store, sessions: { clock: Clock; settings: SessionSettings }): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization');
    if (!header) {
      const token = readCookie(req.get('cookie'), SESSION_COOKIE);
      if (!token) {
        throw new ApiError(401, 'unauthorized', 'send an API key as "Authorization: Bearer wp_sk_…", or sign in (POST /v1/session)', undefined, {
          'WWW-Authenticate': 'Bearer',
        });
      }
      const session = await resolveSession({ store, ...sessions }, token);
      if (!session) {
        // The browser may forget a cookie that will never work again.
        clearSessionCookie(res, sessions.settings, sessions.clock.now());
        throw new ApiError(401, 'unauthorized', 'the session has ended or was signed out; sign in again (POST /v1/session)');
      }
      checkCsrf(req, token);
      res.locals.auth = session.auth;
      res.locals.session = session;
      return next();
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const key = match?.[1];
    const found =
      key && (key.startsWith(ADMIN_KEY_PREFIX) || key.startsWith(PUBLISHER_KEY_PREFIX)) && key.length < 200
        ? await store.apiKeys.findByHash(hashApiKey(key))
        : undefined;
    if (!found) {
      throw new ApiError(401, 'unauthorized', 'the API key is not valid or has been revoked', undefined, {
        'WWW-Authenticate': 'Bearer error="invalid_token"',
      });
    }
    res.locals.auth = authFromKey(found);
    next();
  };
}
