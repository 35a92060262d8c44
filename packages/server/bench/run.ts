// `pnpm bench`: the server's figures, measured in one run on this machine. Loopback only; every load is bounded.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CreateOfferParamsSchema, CreatePublisherParamsSchema } from '@waypost/schema';
import { systemClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { addToRollups, bookConversion } from '../src/engine/rollups.js';
import { ensureRollupTimezone } from '../src/engine/reports.js';
import { newClickId, newId } from '../src/ids.js';
import { createApiKey } from '../src/keys.js';
import { newOffer, newPublisher } from '../src/records.js';
import { openStore, type Store } from '../src/storage/index.js';
import type { ClickRecord, ConversionRecord } from '../src/storage/store.js';
import { load, type LoadResult, report, steadyLatency } from './autocannon.js';
import { campaignReports } from './campaign-reports.js';

const only = process.argv[2];
const dir = mkdtempSync(join(tmpdir(), 'waypost-bench-'));

const SERVER_ROOT = fileURLToPath(new URL('..', import.meta.url));

const CLI = existsSync(join(SERVER_ROOT, 'dist', 'cli.js')) ? 'dist/cli.js' : 'src/cli.ts';

/** Runs a server in its own process, so that the load generator never shares its event loop. The built CLI is used when present. */
function spawnServer(args: string[]): Promise<{ url: string; cpuMs: () => number; stop: () => Promise<void> }> {
  const [script, ...rest] = args;
  // BENCH_PROFILE=DIR writes a V8 CPU profile of each server process into DIR (open it in Chrome DevTools).
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE] : [];
  const command = [...profile, ...(script === 'src/cli.ts' ? [CLI, ...rest] : ['--import', 'tsx', script!, ...rest])];
  const child = spawn(process.execPath, command, { cwd: SERVER_ROOT, env: { ...process.env, WAYPOST_PUBLIC_URL: '' } });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        resolve({
          url: match[1]!.replace('localhost', '127.0.0.1'),
          cpuMs: () => processCpuMs(child.pid!),
          stop: () => new Promise((done) => (child.once('exit', () => done()), child.kill('SIGTERM'))),
        });
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
}

/**
 * CPU time (user + system) a process has used so far, from /proc: unlike throughput, it does not move when other
 * work shares the machine. NaN where /proc is missing.
 */
function processCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of stat(5), counted from the state field (3) here; 100 ticks a second.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/** CPU time per request, in microseconds, of a server over a measured load. */
async function cpuPerRequest<T extends { total: number }>(server: { cpuMs: () => number }, run: () => Promise<T>) {
  const before = server.cpuMs();
  const result = await run();
  return { result, micros: ((server.cpuMs() - before) * 1000) / result.total };
}

/** A database with an admin key, an offer and a publisher, seeded before the server process opens it. */
async function seed(name: string, offer: Record<string, unknown>, fill?: (store: Store, offerId: string, publisherId: string) => Promise<void>) {
  const databaseUrl = `file:${join(dir, `${name}.db`)}`;
  const config = loadConfig({ WAYPOST_DATABASE_URL: databaseUrl });
  const store = openStore(databaseUrl);
  await store.migrate();
  await ensureRollupTimezone({ store, config });
  const context = { store, config, clock: systemClock };
  const { key } = await createApiKey(context, { role: 'admin' });
  const publisher = newPublisher(CreatePublisherParamsSchema.parse({ name: 'Bench publisher' }), new Date());
  await store.publishers.insert(publisher);
  const publisherId = publisher.id;
  const offerRecord = newOffer(CreateOfferParamsSchema.parse({ name: `Bench ${name}`, url: 'https://example.com/?c={click_id}&s={sub1}', ...offer }), {
    currency: 'USD',
    now: new Date(),
    workspaceId: (await store.workspaces.first()).id,
  });
  await store.offers.insert(offerRecord);
  if (fill) await fill(store, offerRecord.id, publisherId);
  await store.close();
  return { databaseUrl, key, offer: offerRecord, publisherId };
}

