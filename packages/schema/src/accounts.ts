import { z } from 'zod';
import { EmailSchema, IdSchema, TimestampSchema } from './primitives.js';

/**
 * Team roles (README, Team accounts): `owner` and `admin` see everything (an admin cannot manage owners); `member`
 * reads and writes in its workspaces; `analyst` only reads there; `publisher` is its publisher's portal login and
 * sees what that publisher's API key sees.
 */
export const UserRoleSchema = z.enum(['owner', 'admin', 'member', 'analyst', 'publisher']);
export type UserRole = z.infer<typeof UserRoleSchema>;

/** `invited` until the invite link is accepted; a `disabled` user cannot sign in and has no sessions. */
export const UserStatusSchema = z.enum(['invited', 'active', 'disabled']);
export type UserStatus = z.infer<typeof UserStatusSchema>;

/** Passwords are checked by the server (length, common passwords); the cap keeps hashing cheap. */
export const PasswordSchema = z.string().max(200);

export const UserSchema = z.object({
  id: IdSchema,
  email: z.string(),
  name: z.string().nullable(),
  role: UserRoleSchema,
  /** The publisher a `publisher` user signs in for; null for the other roles. */
  publisherId: IdSchema.nullable(),
  /** The workspaces a `member` or `analyst` belongs to (besides every public one); kept but unused for other roles. */
  workspaceIds: z.array(IdSchema),
  status: UserStatusSchema,
  lastSignInAt: TimestampSchema.nullable(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type User = z.infer<typeof UserSchema>;

const userFields = {
  name: z.string().trim().min(1).max(200).nullable(),
  role: UserRoleSchema,
  publisherId: IdSchema.nullable(),
  workspaceIds: z.array(IdSchema).max(500),
};

function checkPublisher(value: { role?: UserRole | undefined; publisherId?: string | null | undefined }, ctx: z.RefinementCtx): void {
  if (value.role === 'publisher' && !value.publisherId) {
    ctx.addIssue({ code: 'custom', path: ['publisherId'], message: 'is required for a publisher user' });
  }
  if (value.role !== undefined && value.role !== 'publisher' && value.publisherId) {
    ctx.addIssue({ code: 'custom', path: ['publisherId'], message: 'is only allowed for a publisher user' });
  }
}

/** `POST /v1/users`: invites a user, who sets a password through the one-time link in the answer. */
export const CreateUserParamsSchema = z
  .strictObject({
    email: EmailSchema,
    name: userFields.name.optional(),
    role: userFields.role,
    publisherId: IdSchema.optional(),
    workspaceIds: userFields.workspaceIds.default([]),
  })
  .superRefine(checkPublisher);
export type CreateUserParams = z.input<typeof CreateUserParamsSchema>;

/** The invited user, with the link that is shown only in this answer (and sent by e-mail when SMTP is set). */
export const InvitedUserSchema = UserSchema.extend({ inviteUrl: z.url(), inviteExpiresAt: TimestampSchema });
export type InvitedUser = z.infer<typeof InvitedUserSchema>;

/** `PATCH /v1/users/:id`. `disabled: true` signs the user out everywhere and refuses its sign-ins. */
export const UpdateUserParamsSchema = z
  .strictObject({ ...userFields, disabled: z.boolean() })
  .partial()
  .superRefine(checkPublisher);
export type UpdateUserParams = z.input<typeof UpdateUserParamsSchema>;

export const SignInParamsSchema = z.strictObject({ email: z.string().trim().max(254), password: PasswordSchema });
export type SignInParams = z.input<typeof SignInParamsSchema>;

/** Who is signed in, as `GET /v1/session` tells the console. */
export const SessionSchema = z.object({
  user: z.object({ id: IdSchema, email: z.string(), name: z.string().nullable(), role: UserRoleSchema, publisherId: IdSchema.nullable() }),
  /** The workspaces the user may reach: all of them for owners and admins; none for publisher users. */
  workspaces: z.array(z.object({ id: IdSchema, name: z.string(), visibility: z.enum(['private', 'public']) })),
  /** Send it as `X-CSRF-Token` on every request made with the session cookie that is not GET, HEAD or OPTIONS. */
  csrfToken: z.string(),
  /** When the session ends unless it is used before: the idle timeout from now, or its absolute end if sooner. */
  expiresAt: TimestampSchema,
});
export type Session = z.infer<typeof SessionSchema>;

export const AcceptInviteParamsSchema = z.strictObject({
  token: z.string().min(1).max(200),
  password: PasswordSchema,
  name: userFields.name.optional(),
});
export type AcceptInviteParams = z.input<typeof AcceptInviteParamsSchema>;

export const PasswordResetParamsSchema = z.strictObject({ email: z.string().trim().max(254) });
export type PasswordResetParams = z.input<typeof PasswordResetParamsSchema>;

export const CompletePasswordResetParamsSchema = z.strictObject({ token: z.string().min(1).max(200), password: PasswordSchema });
export type CompletePasswordResetParams = z.input<typeof CompletePasswordResetParamsSchema>;

/** `PUT /v1/session/password`: a signed-in user changes its own password; its other sessions end. */
export const ChangePasswordParamsSchema = z.strictObject({ currentPassword: PasswordSchema, password: PasswordSchema });
export type ChangePasswordParams = z.input<typeof ChangePasswordParamsSchema>;
