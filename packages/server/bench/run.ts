// `pnpm bench`: every benchmark of the server, measured in one run on this machine. Loopback only, bounded in time.
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createApiKey } from '../src/keys.js';
import { listen } from '../src/server.js';
import { openStore } from '../src/storage/index.js';
import { systemClock } from '../src/clock.js';
import { load, report } from './autocannon.js';

const dir = mkdtempSync(join(tmpdir(), 'waypost-bench-'));
try {
  const bare = express();
  bare.get('/c/:id', (_req, res) => res.redirect(302, 'https://example.com/'));
  const bareServer = await listen(bare, 0, '127.0.0.1');
  const bareUrl = `http://127.0.0.1:${(bareServer.address() as AddressInfo).port}`;

  const config = loadConfig({ WAYPOST_DATABASE_URL: `file:${join(dir, 'bench.db')}` });
  const store = openStore(config.databaseUrl);
  await store.migrate();
  const server = await listen(createApp({ store, config }), 0, '127.0.0.1');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { key } = await createApiKey({ store, clock: systemClock }, { role: 'admin' });
  const auth = { authorization: `Bearer ${key}` };
  for (let i = 0; i < 20; i++) {
    await fetch(`${url}/v1/offers`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `Bench ${i}`, url: 'https://example.com/?c={click_id}', payout: { model: 'cpa', amount: '1' } }),
    });
  }

  console.log('Waypost server benchmarks (SQLite, 50 connections, 5 s each)\n');
  const baseline = await load(`${bareUrl}/c/x`);
  report('bare Express 5 route answering 302', `${baseline.requestsPerSecond.toFixed(0)} req/s, p99 ${baseline.p99} ms`);
  const list = await load(`${url}/v1/offers?limit=20`, { headers: auth });
  report('GET /v1/offers?limit=20 (admin key, SQLite)', `${list.requestsPerSecond.toFixed(0)} req/s, p99 ${list.p99} ms, ${list.non2xx} non-2xx`);

  bareServer.close();
  server.close();
  await store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