/** The middle value: this machine is a VM whose speed drifts between runs, so each pair is measured three times. */
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * A 302 from Node's HTTP server without a framework, loaded once for 3 s: the floor under every route, for scale, now
 * that the tracking links no longer go through Express's router.
 */
async function frameworkFree(): Promise<{ requestsPerSecond: number; micros: number }> {
  const server = await spawnServer(['bench/bare-http.ts']);
  await load(`${server.url}/c/x`, { seconds: 1 });
  const { result, micros } = await cpuPerRequest(server, () => load(`${server.url}/c/x`, { seconds: 3 }));
  await server.stop();
  return { requestsPerSecond: result.requestsPerSecond, micros };
}

const scaleLine = (floor: { requestsPerSecond: number; micros: number }, tracked: number) =>
  `${floor.requestsPerSecond.toFixed(0)} req/s, ${floor.micros.toFixed(0)} µs CPU a request; tracked at ${(tracked / floor.requestsPerSecond).toFixed(2)} of it`;

async function clicks() {
  const bare = await spawnServer(['bench/bare.ts']);
  const { databaseUrl, offer, publisherId } = await seed('clicks', { payout: { model: 'cpa', amount: '1' } });
  const waypost = await spawnServer(['src/cli.ts', 'serve', '--port', '0', '--database-url', databaseUrl]);
  const trackingUrl = `${waypost.url}/c/${offer.id}?pub=${publisherId}&sub1=bench`;
  await load(`${bare.url}/c/x`, { seconds: 2 });
  let answered = (await load(trackingUrl, { seconds: 2 })).total;
  // Bare and tracked back to back, three times, so that both see the same machine.
  const rounds: { bare: LoadResult; tracked: LoadResult; bareMicros: number; trackedMicros: number }[] = [];
  for (let round = 0; round < 3; round++) {
    const { result: baseline, micros: bareMicros } = await cpuPerRequest(bare, () => load(`${bare.url}/c/x`, { seconds: 3 }));
    const { result: tracked, micros: trackedMicros } = await cpuPerRequest(waypost, () => load(trackingUrl, { seconds: 3 }));
    answered += tracked.total;
    rounds.push({ bare: baseline, tracked, bareMicros, trackedMicros });
  }
  const steady: string[] = [];
  for (const rate of [1000, 2000]) {
    const bareSteady = await steadyLatency(`${bare.url}/c/x`, { rate, seconds: 3 });
    const trackedSteady = await steadyLatency(trackingUrl, { rate, seconds: 3 });
    answered += trackedSteady.answered;
    steady.push(`${rate} req/s: p99 ${trackedSteady.p99} ms (p50 ${trackedSteady.p50}; bare p99 ${bareSteady.p99})`);
  }
  await waypost.stop();
  await bare.stop();
  const floor = await frameworkFree();
  const store = openStore(databaseUrl);
  const stored = await store.clicks.count({ offerId: offer.id });
  await store.close();
  const ratios = rounds.map((round) => round.tracked.requestsPerSecond / round.bare.requestsPerSecond);
  const middle = rounds[ratios.indexOf(median(ratios))]!;
  report('bare Express 5 route answering 302 (50 connections)', `${middle.bare.requestsPerSecond.toFixed(0)} req/s, p99 ${middle.bare.p99} ms`);
  report('GET /c/:offerId, click stored durably (50 connections)', `${middle.tracked.requestsPerSecond.toFixed(0)} req/s, p99 ${middle.tracked.p99} ms`);
  report('  ratio to bare Express, median of 3 (target ≥ 0.6)', `${median(ratios).toFixed(2)} (rounds: ${ratios.map((ratio) => ratio.toFixed(2)).join(', ')})`);
  report(
    '  server CPU per request, bare / tracked (ratio)',
    `${median(rounds.map((round) => round.bareMicros)).toFixed(0)} µs / ${median(rounds.map((round) => round.trackedMicros)).toFixed(0)} µs (${median(rounds.map((round) => round.bareMicros / round.trackedMicros)).toFixed(2)})`,
  );
  report('  for scale: a 302 from node:http, no framework', scaleLine(floor, middle.tracked.requestsPerSecond));
  for (const line of steady) report('  GET /c at a steady rate (open loop, target p99 ≤ 10 ms)', line);
  report('  clicks stored afterwards / redirects answered', `${stored} / ${answered}`);
}

