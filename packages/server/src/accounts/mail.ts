import type { Config } from '../config.js';
import { mailTransport, outboxOptions } from '../outbox/dispatcher.js';

/**
 * Sends an account e-mail (an invite, a password reset) through the transport of conversion e-mails: the same SMTP
 * server, sender and time limits. It is sent at once rather than through the outbox: its link is a secret, and the
 * outbox keeps each message in the database in clear and shows it in the delivery log. Resolves false when no SMTP
 * server is configured.
 */
export async function sendAccountEmail(config: Config, message: { to: string; subject: string; text: string }): Promise<boolean> {
  const options = outboxOptions(config);
  if (!options.smtpUrl) return false;
  const transport = mailTransport(options);
  try {
    await transport.sendMail(message);
  } finally {
    transport.close();
  }
  return true;
}
