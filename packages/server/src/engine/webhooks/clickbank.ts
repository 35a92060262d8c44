import { createDecipheriv, createHash } from 'node:crypto';
import { malformed, parseJsonObject, unverified, type WebhookFormat, type WebhookReading } from './notification.js';

/**
 * ClickBank's Instant Notification Service, versions 6.0 and later (8.0 is current):
 * https://support.clickbank.com/hc/en-us/articles/220376507-Instant-Notification-Service-INS. The body is JSON,
 * `{ "notification": base64, "iv": base64 }`; the notification is AES-256-CBC (PKCS#7 padding) under a key made from
 * the account's secret key: the first 32 characters of the secret key's SHA-1 in hex, used as the key's 32 bytes.
 * Decrypted, it is the transaction as JSON: `transactionType`, `receipt`, `role`, `totalOrderAmount`,
 * `totalAccountAmount`, `currency`, `trackingCodes` (the hoplink's `tid`), line items and the customer.
 */
export const clickbank: WebhookFormat = {
  // The account's secret key, as ClickBank lets it be set: up to 16 capital letters and digits.
  minSecretLength: 1,
  read(request, secret) {
    const envelope = parseJsonObject(request.body.toString('utf8'));
    if (!envelope || typeof envelope.notification !== 'string' || typeof envelope.iv !== 'string') {
      throw malformed('a ClickBank notification is a JSON body with "notification" and "iv"');
    }
    const iv = base64(envelope.iv);
    const ciphertext = base64(envelope.notification);
    if (!iv || iv.length !== 16 || !ciphertext || ciphertext.length === 0 || ciphertext.length % 16 !== 0) {
      throw malformed('"notification" and "iv" must be base64 of an AES-256-CBC ciphertext and its 16-byte IV');
    }

    // A wrong key fails the padding check, or (rarely) yields bytes that are not JSON: either way it is not verified.
    const notDecrypted = () => unverified('decryption_failed', "the notification does not decrypt with the network's secret key");
    let plaintext: string;
    try {
      const key = Buffer.from(createHash('sha1').update(secret, 'utf8').digest('hex').slice(0, 32), 'ascii');
      const decipher = createDecipheriv('aes-256-cbc', key, iv);
      plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw notDecrypted();
    }
    // ClickBank's own samples trim control characters around the decrypted text before reading it.
    const order = parseJsonObject(plaintext.replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, ''));
    if (!order) throw notDecrypted();

    const type = order.transactionType;
    if (typeof type !== 'string' || type === '') throw malformed('the decrypted notification has no "transactionType"');
    const trackingCodes = Array.isArray(order.trackingCodes) ? order.trackingCodes.filter((code): code is string => typeof code === 'string') : [];
    const summary = {
      transactionType: type,
      receipt: order.receipt,
      role: order.role,
      currency: order.currency,
      totalOrderAmount: order.totalOrderAmount,
      totalAccountAmount: order.totalAccountAmount,
      trackingCodes: trackingCodes.slice(0, 5),
      attemptCount: order.attemptCount,
      version: order.version,
    };
    return { reading: reading(type, order, trackingCodes), summary };
  },
};

/** SALE and BILL are money in, RFND, CGBK and INSF take it back; TEST_SALE and the other test types record nothing. */
const STATUS_OF_TYPE: Record<string, string> = { SALE: 'approved', BILL: 'rebill', RFND: 'rejected', CGBK: 'rejected', INSF: 'rejected' };

function reading(type: string, order: Record<string, unknown>, trackingCodes: string[]): WebhookReading {
  if (type.includes('TEST')) return { kind: 'test' };
  const status = STATUS_OF_TYPE[type];
  // CANCEL-REBILL, UNCANCEL-REBILL, SUBSCRIPTION-CHG, ABANDONED_ORDER and the customer updates move no money.
  if (!status) return { kind: 'ignored', reason: 'transaction_type_not_mapped' };
  if (typeof order.receipt !== 'string' || order.receipt === '') throw malformed(`the decrypted ${type} notification has no "receipt"`);
  const currency = typeof order.currency === 'string' ? order.currency : undefined;
  // A reversal only changes the status: its amounts are the ones taken back, not a new price.
  const moneyIn = status !== 'rejected';
  // What the account earns is an affiliate's commission only in an affiliate's notification, and ClickBank pays
  // accounts in US dollars, so it is reported as the payout only where the order is in dollars too.
  const payout = moneyIn && order.role === 'AFFILIATE' && currency?.toUpperCase() === 'USD' ? decimal(order.totalAccountAmount) : undefined;
  return {
    kind: 'report',
    report: {
      // The tid goes out in Waypost's click id, which is lower case; ClickBank may send tracking codes upper-cased.
      clickIds: trackingCodes.flatMap((code) => [code, code.toLowerCase()]),
      // The receipt identifies the transaction, so a notification sent again is a duplicate and a refund finds its sale.
      transactionId: order.receipt,
      status,
      amount: moneyIn ? decimal(order.totalOrderAmount) : undefined,
      currency: moneyIn ? currency : undefined,
      payout,
    },
  };
}


/** Strict base64 (line breaks allowed): Buffer.from would skip any character it does not know. */
function base64(text: string): Buffer | undefined {
  const compact = text.replace(/[\r\n]/g, '');
  return /^[A-Za-z0-9+/]*={0,2}$/.test(compact) && compact.length % 4 === 0 ? Buffer.from(compact, 'base64') : undefined;
}

/** A JSON number or numeric string as the decimal string a postback carries; anything else is left out. */
function decimal(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
