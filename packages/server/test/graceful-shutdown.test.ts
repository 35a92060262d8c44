import { Agent, createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { createApiKey } from '../src/keys.js';
import { openStore } from '../src/storage/index.js';
import { backends, freshDatabaseUrl, spawnServer } from './support/harness.js';

/** One request of the load, and what became of it. */
interface Sent {
  kind: 'click' | 'postback';
  /** Whether the request was written out before SIGTERM was sent; undefined while it was never written. */
  beforeSignal?: boolean;
  status?: number;
  /** Answered after SIGTERM was sent: a request in flight at the signal when it was also written before it. */
  answeredAfterSignal?: boolean;
  error?: string;
  clickId?: string;
  conversionId?: string;
}

const WORKERS = 8;
const ROUNDS = 40;
/** Answers before the signal: enough for every worker's connection to be open and busy. */
const ANSWERS_BEFORE_SIGNAL = 60;

/** A publisher's tracker that holds every postback until `release()`: a batch in flight when the server is told to stop. */
async function startHoldingReceiver() {
  const held: ServerResponse[] = [];
  const deliveryIds: string[] = [];
  let released = false;
  let onRequest = () => {};
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    deliveryIds.push(String(req.headers['x-waypost-delivery']));
    if (released) res.end('ok');
    else held.push(res);
    onRequest();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    held,
    deliveryIds,
    onRequest: (listener: () => void) => (onRequest = listener),
    release() {
      released = true;
      for (const res of held.splice(0)) res.end('ok');
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe.each(backends())('stopping the server with SIGTERM on %s', (backend) => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('answers every request sent before the signal, keeps every acknowledged click and conversion, finishes the postbacks in flight and exits 0', async () => {
    const databaseUrl = await freshDatabaseUrl(backend);
    const setup = openStore(databaseUrl);
    await setup.migrate();
    const { key: adminKey } = await createApiKey({ store: setup, clock: systemClock }, { role: 'admin', name: 'shutdown test' });
    await setup.close();
    const receiver = await startHoldingReceiver();
    cleanups.push(() => receiver.close());
    const { child, url } = await spawnServer(databaseUrl, 'serve');
    cleanups.push(() => child.kill('SIGKILL'));
    let output = '';
    let stopping!: () => void;
    const stoppingSaid = new Promise<void>((resolve) => (stopping = resolve));
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Waypost stopping')) stopping();
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<{ code: number | null; at: number }>((resolve) => child.once('exit', (code) => resolve({ code, at: performance.now() })));

    const api = async (path: string, body: unknown) => {
      const response = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(201);
      return (await response.json()) as any;
    };
    const publisher = await api('/v1/publishers', { name: 'Shutdown publisher', postbackUrl: `${receiver.url}/pb?cid={click_id}` });
    const offer = await api('/v1/offers', { name: 'Shutdown offer', url: 'https://shop.example.com/?cid={click_id}', payout: { model: 'cpa', amount: '5.00' } });

    // Load on keep-alive connections; the signal goes once enough answers came back and a postback is in flight.
    const agent = new Agent({ keepAlive: true, maxSockets: WORKERS });
    cleanups.push(() => agent.destroy());
    const sent: Sent[] = [];
    let signalled: number | undefined;
    let answers = 0;
    let signal!: () => void;
    const signalSent = new Promise<void>((resolve) => (signal = resolve));
    const maybeSignal = () => {
      if (signalled !== undefined || answers < ANSWERS_BEFORE_SIGNAL || receiver.held.length === 0) return;
      child.kill('SIGTERM');
      signalled = performance.now();
      signal();
    };
    receiver.onRequest(maybeSignal);

    /** Sends one request on the keep-alive agent; resolves with its entry once answered or failed. */
    const send = (kind: Sent['kind'], path: string): Promise<Sent> =>
      new Promise((resolve) => {
        const entry: Sent = { kind };
        sent.push(entry);
        const fail = (error: Error) => {
          entry.error = error.message;
          resolve(entry);
        };
        const req = request(`${url}${path}`, { agent }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('error', fail);
          res.on('end', () => {
            entry.status = res.statusCode;
            entry.answeredAfterSignal = signalled !== undefined;
            if (kind === 'click' && res.headers.location) entry.clickId = new URL(res.headers.location).searchParams.get('cid') ?? undefined;
            if (kind === 'postback' && res.statusCode === 200) entry.conversionId = (JSON.parse(body) as { conversionId: string }).conversionId;
            answers += 1;
            maybeSignal();
            resolve(entry);
          });
        });
        // 'finish': the request is written out to the operating system, so the server can read it.
        req.on('finish', () => (entry.beforeSignal = signalled === undefined));
        req.on('error', fail);
        req.end();
      });

    let transaction = 0;
    const worker = async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const click = await send('click', `/c/${offer.id}?pub=${publisher.id}`);
        if (click.status !== 302) return;
        transaction += 1;
        const postback = await send('postback', `/postback?click_id=${click.clickId}&transaction_id=T-${transaction}&amount=10&token=${offer.postbackToken}`);
        if (postback.status !== 200) return;
      }
    };
    const workers = Promise.all(Array.from({ length: WORKERS }, worker));

    await signalSent;
    // The receiver answers the postbacks it held only once the server has begun to stop: its dispatcher must wait
    // for the answers of the batch in flight, not drop them.
    await stoppingSaid;
    receiver.release();
    const { code, at } = await exited;
    await workers;

    expect(code).toBe(0);
    expect(at - signalled!).toBeLessThan(10_000);
    expect(output).toContain('Waypost stopping (SIGTERM)');
    expect(output).toMatch(/Waypost stopped\n/);

    const beforeSignal = sent.filter((entry) => entry.beforeSignal);
    expect(beforeSignal.length).toBeGreaterThan(ANSWERS_BEFORE_SIGNAL);
    // Every request written before the signal got a whole answer: none was cut or refused.
    expect(beforeSignal.filter((entry) => entry.error !== undefined || entry.status === undefined)).toEqual([]);
    // Some were still in flight when the signal went, or the test proved nothing.
    expect(beforeSignal.filter((entry) => entry.answeredAfterSignal).length).toBeGreaterThan(0);

    const store = openStore(databaseUrl);
    cleanups.push(() => store.close());
    const clicks = sent.filter((entry) => entry.kind === 'click' && entry.status === 302);
    const conversions = sent.filter((entry) => entry.kind === 'postback' && entry.status === 200);
    expect(clicks.length).toBeGreaterThan(0);
    expect(conversions.length).toBeGreaterThan(0);
    for (const click of clicks) expect(await store.clicks.get(click.clickId!), `click ${click.clickId}`).toBeDefined();
    for (const conversion of conversions) expect(await store.conversions.get(conversion.conversionId!), `conversion ${conversion.conversionId}`).toBeDefined();
    // The postbacks that were in flight finished and were recorded as delivered, not dropped to be sent again.
    expect(receiver.deliveryIds.length).toBeGreaterThan(0);
    for (const id of receiver.deliveryIds) expect((await store.outbox.get(id))?.status, `delivery ${id}`).toBe('delivered');
  });
});
