import { existsSync, statSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type express from 'express';
import { createApp } from './app.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import { runMaintenance } from './engine/maintenance.js';
import { scheduleFxFeed } from './fx/feed.js';
import { scheduleLogRetention } from './engine/retention.js';
import { ensureRollupTimezone } from './engine/reports.js';
import { Metrics } from './metrics.js';
import { OutboxDispatcher } from './outbox/dispatcher.js';
import { systemClock } from './clock.js';
import { openStore, type Store } from './storage/index.js';
import { claimDatabase, type ServerLock } from './storage/sqlite/server-lock.js';
import { databaseInUseError, databaseStartError, listenStartError, sqlitePath } from './startup.js';

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
  /**
   * Stops gracefully, as on SIGTERM: no new connections; the requests already accepted are answered (each with
   * `Connection: close`); the outbox's current batch and the background jobs finish; the database is closed.
   * What is still open after `graceMs` (a stalled client, a slow postback receiver) is cut, and `forced` says so.
   * Calling it again returns the same promise.
   */
  close(options?: { graceMs?: number }): Promise<{ forced: boolean }>;
}

/**
 * How long a shutdown waits for requests in flight and the outbox's current batch before it cuts them: with the
 * database's close after it, the process ends within the 10 s that service managers give before SIGKILL.
 */
export const SHUTDOWN_GRACE_MS = 8_000;

/**
 * Claims the database, opens and migrates the store, builds the app and listens: what `waypost serve` does.
 * Failing to start throws a StartupError that names the cause and the setting to change, with nothing left open.
 */
export async function startServer(config: Config, options: { clock?: Clock; host?: string } = {}): Promise<RunningServer> {
  const { store, lock } = await openServerStore(config);
  // One set of metrics for the app and the outbox dispatcher, which counts delivery failures.
  const metrics = config.metricsToken ? new Metrics(store) : undefined;
  let server: Server;
  try {
    await ensureRollupTimezone({ store, config }).catch((error: unknown) => {
      throw databaseStartError(error, config.databaseUrl);
    });
    const app = createApp({ store, config, metrics, ...(options.clock ? { clock: options.clock } : {}) });
    server = await listen(app, config.port, options.host).catch((error: unknown) => {
      throw listenStartError(error, config.port);
    });
  } catch (error) {
    await store.close().catch(() => {});
    lock?.release();
    throw error;
  }
  // Holds and threshold periods end with time, not with requests.
  const context = { store, config, clock: options.clock ?? systemClock, metrics };
  let maintenanceRun: Promise<unknown> = Promise.resolve();
  const maintenance = setInterval(() => {
    maintenanceRun = runMaintenance(context).catch((error: unknown) => console.error('maintenance failed:', error));
  }, 60_000);
  maintenance.unref();
  // The postback log and the delivery log are pruned shortly after start, then hourly (WAYPOST_LOG_RETENTION_DAYS).
  const retention = scheduleLogRetention(context);
  // WAYPOST_FX_URL: the rates feed is read now, then every 6 hours.
  const fxFeed = config.fxUrl ? scheduleFxFeed(context) : undefined;
  // Postbacks and e-mails that a previous run left pending (a crash, a down receiver) go out now.
  const outbox = new OutboxDispatcher(context).start();
  const answering = trackResponses(server);
  const { port } = server.address() as AddressInfo;
  // A server asked for any free port (0) without a public URL links to the port it got.
  if (config.publicUrl === 'http://localhost:0') config.publicUrl = `http://localhost:${port}`;

  const shutdown = async (graceMs: number): Promise<{ forced: boolean }> => {
    // The signal may be handled before the requests that arrived with it are read: later in this turn of the event
    // loop on an open connection, in the next on one accepted in this turn. Two turns let them begin, so that closing
    // the idle connections below cannot cut a request that was sent before the signal.
    for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
    let expire!: () => void;
    const expired = new Promise<true>((resolve) => (expire = () => resolve(true)));
    const timer = setTimeout(expire, graceMs);
    answering.drain();
    // Stops listening and closes idle keep-alive connections; the callback comes once every answer is sent.
    const answered = new Promise<void>((resolve) => server.close(() => resolve()));
    clearInterval(maintenance);
    const finished = Promise.all([answered, outbox.stop({ graceMs }), retention.stop(), fxFeed?.stop(), maintenanceRun]);
    const forced = await Promise.race([finished.then(() => false), expired]);
    clearTimeout(timer);
    if (forced) {
      server.closeAllConnections();
      await Promise.race([finished, new Promise((resolve) => setTimeout(resolve, 500))]);
    }
    // Everything acknowledged is committed already (an answer waits for its commit); this commits what is queued.
    await store.close();
    lock?.release();
    return { forced };
  };
  let closing: Promise<{ forced: boolean }> | undefined;
  return {
    server,
    store,
    outbox,
    url: `http://localhost:${port}`,
    close: ({ graceMs = SHUTDOWN_GRACE_MS } = {}) => (closing ??= shutdown(graceMs)),
  };
}

/** The store for a server: an SQLite file is claimed first (one server process each), then opened and migrated. */
async function openServerStore(config: Config): Promise<{ store: Store; lock: ServerLock | null }> {
  const path = sqlitePath(config.databaseUrl);
  let lock: ServerLock | null = null;
  let store: Store | undefined;
  try {
    if (path) {
      // A folder where the file should be would be claimed as `PATH.lock` beside it before failing to open.
      if (existsSync(path) && statSync(path).isDirectory()) throw new Error('a folder');
      lock = claimDatabase(path);
      if (!lock) throw databaseInUseError(path);
    }
    store = openStore(config.databaseUrl);
    await store.migrate();
    return { store, lock };
  } catch (error) {
    await store?.close().catch(() => {});
    lock?.release();
    throw databaseStartError(error, config.databaseUrl);
  }
}

/**
 * Follows the connections, so that a shutdown can ask every answer in flight to close its connection once sent: Node
 * keeps a keep-alive connection open after `server.close()`, and the close callback would wait for the client's idle
 * timeout. Nothing is done per request until the shutdown (a listener on every response slowed the tracking path).
 */
function trackResponses(server: Server): { drain(): void } {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return {
    drain() {
      // Requests that still arrive on open connections are answered, and their connections closed.
      server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => res.setHeader('Connection', 'close'));
      for (const socket of sockets) {
        // The response a connection is writing: Node keeps it on the socket (http-terminator reads the same field).
        const res = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
        // Idle connections are closed by server.close().
        if (!res || res.writableFinished) continue;
        if (!res.headersSent) res.setHeader('Connection', 'close');
        // An answer whose headers went out before the shutdown said keep-alive: its connection is idle once it is sent.
        else res.once('close', () => server.closeIdleConnections());
      }
    },
  };
}
