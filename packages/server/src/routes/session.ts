import {
  AcceptInviteParamsSchema,
  ChangePasswordParamsSchema,
  CompletePasswordResetParamsSchema,
  PasswordResetParamsSchema,
  REDACTED,
  SessionSchema,
  SignInParamsSchema,
} from '@waypost/schema';
import type { Response } from 'express';
import { issueLink, LINK_TTL_MS, useLink } from '../accounts/links.js';
import { sendAccountEmail } from '../accounts/mail.js';
import { decoyHash, hashPassword, passwordProblem, verifyPassword } from '../accounts/passwords.js';
import { setPassword, toUser } from '../accounts/users.js';
import { recordAudit } from '../engine/audit.js';
import { clearSessionCookie, describeSession, type ResolvedSession, sessionSettings, startSession } from '../accounts/sessions.js';
import { checkThrottle, recordAttempt, throttleScopes } from '../accounts/throttle.js';
import type { AppContext } from '../context.js';
import type { Api } from '../http/api.js';
import { ApiError } from '../http/errors.js';

/** The session the cookie resolved to; an API key has none. */
function sessionOf(res: Response): ResolvedSession {
  const session = res.locals.session as ResolvedSession | undefined;
  if (!session) throw ApiError.forbidden('this request is authenticated by an API key, which has no session');
  return session;
}

/** A refused password, as a 422 naming the field. */
function checkPassword(password: string, email?: string): void {
  const problem = passwordProblem(password, email);
  if (problem) throw ApiError.field('password', problem, 'weak_password');
}

/**
 * Sign-in sessions of team accounts (README, Team accounts): sign in and out, who am I, invites, password resets.
 * The cookie carries a random token; the session row holds its hash.
 */
