// A Stripe webhook that turns a paid Checkout Session into a Waypost conversion. Your checkout put the buyer's
// click id in the session's `client_reference_id`; the webhook reports the session's total in its currency, with
// the session id as the transaction id, so a redelivered event counts once.
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { isWaypostNotFoundError, isWaypostValidationError, Waypost } from '@waypost/node';
import express from 'express';
import Stripe from 'stripe';

export interface StripeWebhookOptions {
  /** Your Stripe client; the webhook uses only its signature check, which makes no request to Stripe. */
  stripe: Stripe;
  /** The endpoint's signing secret (`whsec_…`), from the Dashboard or from `stripe listen`. */
  webhookSecret: string;
  /** Reports the conversions; made with an admin key (`wp_sk_…`). */
  waypost: Waypost;
}

/** `POST /webhooks/stripe`. Mount it before any JSON body parser: the signature covers the raw body. */
export function stripeWebhook({ stripe, webhookSecret, waypost }: StripeWebhookOptions): express.Router {
  const router = express.Router();
  router.post('/webhooks/stripe', express.raw({ type: 'application/json' }), async (req, res) => {
    let event: Stripe.Event;
    try {
      // Stripe-Signature: t=TIMESTAMP,v1=HMAC-SHA256(secret, `${t}.${body}`); older than 5 minutes is refused too.
      event = stripe.webhooks.constructEvent(req.body, req.get('stripe-signature') ?? '', webhookSecret);
    } catch (error) {
      res.status(400).json({ error: { code: 'invalid_signature', message: (error as Error).message } });
      return;
    }

    const session = paidSession(event);
    const clickId = session?.client_reference_id;
    if (!session || !clickId) {
      res.json({ received: true, tracked: false });
      return;
    }
    try {
      const result = await waypost.conversions.create({
        clickId,
        amount: session.amount_total === null || !session.currency ? undefined : decimal(session.amount_total, session.currency),
        currency: session.currency?.toUpperCase(),
        transactionId: session.id,
      });
      res.json({ received: true, tracked: true, conversion: result });
    } catch (error) {
      // A click that Waypost does not know will not become known: answer 2xx so that Stripe stops redelivering.
      if (isWaypostNotFoundError(error) || isWaypostValidationError(error)) {
        res.json({ received: true, tracked: false, reason: error.message });
        return;
      }
      // Anything else may pass: an error answer makes Stripe redeliver, and the session id keeps it one conversion.
      console.error('Waypost did not record the conversion', error);
      res.status(500).json({ error: { code: 'conversion_not_recorded', message: 'Waypost did not record the conversion; Stripe will retry' } });
    }
  });
  return router;
}

/**
 * The session of a paid checkout. A card payment completes the session paid; a delayed method (a bank debit)
 * completes it unpaid and sends `checkout.session.async_payment_succeeded` once the money is in.
 */
function paidSession(event: Stripe.Event): Stripe.Checkout.Session | undefined {
  if (event.type === 'checkout.session.completed' && event.data.object.payment_status === 'paid') return event.data.object;
  if (event.type === 'checkout.session.async_payment_succeeded') return event.data.object;
  return undefined;
}

// Stripe amounts are integers in the currency's smallest unit as Stripe counts it (docs.stripe.com/currencies):
// two decimals unless listed here. Waypost takes a decimal string in major units.
const ZERO_DECIMAL = ['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf'];
const THREE_DECIMAL = ['bhd', 'jod', 'kwd', 'omr', 'tnd'];

/** 4990 usd → "49.90", 5000 jpy → "5000", 12345 kwd → "12.345". */
function decimal(amount: number, currency: string): string {
  const code = currency.toLowerCase();
  const places = ZERO_DECIMAL.includes(code) ? 0 : THREE_DECIMAL.includes(code) ? 3 : 2;
  const digits = String(amount).padStart(places + 1, '0');
  return places === 0 ? digits : `${digits.slice(0, -places)}.${digits.slice(-places)}`;
}

// `node --import tsx webhook.ts` runs this; importing the file (the tests do) does not.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET, WAYPOST_URL, WAYPOST_API_KEY } = process.env;
  if (!STRIPE_SECRET_KEY || !STRIPE_WEBHOOK_SECRET || !WAYPOST_URL || !WAYPOST_API_KEY) {
    throw new Error('set STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET, WAYPOST_URL and WAYPOST_API_KEY (see README.md)');
  }
  const app = express();
  app.use(
    stripeWebhook({
      stripe: new Stripe(STRIPE_SECRET_KEY),
      webhookSecret: STRIPE_WEBHOOK_SECRET,
      waypost: new Waypost({ apiKey: WAYPOST_API_KEY, baseUrl: WAYPOST_URL }),
    }),
  );
  const server = app.listen(Number(process.env.PORT ?? 4242), () => {
    console.log(`Stripe webhook on http://localhost:${(server.address() as AddressInfo).port}/webhooks/stripe`);
  });
}
