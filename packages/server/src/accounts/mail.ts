import { createTransport } from 'nodemailer';
import type { Config } from '../config.js';
import { outboxOptions } from '../outbox/dispatcher.js';

/**
 * Sends an account e-mail (an invite, a password reset) through the SMTP server and sender that conversion e-mails
 * use. It is sent at once rather than through the outbox: its link is a secret, and the outbox keeps each message in
 * the database in clear and shows it in the delivery log. Resolves false when no SMTP server is configured.
 */
export async function sendAccountEmail(config: Config, message: { to: string; subject: string; text: string }): Promise<boolean> {
  const { smtpUrl, smtpFrom, timeoutMs } = outboxOptions(config);
  if (!smtpUrl) return false;
  const transport = createTransport({ url: smtpUrl, connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs }, { from: smtpFrom });
  try {
    await transport.sendMail(message);
  } finally {
    transport.close();
  }
  return true;
}
