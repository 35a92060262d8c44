import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiKey, loadConfig, startServer, systemClock } from '@waypost/server';

export interface ExampleServer {
  /** Where the server answers, such as `http://127.0.0.1:41234`; also the base of its links and snippets. */
  url: string;
  /** An admin key (`wp_sk_…`). */
  apiKey: string;
  close(): Promise<void>;
}

/**
 * A real Waypost server for an example's test, started through the server's public embedding API as a user
 * would: a free port, a fresh SQLite file in a temp folder, and an admin key.
 */
export async function startWaypost(options: { host?: string } = {}): Promise<ExampleServer> {
  const host = options.host ?? '127.0.0.1';
  const dir = mkdtempSync(join(tmpdir(), 'waypost-example-'));
  const config = loadConfig({ WAYPOST_DATABASE_URL: `file:${join(dir, 'waypost.db')}`, WAYPOST_PORT: '0' });
  const running = await startServer(config, { host });
  const url = `http://${host}:${(running.server.address() as AddressInfo).port}`;
  // The links (tracking and postback URLs, snippets) must name the port, known only now; the app reads the
  // configuration on each request.
  config.publicUrl = url;
  const { key } = await createApiKey({ store: running.store, clock: systemClock }, { role: 'admin', name: 'example test' });
  return {
    url,
    apiKey: key,
    async close() {
      await running.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
