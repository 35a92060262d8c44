// The baseline: a bare Express 5 route that only answers 302. Prints its URL, then serves until killed.
import type { AddressInfo } from 'node:net';
import express from 'express';

const app = express();
app.get('/c/:id', (_req, res) => res.redirect(302, 'https://example.com/'));
const server = app.listen(0, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
// Exit normally on SIGTERM, so that a CPU profile (BENCH_PROFILE) is written.
process.once('SIGTERM', () => server.close(() => process.exit(0)));
