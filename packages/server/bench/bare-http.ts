// For scale: a 302 from Node's own HTTP server, no framework. Tracking links skip Express's router (src/http/lane.ts),
// so the bare Express route is no longer the floor; this one is. Prints its URL, then serves until killed.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const server = createServer((_req, res) => {
  res.writeHead(302, { Location: 'https://example.com/', 'Content-Length': '0' });
  res.end();
});
server.listen(0, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
