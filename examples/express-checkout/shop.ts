// A one-product Express shop whose checkout reports each sale to Waypost with the Node SDK. The buyer's click id
// comes from the `waypost_cid` cookie (the tracking link or the lander's script set it) or `?click_id=`.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { Waypost } from '@waypost/node';
import express from 'express';

export interface ShopOptions {
  /** Reports the sales; made with an admin key (`wp_sk_…`). */
  waypost: Waypost;
  /** The product's price, a decimal in major units. @default '49.90' */
  price?: string;
  /** The ISO 4217 code of the price. @default 'USD' */
  currency?: string;
}

interface Order {
  id: string;
  total: string;
  currency: string;
}

/** The shop: `GET /checkout` shows the form, `POST /checkout` places the order. It does not listen yet. */
export function createShop({ waypost, price = '49.90', currency = 'USD' }: ShopOptions): express.Express {
  const orders = new Map<string, Order>();
  const app = express();
  app.use(express.urlencoded({ extended: false }));

  app.get('/', (_req, res) => res.redirect('/checkout'));

  app.get('/checkout', (req, res) => {
    // The order id is chosen with the page, so a form submitted twice places the same order twice.
    const orderId = newOrderId();
    // A click id in the checkout URL (a decorated link) must reach the POST too.
    const clickParam = typeof req.query.click_id === 'string' ? `?click_id=${encodeURIComponent(req.query.click_id)}` : '';
    res.type('html').send(
      page(
        'Checkout',
        `<h1>SunRoof starter kit</h1>
  <p>${price} ${currency}</p>
  <form method="post" action="/checkout${escapeHtml(clickParam)}">
    <input type="hidden" name="orderId" value="${orderId}">
    <button id="pay" type="submit">Pay ${price} ${currency}</button>
  </form>`,
      ),
    );
  });

  app.post('/checkout', async (req, res) => {
    const order = placeOrder(orders, req.body?.orderId, price, currency);

    // The click that brought this buyer: the waypost_cid cookie, or ?click_id= on the checkout URL.
    const clickId = Waypost.clickIdFrom(req);
    if (clickId) {
      try {
        // The order id is the transaction id: a checkout submitted twice counts once.
        await waypost.conversions.create({ clickId, amount: order.total, currency: order.currency, transactionId: order.id });
      } catch (error) {
        // The order is placed either way: tracking trouble must not fail a checkout.
        console.error('Waypost did not record the conversion', error);
      }
    }

    res.type('html').send(
      page('Thank you', `<h1>Thank you!</h1>\n  <p>Order <strong id="order-id">${order.id}</strong> of ${order.total} ${order.currency} is confirmed.</p>`),
    );
  });

  return app;
}

// Stands in for your own order code: the order id is its key, so placing an order again returns it.
function placeOrder(orders: Map<string, Order>, id: unknown, total: string, currency: string): Order {
  const orderId = typeof id === 'string' && /^A-[0-9a-f]{12}$/.test(id) ? id : newOrderId();
  const order = orders.get(orderId) ?? { id: orderId, total, currency };
  orders.set(orderId, order);
  return order;
}

function newOrderId(): string {
  return `A-${randomBytes(6).toString('hex')}`;
}

function page(title: string, body: string): string {
  return `<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title>${title}</title></head>\n<body>\n  ${body}\n</body>\n</html>\n`;
}

function escapeHtml(value: string): string {
  return value.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);
}

// `node --import tsx shop.ts` runs this; importing the file (the tests do) does not.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { WAYPOST_URL, WAYPOST_API_KEY } = process.env;
  if (!WAYPOST_URL || !WAYPOST_API_KEY) throw new Error('set WAYPOST_URL and WAYPOST_API_KEY (see README.md)');
  const waypost = new Waypost({ apiKey: WAYPOST_API_KEY, baseUrl: WAYPOST_URL });
  const server = createShop({ waypost }).listen(Number(process.env.PORT ?? 3000), () => {
    console.log(`Shop on http://localhost:${(server.address() as AddressInfo).port}/checkout`);
  });
}
