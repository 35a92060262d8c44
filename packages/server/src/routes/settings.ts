import { EmailSchema } from '@waypost/schema';
import { z } from 'zod';
import { sendAccountEmail } from '../accounts/mail.js';
import type { AppContext } from '../context.js';
import type { Api } from '../http/api.js';
import { ApiError } from '../http/errors.js';
import { outboxOptions } from '../outbox/dispatcher.js';

/** What the console's Settings show of the mail relay: never its user name or password, which the URL may carry. */
const SmtpStatusSchema = z.object({
  configured: z.boolean(),
  host: z.string().nullable(),
  port: z.number().int().nullable(),
  /** `smtps://`: TLS from the first byte (STARTTLS on `smtp://` is negotiated and not known in advance). */
  secure: z.boolean(),
  /** The sender of every e-mail the server sends (`WAYPOST_SMTP_FROM`, else one at the public URL's host). */
  from: z.string().nullable(),
});

const SmtpTestParamsSchema = z.strictObject({
  /** Defaults to the signed-in user's own address; an API key has none and must name one. */
  to: EmailSchema.optional(),
});

const SmtpTestResultSchema = z.object({ sent: z.literal(true), to: z.string() });

/** The server's settings that live in its environment, shown (and tried) from the console's Settings. */
export function settingsRoutes(api: Api, context: AppContext): void {
  const { config, store } = context;
  const tag = 'Settings';

  api.route(
    { method: 'get', path: '/v1/settings/smtp', tag, access: 'admin', summary: 'Whether an SMTP server is configured, and which (without credentials)', response: SmtpStatusSchema },
    async () => {
      if (!config.smtpUrl) return { configured: false, host: null, port: null, secure: false, from: null };
      const url = new URL(config.smtpUrl);
      const secure = url.protocol === 'smtps:';
      return {
        configured: true,
        host: url.hostname,
        port: url.port ? Number(url.port) : secure ? 465 : 587,
        secure,
        from: outboxOptions(config).smtpFrom,
      };
    },
  );

  api.route(
    {
      method: 'post',
      path: '/v1/settings/smtp/test',
      tag,
      access: 'admin',
      summary: 'Send a test e-mail through the configured SMTP server (502 with its reason when the server refuses it)',
      body: SmtpTestParamsSchema,
      response: SmtpTestResultSchema,
    },
    async ({ body, auth }) => {
      if (!config.smtpUrl) throw new ApiError(409, 'smtp_not_configured', 'no SMTP server is configured: set WAYPOST_SMTP_URL and restart the server');
      const to = body.to ?? (auth.actor.type === 'user' ? (await store.users.get(auth.actor.id))?.email : undefined);
      if (!to) throw ApiError.field('to', 'is required for an API key, which has no e-mail address');
      try {
        await sendAccountEmail(config, {
          to,
          subject: 'Waypost test e-mail',
          text: `This is a test e-mail from the Waypost tracker at ${config.publicUrl}.\n\nConversion e-mails, invites and password resets are sent the same way.\n`,
        });
      } catch (error) {
        // The relay's own words (a refused login, a timeout) are what the person needs to fix the setting.
        throw new ApiError(502, 'smtp_failed', `the SMTP server did not accept the e-mail: ${error instanceof Error ? error.message : String(error)}`);
      }
      return { sent: true as const, to };
    },
  );
}