async function postbacks() {
  const ids: string[] = [];
  const { databaseUrl, offer } = await seed('postbacks', { payout: { model: 'cps', percent: '10' } }, async (store, offerId, publisherId) => {
    const now = new Date();
    await store.transaction(async (tx) => {
      for (let i = 0; i < 60_000; i++) {
        const id = newClickId(now);
        ids.push(id);
        await tx.clicks.insert(clickRecord(id, offerId, publisherId, now));
      }
    });
  });
  const waypost = await spawnServer(['src/cli.ts', 'serve', '--port', '0', '--database-url', databaseUrl]);
  let next = 0;
  const postback = () =>
    load(`${waypost.url}/postback`, {
      seconds: 4,
      requests: [{ setupRequest: (request) => ({ ...request, path: `/postback?click_id=${ids[next++ % ids.length]}&amount=49.90&token=${offer.postbackToken}` }) }],
    });
  await postback();
  const rounds: { result: LoadResult; micros: number }[] = [];
  for (let round = 0; round < 3; round++) rounds.push(await cpuPerRequest(waypost, postback));
  await waypost.stop();
  const perSecond = rounds.map((round) => round.result.requestsPerSecond);
  const { result, micros } = rounds[perSecond.indexOf(median(perSecond))]!;
  report(
    'postbacks, distinct clicks, SQLite (50 connections), median of 3',
    `${result.requestsPerSecond.toFixed(0)} /s, p99 ${result.p99} ms (target ≥ 2,000/s; rounds: ${perSecond.map((value) => value.toFixed(0)).join(', ')})`,
  );
  report('  postbacks answered / non-2xx', `${rounds.reduce((sum, round) => sum + round.result.total, 0)} / ${rounds.reduce((sum, round) => sum + round.result.non2xx, 0)}`);
  report('  server CPU per postback (1,000,000 µs / this = postbacks/s one core can take)', `${micros.toFixed(0)} µs`);
}

