// `pnpm bench campaign-reports`: a 30-day report grouped by campaign × lander × offer over 1,000,000 campaign clicks
// (issue #17), read over HTTP from a server in its own process. Run by bench/run.ts, or alone with `tsx`.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateOfferParamsSchema } from '@waypost/schema';
import { systemClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { ensureRollupTimezone } from '../src/engine/reports.js';
import { addToRollups, bookConversion, clickMetrics } from '../src/engine/rollups.js';
import { newClickId, newId } from '../src/ids.js';
import { createApiKey } from '../src/keys.js';
import { newOffer } from '../src/records.js';
import { openStore } from '../src/storage/index.js';
import type { ClickRecord, ConversionRecord } from '../src/storage/store.js';
import { report } from './autocannon.js';

const SERVER_ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLICKS = 1_000_000;
const BATCH = 20_000;

/** Visitors as a source sends them: each profile is one device, OS and browser. */
const PROFILES = [
  { device: 'desktop', os: 'windows', browser: 'chrome' },
  { device: 'desktop', os: 'macos', browser: 'safari' },
  { device: 'mobile', os: 'ios', browser: 'safari' },
  { device: 'mobile', os: 'android', browser: 'chrome' },
  { device: 'mobile', os: 'android', browser: 'samsung' },
  { device: 'tablet', os: 'ios', browser: 'safari' },
  { device: 'bot', os: 'linux', browser: 'chrome' },
] as const;

/** A fixed-seed generator (mulberry32), so that every run seeds the same traffic. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function campaignReports(dir: string): Promise<void> {
  const started = performance.now();
  const databaseUrl = `file:${join(dir, 'campaign-reports.db')}`;
  const config = loadConfig({ WAYPOST_DATABASE_URL: databaseUrl });
  const store = openStore(databaseUrl);
  await store.migrate();
  await ensureRollupTimezone({ store, config });
  const { key } = await createApiKey({ store, clock: systemClock }, { role: 'admin' });
  const workspaceId = (await store.workspaces.first()).id;
  const offers: string[] = [];
  for (let i = 0; i < 5; i++) {
    const offer = newOffer(CreateOfferParamsSchema.parse({ name: `Bench offer ${i}`, url: 'https://example.com/?c={click_id}', payout: { model: 'cpa', amount: '2' } }), {
      currency: 'USD',
      now: new Date(),
      workspaceId,
    });
    await store.offers.insert(offer);
    offers.push(offer.id);
  }
  // 20 campaigns of one traffic source each (4 sources), 3 streams and 3 landers each; 50 keywords.
  const campaigns = Array.from({ length: 20 }, (_, c) => ({
    id: newId('cmp_', new Date()),
    source: `trs_bench${c % 4}`,
    streams: Array.from({ length: 3 }, () => newId('str_', new Date())),
    landers: Array.from({ length: 3 }, () => newId('ldr_', new Date())),
  }));
  const next = random(17);
  const pick = <T>(values: readonly T[]) => values[Math.floor(next() * values.length)]!;
  const from = Date.parse('2026-03-01T00:00:00Z');
  for (let batch = 0; batch < CLICKS / BATCH; batch++) {
    await store.transaction(async (tx) => {
      for (let i = batch * BATCH; i < (batch + 1) * BATCH; i++) {
        const at = new Date(from + Math.floor((i / CLICKS) * 30 * 86_400_000));
        const campaign = pick(campaigns);
        const profile = pick(PROFILES);
        const click: ClickRecord = {
          id: newClickId(at), offerId: pick(offers), requestedOfferId: null, publisherId: null, sub1: null, sub2: null, sub3: null, sub4: null, sub5: null,
          source: 'campaign', country: pick(['US', 'DE', 'FR', 'GB', 'BR']), device: profile.device, referrer: null, landingUrl: null, adClickIds: {},
          ipPrefix: '127.0.0.0/24', status: 'accepted', reason: null, payout: 0, revenue: 0, createdAt: at,
          campaignId: campaign.id, streamId: pick(campaign.streams), landerId: pick(campaign.landers), trafficSourceId: campaign.source,
          externalId: null, creativeId: null, keyword: `kw${Math.floor(next() * 50)}`, os: profile.os, browser: profile.browser, language: 'en',
          isBot: profile.device === 'bot', isUnique: next() < 0.7, isUniqueStream: true, cost: 1_500, landerClickedAt: next() < 0.4 ? at : null,
        };
        await tx.clicks.insert(click);
        await addToRollups(tx, 'UTC', at, { ...click, couponCode: null }, { ...clickMetrics(click, 0, 0, click.cost!), lander_clicks: click.landerClickedAt ? 1 : 0 });
        if (i % 25 === 0) {
          const conversion = conversionRecord(click, at);
          await tx.conversions.insert({ ...conversion, clickKey: click.id, dedupeKey: 'ev:', isPrimary: true });
          await bookConversion(tx, 'UTC', conversion, 1);
        }
      }
    });
  }
  await store.close();
  const seeded = ((performance.now() - started) / 1000).toFixed(0);

  const cli = existsSync(join(SERVER_ROOT, 'dist', 'cli.js')) ? ['dist/cli.js'] : ['--import', 'tsx', 'src/cli.ts'];
  const child = spawn(process.execPath, [...cli, 'serve', '--port', '0', '--database-url', databaseUrl], { cwd: SERVER_ROOT, env: { ...process.env, WAYPOST_PUBLIC_URL: '' } });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!.replace('localhost', '127.0.0.1'));
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
  try {
    const path = '/v1/reports?from=2026-03-01&to=2026-03-30&groupBy=campaign,lander,offer';
    const get = async () => (await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${key}` } })).json() as Promise<{ rows: unknown[]; totals: { visits: number; conversions: { total: number }; cost: string } }>;
    // Three reports first, unmeasured, as a running server has long compiled the code they run.
    for (let i = 0; i < 3; i++) await get();
    const times: number[] = [];
    let body = await get();
    const cpuBefore = processCpuMs(child.pid!);
    for (let i = 0; i < 25; i++) {
      const t0 = performance.now();
      body = await get();
      times.push(performance.now() - t0);
    }
    const cpuPerReport = (processCpuMs(child.pid!) - cpuBefore) / 25;
    times.sort((a, b) => a - b);
    report(`30-day report, campaign × lander × offer (seeded in ${seeded}s)`, `${body.totals.visits} visits, ${body.totals.conversions.total} conversions, cost ${body.totals.cost}`);
    report('  time per report over HTTP, median / p95 (target ≤ 50 ms)', `${times[12]!.toFixed(1)} ms / ${times[23]!.toFixed(1)} ms, ${body.rows.length} rows`);
    report('  server CPU per report (does not grow when other work shares the machine)', `${cpuPerReport.toFixed(0)} ms`);
  } finally {
    await new Promise((done) => (child.once('exit', done), child.kill('SIGTERM')));
  }
}

/** CPU time (user + system) a process has used so far, from /proc (ticks of 10 ms); NaN where /proc is missing. */
function processCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

function conversionRecord(click: ClickRecord, at: Date): ConversionRecord {
  return {
    id: newId('cv_', at), offerId: click.offerId, publisherId: null, clickId: click.id, couponCode: null, transactionId: null, event: null,
    status: 'approved', reason: null, kind: 'conversion', source: 'postback', amount: null, currency: 'USD', payout: 0, revenue: 200,
    offerCurrency: 'USD', fxRate: null, payoutAccount: 0, revenueAccount: 200, payoutState: 'payable', thresholdPeriod: null, capDay: null,
    counted: true, country: click.country, sub1: null, sub2: null, sub3: null, sub4: null, sub5: null, note: null, paymentId: null,
    awaitingFx: null, reportedPayout: null, clickAt: click.createdAt, device: click.device, amountAccount: 0, createdAt: at, updatedAt: at,
    campaignId: click.campaignId, streamId: click.streamId, landerId: click.landerId, trafficSourceId: click.trafficSourceId,
    keyword: click.keyword, os: click.os, browser: click.browser, costAccount: 0,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = mkdtempSync(join(tmpdir(), 'waypost-bench-'));
  try {
    await campaignReports(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
