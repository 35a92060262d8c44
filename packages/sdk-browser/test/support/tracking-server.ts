import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the tracking server received. `body` is the parsed JSON of a POST, `query` the query string. */
export interface ReceivedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType: string | undefined;
  body: any;
}

export type Behaviour = 'answer' | 'hang' | 'fail';

/**
 * A stand-in for the Waypost server's public tracking endpoints on a real port: it answers `/v1/visits`,
 * `/v1/conversions/browser` and `/pixel.gif` as the Waypost server does, with the CORS headers the browser
 * needs to read a cross-origin reply, and records every request.
 */
export async function startTrackingServer() {
  const requests: ReceivedRequest[] = [];
  const hanging = new Set<ServerResponse>();
  const state = { visits: 'answer' as Behaviour, conversions: 'answer' as Behaviour, issuedClickId: 'srvClick0001AbCdEf' };
  const seenTransactions = new Map<string, string>();

  const reply = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };

  const handle = (request: IncomingMessage, response: ServerResponse, text: string) => {
    const url = new URL(request.url!, 'http://tracking.test');
    response.setHeader('access-control-allow-origin', request.headers.origin ?? '*');
    if (request.method == 'OPTIONS') {
      // A browser sends no preflight for a text/plain POST; happy-dom does, so the stand-in answers it.
      response.setHeader('access-control-allow-methods', 'POST');
      response.writeHead(204).end();
      return;
    }
    requests.push({
      method: request.method!,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      contentType: request.headers['content-type'],
      body: text ? JSON.parse(text) : undefined,
    });
    const behaviour = url.pathname == '/v1/visits' ? state.visits : state.conversions;
    if (url.pathname == '/pixel.gif') {
      response.writeHead(200, { 'content-type': 'image/gif' }).end();
    } else if (behaviour == 'hang') {
      hanging.add(response);
    } else if (behaviour == 'fail') {
      reply(response, 404, { error: { code: 'unknown_click', message: 'No click has this id.' } });
    } else if (url.pathname == '/v1/visits') {
      const visit = JSON.parse(text);
      reply(response, 200, {
        clickId: visit.clickId ?? state.issuedClickId,
        // A campaign visit's offer is the one the server picked.
        offerId: visit.offerId ?? (visit.campaignId ? 'campaignOffer1' : undefined),
        publisherId: visit.publisherId ?? null,
        sub1: visit.sub1 ?? null,
        sub2: null,
        sub3: null,
        sub4: null,
        sub5: null,
      });
    } else if (url.pathname == '/v1/conversions/browser') {
      const conversion = JSON.parse(text);
      const first = seenTransactions.get(conversion.transactionId);
      const conversionId = first ?? `conv${requests.length}`;
      if (conversion.transactionId) seenTransactions.set(conversion.transactionId, conversionId);
      reply(response, 200, { status: first ? 'duplicate' : 'accepted', conversionId });
    } else {
      reply(response, 404, { error: { code: 'not_found', message: 'Unknown path.' } });
    }
  };

  const server = createServer((request, response) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk) => (text += chunk));
    request.on('end', () => handle(request, response, text));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    endpoint,
    requests,
    state,
    /** The requests to one path, in the order they arrived. */
    to: (path: string) => requests.filter((request) => request.path == path),
    /** Waits until `count` requests to `path` have arrived. */
    async waitFor(path: string, count = 1) {
      for (let waited = 0; requests.filter((request) => request.path == path).length < count; waited += 10) {
        if (waited > 2000) throw new Error(`expected ${count} request(s) to ${path}, got ${JSON.stringify(requests)}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return requests.filter((request) => request.path == path);
    },
    reset() {
      // Answer what an earlier test left hanging, so that nothing is still pending when the next one starts.
      for (const response of hanging) reply(response, 503, { error: { code: 'unavailable', message: 'Released.' } });
      hanging.clear();
      requests.length = 0;
      seenTransactions.clear();
      state.visits = 'answer';
      state.conversions = 'answer';
    },
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export type TrackingServer = Awaited<ReturnType<typeof startTrackingServer>>;

/** An endpoint where nothing listens: every request to it fails, as when the tracking server is down. */
export async function downEndpoint(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}