async function reports() {
  const started = performance.now();
  const { databaseUrl, key } = await seed('reports', { payout: { model: 'cpa', amount: '2' } }, async (store) => {
    const offers: string[] = [];
    const publishers: string[] = [];
    const now = new Date().toISOString();
    for (let i = 0; i < 10; i++) {
      const id = newId('pub_', new Date());
      publishers.push(id);
      await store.publishers.insert({ id, name: `P${i}`, email: null, status: 'active', postbackUrl: null, postbackSecret: null, createdAt: now, updatedAt: now });
    }
    for (let i = 0; i < 20; i++) offers.push(newId('off_', new Date()));
    const from = Date.parse('2026-03-01T00:00:00Z');
    const CLICKS = 1_000_000;
    const EVERY = CLICKS / 50_000;
    for (let batch = 0; batch < CLICKS / 20_000; batch++) {
      await store.transaction(async (tx) => {
        for (let i = batch * 20_000; i < (batch + 1) * 20_000; i++) {
          const at = new Date(from + Math.floor((i / CLICKS) * 30 * 86_400_000));
          const click = clickRecord(newClickId(at), offers[i % offers.length]!, publishers[i % publishers.length]!, at);
          click.country = ['US', 'DE', 'FR', 'GB', 'BR'][i % 5]!;
          click.sub1 = `s${i % 40}`;
          await tx.clicks.insert(click);
          await addToRollups(tx, 'UTC', at, { ...click, couponCode: null }, { clicks: 1 });
          if (i % EVERY === 0) {
            const conversion = conversionRecord(click, at);
            await tx.conversions.insert({ ...conversion, clickKey: click.id, dedupeKey: 'ev:', isPrimary: true });
            await bookConversion(tx, 'UTC', conversion, 1);
          }
        }
      });
    }
  });
  const seeded = ((performance.now() - started) / 1000).toFixed(0);
  const waypost = await spawnServer(['src/cli.ts', 'serve', '--port', '0', '--database-url', databaseUrl]);
  const path = '/v1/reports?from=2026-03-01&to=2026-03-30&groupBy=day,offer,publisher';
  const times: number[] = [];
  let rows = 0;
  let totals = '';
  // Three reports first, unmeasured, as a running server has long compiled the code they run.
  for (let i = 0; i < 3; i++) await (await fetch(`${waypost.url}${path}`, { headers: { authorization: `Bearer ${key}` } })).arrayBuffer();
  for (let i = 0; i < 25; i++) {
    const t0 = performance.now();
    const response = await fetch(`${waypost.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
    const body = (await response.json()) as { rows: unknown[]; totals: { clicks: number; conversions: { total: number } } };
    times.push(performance.now() - t0);
    rows = body.rows.length;
    totals = `${body.totals.clicks} clicks, ${body.totals.conversions.total} conversions`;
  }
  await waypost.stop();
  times.sort((a, b) => a - b);
  report(`30-day report, day × offer × publisher (seeded in ${seeded}s)`, totals);
  report('  time per report over HTTP, median / p95 (target ≤ 50 ms)', `${times[12]!.toFixed(1)} ms / ${times[23]!.toFixed(1)} ms, ${rows} rows`);
}

/**
 * The campaign link (issue #17): 10 streams of 3 filters each, 3 landers and 5 offers, uniqueness on, every request a
 * new visitor (the visitor row is written with the click), against the bare route in the same run; then the same with
 * 50,000 visitors already recorded and the requests returning as them, to show that the uniqueness lookup stays flat.
 */
async function campaigns() {
  const VISITORS = 50_000;
  let campaignId = '';
  const { databaseUrl, offer } = await seed('campaigns', { payout: { model: 'cpa', amount: '1' } }, async (store, offerId) => {
    const now = new Date();
    const at = now.toISOString();
    const workspaceId = (await store.workspaces.first()).id;
    const offerIds = [offerId];
    for (let i = 1; i < 5; i++) {
      const extra = newOffer(CreateOfferParamsSchema.parse({ name: `Bench campaign offer ${i}`, url: `https://offer${i}.example/?c={click_id}`, payout: { model: 'cpa', amount: '1' } }), { currency: 'USD', now, workspaceId });
      await store.offers.insert(extra);
      offerIds.push(extra.id);
    }
    const landerIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const id = newId('ldr_', now);
      await store.landers.insert({ id, name: `Lander ${i}`, url: `https://lander${i}.example/?go={click_url}&c={click_id}`, offers: 1, notes: null, archive: null, workspaceId, archivedAt: null, createdAt: at, updatedAt: at });
      landerIds.push(id);
    }
    const flow = { type: 'flow' as const, landers: landerIds.map((landerId, i) => ({ landerId, weight: 100 * (i + 1) })), offers: offerIds.map((id) => ({ offerId: id, weight: 100 })) };
    // Nine streams that the bench traffic fails on its third filter, and a tenth that takes it: every filter runs.
    const streams = Array.from({ length: 10 }, (_, i) => ({
      id: newId('str_', now),
      name: `Stream ${i}`,
      type: 'regular' as const,
      status: 'active' as const,
      weight: 100,
      match: 'all' as const,
      filters: [
        { type: 'country' as const, mode: 'deny' as const, values: ['KP', 'IR', 'SY'] },
        { type: 'device' as const, mode: 'allow' as const, values: ['desktop', 'mobile', 'tablet'] as ('desktop' | 'mobile' | 'tablet')[] },
        i < 9 ? { type: 'param' as const, mode: 'allow' as const, values: [`zone=${i}`] } : { type: 'ip' as const, mode: 'allow' as const, values: ['127.0.0.0/8', '::1/128'] },
      ],
      action: flow,
    }));
    campaignId = newId('cmp_', now);
    await store.campaigns.insert({
      id: campaignId, name: 'Bench campaign', alias: null, status: 'active', trafficSourceId: null, currency: 'USD', timezone: 'UTC',
      cost: { model: 'cpc', amount: '0.0004' }, redirect: '302', rotation: 'weight', uniquenessHours: 24, bindVisitors: false,
      directTracking: false, allowedOrigins: [], streams, notes: null, workspaceId, archivedAt: null, createdAt: at, updatedAt: at,
    });
    for (let batch = 0; batch < VISITORS / 10_000; batch++) {
      await store.transaction(async (tx) => {
        for (let i = batch * 10_000; i < (batch + 1) * 10_000; i++) {
          await tx.campaignVisits.saveVisitor({ campaignId, visitor: `bench-known-${String(i).padStart(8, '0')}`, lastSeenAt: now, streamId: streams[9]!.id, landerId: landerIds[0]!, offerId, streams: { [streams[9]!.id]: now.getTime() } });
        }
      });
    }
  });
  const bare = await spawnServer(['bench/bare.ts']);
  const waypost = await spawnServer(['src/cli.ts', 'serve', '--port', '0', '--database-url', databaseUrl]);
  const browser = { 'accept-language': 'en-US,en;q=0.9' };
  // The first is every visit's browser; the last measure has visits come from all of them in turn, so that each batch
  // of visits adds to several rollup rows (OS and browser are rollup dimensions), as mixed real traffic does.
  const agents = [
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36 Edg/123.0.2420.81',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0',
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36 OPR/108.0.0.0',
    'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  ];
  let visitor = 0;
  const visit = (request: Record<string, any>, cookie: string, agent: string) => ({
    ...request,
    path: `/t/${campaignId}?zone=x&cid=bench`,
    headers: { ...request.headers, 'user-agent': agent, cookie },
  });
  const newVisitors = [{ setupRequest: (request: Record<string, any>) => visit(request, `waypost_v=bench-new-${String(visitor++).padStart(10, '0')}`, agents[0]!) }];
  const knownVisitors = [{ setupRequest: (request: Record<string, any>) => visit(request, `waypost_v=bench-known-${String(visitor++ % VISITORS).padStart(8, '0')}`, agents[0]!) }];
  const mixedVisitors = [
    { setupRequest: (request: Record<string, any>) => visit(request, `waypost_v=bench-mixed-${String(visitor).padStart(10, '0')}`, agents[visitor++ % agents.length]!) },
  ];
  const tracked = (requests: typeof newVisitors, seconds: number) => load(`${waypost.url}/t/${campaignId}`, { seconds, headers: browser, requests: requests as never });
  await load(`${bare.url}/c/x`, { seconds: 2 });
  let answered = (await tracked(newVisitors, 2)).total;
  const measure = async (requests: typeof newVisitors) => {
    const rounds: { bare: LoadResult; tracked: LoadResult; bareMicros: number; trackedMicros: number }[] = [];
    for (let round = 0; round < 3; round++) {
      const { result: baseline, micros: bareMicros } = await cpuPerRequest(bare, () => load(`${bare.url}/c/x`, { seconds: 3 }));
      const { result, micros: trackedMicros } = await cpuPerRequest(waypost, () => tracked(requests, 3));
      answered += result.total;
      rounds.push({ bare: baseline, tracked: result, bareMicros, trackedMicros });
    }
    const ratios = rounds.map((round) => round.tracked.requestsPerSecond / round.bare.requestsPerSecond);
    const cpu = `${median(rounds.map((round) => round.bareMicros)).toFixed(0)} µs / ${median(rounds.map((round) => round.trackedMicros)).toFixed(0)} µs`;
    return { middle: rounds[ratios.indexOf(median(ratios))]!, ratios, cpu };
  };
  const fresh = await measure(newVisitors);
  visitor = 0;
  const known = await measure(knownVisitors);
  visitor = 0;
  const mixed = await measure(mixedVisitors);
  await waypost.stop();
  await bare.stop();
  const floor = await frameworkFree();
  const store = openStore(databaseUrl);
  const stored = await store.clicks.count({ source: 'campaign' });
  await store.close();
  const line = ({ middle, ratios }: typeof fresh) =>
    `${middle.tracked.requestsPerSecond.toFixed(0)} req/s, p99 ${middle.tracked.p99} ms; ratio to bare ${median(ratios).toFixed(2)} (rounds: ${ratios.map((ratio) => ratio.toFixed(2)).join(', ')}; target ≥ 0.5)`;
  report('bare Express 5 route answering 302 (50 connections)', `${fresh.middle.bare.requestsPerSecond.toFixed(0)} req/s, p99 ${fresh.middle.bare.p99} ms`);
  report('GET /t/:campaign, 10 streams × 3 filters, 3 landers, 5 offers, each visit a new visitor', line(fresh));
  report('  server CPU per request, bare / tracked', fresh.cpu);
  report('  for scale: a 302 from node:http, no framework', scaleLine(floor, fresh.middle.tracked.requestsPerSecond));
  report(`  the same, the visits returning as ${VISITORS.toLocaleString('en-US')} visitors already recorded`, line(known));
  report('  server CPU per request, bare / tracked', known.cpu);
  report(`  the same, new visitors from ${agents.length} browsers in turn (more rollup rows a batch)`, line(mixed));
  report('  server CPU per request, bare / tracked', mixed.cpu);
  report('  clicks stored afterwards / redirects answered', `${stored} / ${answered}`);
}

