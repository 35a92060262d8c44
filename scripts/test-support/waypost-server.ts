import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiKey, loadConfig, startServer, systemClock } from '@waypost/server';

export interface ExampleServer {
  /** Where the server answers, such as `http://127.0.0.1:41234`. */
  url: string;
  /** The base of its links and snippets (`WAYPOST_PUBLIC_URL`): `url`, or the same port under `publicHost`. */
  publicUrl: string;
  /** An admin key (`wp_sk_…`). */
  apiKey: string;
  close(): Promise<void>;
}

/**
 * A real Waypost server for an example's test or the e2e specs, started through the server's public embedding API
 * as a user would: a free port, a fresh SQLite file in a temp folder, and an admin key. `publicHost` names the
 * server in its links, for a browser that maps that name to `host` (e2e: `track.waypost.test`).
 */
export async function startWaypost(options: { host?: string; publicHost?: string } = {}): Promise<ExampleServer> {
  const host = options.host ?? '127.0.0.1';
  // On tmpfs where there is one: the server fsyncs every commit (synchronous=FULL), which costs a few hundred
  // milliseconds a write on a busy disk, and these tests are not about the disk.
  const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'waypost-example-'));
  // Examples and e2e specs run their receivers on loopback, which the outbound policy refuses by default (README,
  // Security).
  const config = loadConfig({ WAYPOST_DATABASE_URL: `file:${join(dir, 'waypost.db')}`, WAYPOST_PORT: '0', WAYPOST_ALLOW_PRIVATE_DESTINATIONS: 'true' });
  const running = await startServer(config, { host });
  const { port } = running.server.address() as AddressInfo;
  const url = `http://${host}:${port}`;
  // The links (tracking and postback URLs, snippets) must name the port, known only now; the app reads the
  // configuration on each request.
  config.publicUrl = `http://${options.publicHost ?? host}:${port}`;
  const { key } = await createApiKey({ store: running.store, clock: systemClock }, { role: 'admin', name: 'example test' });
  return {
    url,
    publicUrl: config.publicUrl,
    apiKey: key,
    async close() {
      await running.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