export function sessionRoutes(api: Api, context: AppContext): void {
  const { store, clock, config } = context;
  const settings = sessionSettings(config);
  const sessions = { store, clock, settings };
  const tag = 'Sessions';
  const invalidLink = (what: string) => ApiError.field('token', `the ${what} link is not valid: it was used, replaced or has expired`, 'invalid_token');

  api.route(
    {
      method: 'post',
      path: '/v1/session',
      tag,
      access: 'public',
      summary: 'Sign in: sets the session cookie',
      description: 'After ten failed sign-ins for one e-mail or from one address within 15 minutes, 429 with Retry-After.',
      body: SignInParamsSchema,
      response: SessionSchema,
    },
    async ({ body, req, res }) => {
      const scopes = throttleScopes({ email: body.email, ip: req.ip });
      await checkThrottle(context, scopes);
      const user = await store.users.findByEmail(body.email);
      const usable = user?.status === 'active' && user.passwordHash !== null;
      // An unknown e-mail costs a hash too, so that the time taken does not tell which e-mails have accounts.
      const matches = await verifyPassword(body.password, usable ? user.passwordHash! : await decoyHash());
      if (!usable || !matches) {
        await recordAttempt(context, scopes);
        throw new ApiError(401, 'invalid_credentials', 'the e-mail or the password is wrong');
      }
      // The e-mail's count starts again; the address's stays, as it may be trying several accounts.
      for (const scope of scopes.filter((candidate) => candidate.includes(':email:'))) await store.signInAttempts.clear(scope);
      return describeSession(sessions, await startSession(sessions, user, res));
    },
  );

  api.route(
    { method: 'get', path: '/v1/session', tag, access: 'self', summary: 'The signed-in user, its workspaces and the CSRF token', response: SessionSchema },
    async ({ res }) => describeSession(sessions, sessionOf(res)),
  );

  api.route({ method: 'delete', path: '/v1/session', tag, access: 'self', summary: 'Sign out: ends this session' }, async ({ res }) => {
    const { session } = sessionOf(res);
    await store.sessions.revoke(session.id, clock.now());
    clearSessionCookie(res, settings, clock.now());
    return undefined;
  });

  api.route(
    { method: 'delete', path: '/v1/sessions', tag, access: 'self', summary: "Sign out everywhere: ends every one of the user's sessions, this one too" },
    async ({ res }) => {
      const { user } = sessionOf(res);
      await store.sessions.revokeAllOf(user.id, clock.now());
      clearSessionCookie(res, settings, clock.now());
      return undefined;
    },
  );

  api.route(
    {
      method: 'put',
      path: '/v1/session/password',
      tag,
      access: 'self',
      summary: "Change the signed-in user's password; its other sessions end",
      body: ChangePasswordParamsSchema,
    },
    async ({ body, req, res }) => {
      const { user, session } = sessionOf(res);
      // Counted as failed sign-ins, so that a stolen session cannot try passwords faster than the sign-in page.
      const scopes = throttleScopes({ email: user.email, ip: req.ip });
      await checkThrottle(context, scopes);
      if (!(await verifyPassword(body.currentPassword, user.passwordHash ?? (await decoyHash())))) {
        await recordAttempt(context, scopes);
        throw ApiError.field('currentPassword', 'is not the current password', 'invalid_credentials');
      }
      checkPassword(body.password, user.email);
      const passwordHash = await hashPassword(body.password);
      await store.transaction(async (tx) => {
        // Read again in the transaction: the session's copy may predate a change of role or name.
        const current = (await tx.users.get(user.id)) ?? user;
        await tx.users.update({ ...current, passwordHash, updatedAt: clock.now().toISOString() });
        await tx.sessions.revokeAllOf(user.id, clock.now(), session.id);
        await recordAudit(tx, { actor: { type: 'user', id: user.id } }, { recordType: 'user', recordId: user.id, action: 'password_change', before: { passwordHash: user.passwordHash }, after: { passwordHash }, at: clock.now() });
      });
      return undefined;
    },
  );

  api.route(
    {
      method: 'post',
      path: '/v1/invites/accept',
      tag,
      access: 'public',
      summary: 'Accept an invite: set a password and sign in',
      body: AcceptInviteParamsSchema,
      response: SessionSchema,
    },
    async ({ body, req, res }) => {
      const scopes = throttleScopes({ ip: req.ip }, 'invite');
      await checkThrottle(context, scopes);
      // Before the link is used, so that a refused password does not spend it.
      checkPassword(body.password);
      const user = await useLink(context, 'invite', body.token);
      if (!user || user.status !== 'invited') {
        await recordAttempt(context, scopes);
        throw invalidLink('invite');
      }
      const active = {
        ...user,
        ...(body.name !== undefined ? { name: body.name } : {}),
        status: 'active' as const,
        passwordHash: await hashPassword(body.password),
        updatedAt: clock.now().toISOString(),
      };
      await store.transaction(async (tx) => {
        await tx.users.update(active);
        await recordAudit(tx, { actor: { type: 'user', id: user.id } }, { recordType: 'user', recordId: user.id, action: 'accept_invite', before: toUser(user), after: toUser(active), at: clock.now() });
      });
      return describeSession(sessions, await startSession(sessions, active, res));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/v1/password-reset',
      tag,
      access: 'public',
      status: 202,
      summary: 'Request a password reset link by e-mail',
      description:
        'Always 202, whether or not the e-mail has an account. The link goes out only when an SMTP server is configured; ' +
        '`waypost users reset-password` works without one.',
      body: PasswordResetParamsSchema,
    },
    async ({ body, req }) => {
      const scopes = throttleScopes({ email: body.email, ip: req.ip }, 'reset');
      await checkThrottle(context, scopes);
      await recordAttempt(context, scopes);
      // After the answer, so that its timing does not tell whether the e-mail has an account.
      setImmediate(() => {
        sendResetLink(context, body.email).catch((error: unknown) => console.error('password reset e-mail:', error instanceof Error ? error.message : error));
      });
      return undefined;
    },
  );

  api.route(
    {
      method: 'post',
      path: '/v1/password-reset/complete',
      tag,
      access: 'public',
      summary: "Set a new password with a reset link; every one of the user's sessions ends",
      body: CompletePasswordResetParamsSchema,
    },
    async ({ body, req }) => {
      const scopes = throttleScopes({ ip: req.ip }, 'reset-complete');
      await checkThrottle(context, scopes);
      checkPassword(body.password);
      const user = await useLink(context, 'reset', body.token);
      if (!user || user.status !== 'active') {
        await recordAttempt(context, scopes);
        throw invalidLink('password reset');
      }
      await setPassword(context, user.id, body.password, (tx) =>
        recordAudit(tx, { actor: { type: 'user', id: user.id } }, { recordType: 'user', recordId: user.id, action: 'password_reset', before: { passwordHash: user.passwordHash }, after: { passwordHash: REDACTED }, at: clock.now() }),
      );
      return undefined;
    },
  );
}

async function sendResetLink(context: AppContext, email: string): Promise<void> {
  if (!context.config.smtpUrl) return;
  const user = await context.store.users.findByEmail(email);
  if (!user || user.status !== 'active') return;
  const link = await context.store.transaction((tx) => issueLink(context, tx, user, 'reset'));
  await sendAccountEmail(context.config, {
    to: user.email,
    subject: 'Reset your Waypost password',
    text:
      `Someone asked to reset the password of ${user.email} on ${context.config.publicUrl}.\n\n` +
      `To choose a new password, open this link within ${LINK_TTL_MS.reset / 60_000} minutes:\n\n${link.url}\n\n` +
      'If it was not you, ignore this e-mail: the password stays as it is.\n',
  });
}