function clickRecord(id: string, offerId: string, publisherId: string, at: Date): ClickRecord {
  return {
    id, offerId, requestedOfferId: null, publisherId, sub1: null, sub2: null, sub3: null, sub4: null, sub5: null,
    source: 'redirect', country: 'US', device: 'desktop', referrer: null, landingUrl: null, adClickIds: {}, ipPrefix: '127.0.0.0/24',
    status: 'accepted', reason: null, payout: 0, revenue: 0, createdAt: at,
  };
}

function conversionRecord(click: ClickRecord, at: Date): ConversionRecord {
  return {
    id: newId('cv_', at), offerId: click.offerId, publisherId: click.publisherId, clickId: click.id, couponCode: null, transactionId: null,
    event: null, status: 'approved', reason: null, kind: 'conversion', source: 'postback', amount: null, currency: 'USD', payout: 200,
    revenue: 0, offerCurrency: 'USD', fxRate: null, payoutAccount: 200, revenueAccount: 0, payoutState: 'payable', thresholdPeriod: null,
    capDay: null, counted: true, country: click.country, sub1: click.sub1, sub2: null, sub3: null, sub4: null, sub5: null, note: null,
    paymentId: null, awaitingFx: null, reportedPayout: null, clickAt: click.createdAt, device: click.device, amountAccount: 0, createdAt: at,
    updatedAt: at,
  };
}

try {
  console.log(`Waypost server benchmarks (SQLite file, autocannon in this process, servers in their own; CLI: ${CLI})\n`);
  if (!only || only === 'clicks') await clicks();
  if (!only || only === 'postbacks') await postbacks();
  if (!only || only === 'reports') await reports();
  if (!only || only === 'campaigns') await campaigns();
  if (!only || only === 'campaign-reports') await campaignReports(dir);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
