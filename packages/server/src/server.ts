import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type express from 'express';
import { createApp } from './app.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import { runMaintenance } from './engine/maintenance.js';
import { scheduleLogRetention } from './engine/retention.js';
import { ensureRollupTimezone } from './engine/reports.js';
import { Metrics } from './metrics.js';
import { OutboxDispatcher } from './outbox/dispatcher.js';
import { systemClock } from './clock.js';
import { openStore, type Store } from './storage/index.js';

/** Starts listening; resolves once the port is bound. Port 0 picks a free port (tests). */
export function listen(app: express.Express, port: number, host?: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host ?? '::', (error?: Error) => (error ? reject(error) : resolve(server)));
    server.once('error', reject);
  });
}

export interface RunningServer {
  server: Server;
  store: Store;
  /** Sends the outbox: publisher postbacks and conversion e-mails. */
  outbox: OutboxDispatcher;
  url: string;
  close(): Promise<void>;
}

/** Opens and migrates the store, builds the app and listens: what `waypost serve` does. */
export async function startServer(config: Config, options: { clock?: Clock; host?: string } = {}): Promise<RunningServer> {
  const store = openStore(config.databaseUrl);
  await store.migrate();
  await ensureRollupTimezone({ store, config });
  // One set of metrics for the app and the outbox dispatcher, which counts delivery failures.
  const metrics = config.metricsToken ? new Metrics(store) : undefined;
  const app = createApp({ store, config, metrics, ...(options.clock ? { clock: options.clock } : {}) });
  const server = await listen(app, config.port, options.host);
  // Holds and threshold periods end with time, not with requests.
  const context = { store, config, clock: options.clock ?? systemClock, metrics };
  const maintenance = setInterval(() => {
    runMaintenance(context).catch((error: unknown) => console.error('maintenance failed:', error));
  }, 60_000);
  maintenance.unref();
  // The postback log and the delivery log are pruned shortly after start, then hourly (WAYPOST_LOG_RETENTION_DAYS).
  const retention = scheduleLogRetention(context);
  // Postbacks and e-mails that a previous run left pending (a crash, a down receiver) go out now.
  const outbox = new OutboxDispatcher(context).start();
  const { port } = server.address() as AddressInfo;
  // A server asked for any free port (0) without a public URL links to the port it got.
  if (config.publicUrl === 'http://localhost:0') config.publicUrl = `http://localhost:${port}`;
  return {
    server,
    store,
    outbox,
    url: `http://localhost:${port}`,
    async close() {
      clearInterval(maintenance);
      await retention.stop();
      await outbox.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await store.close();
    },
  };
}
