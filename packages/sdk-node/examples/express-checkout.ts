import express from 'express';
import { Waypost } from '@waypost/node';

const waypost = new Waypost({ apiKey: process.env.WAYPOST_API_KEY!, baseUrl: process.env.WAYPOST_BASE_URL! });

export function createApp(): express.Express {
  const app = express();
  app.use(express.json());

  app.post('/checkout', async (req, res) => {
    const order = await placeOrder(req.body);

    // The click that brought this buyer: the waypost_cid cookie the tracking link set, or ?click_id=.
    const clickId = Waypost.clickIdFrom(req);
    if (clickId) {
      try {
        await waypost.conversions.create({ clickId, amount: order.total, currency: 'EUR', transactionId: order.id });
      } catch (error) {
        // The order is placed either way: tracking trouble must not fail a checkout.
        console.error('Waypost did not record the conversion', error);
      }
    }

    res.json({ orderId: order.id });
  });

  return app;
}

// Stands in for your own order code.
async function placeOrder(cart: { total: string }): Promise<{ id: string; total: string }> {
  return { id: `A-${Date.now()}`, total: cart.total };
}
