// Run the Waypost server inside your own Node process, on an embedded SQLite file.
import { createApp, createApiKey, listen, loadConfig, openStore, systemClock } from '@waypost/server';

const config = loadConfig({ ...process.env, WAYPOST_DATABASE_URL: process.env.WAYPOST_DATABASE_URL ?? 'file:./waypost.db' });
const store = openStore(config.databaseUrl);
await store.migrate();

const app = createApp({ store, config });
const server = await listen(app, 0); // port 0: any free port
const { port } = server.address() as { port: number };
const { key } = await createApiKey({ store, clock: systemClock }, { role: 'admin', name: 'embedded' });

const response = await fetch(`http://localhost:${port}/v1/offers`, {
  method: 'POST',
  headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
  body: JSON.stringify({ name: 'Solar US', url: 'https://shop.example.com/?cid={click_id}', payout: { model: 'cpa', amount: '25.00' } }),
});
const offer = (await response.json()) as { name: string; currency: string; payout: { amount: string } };
console.log(response.status, offer.name, offer.payout.amount, offer.currency);

server.close();
await store.close();
