// The console's bench figures (issue #16): the JavaScript a first visit downloads before the offers list renders
// (gzip), and the time from navigation to the offers list's first row in Chromium, with 1,000 offers stored.
// Run after `pnpm build`: pnpm --filter @waypost/e2e run bench:console
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { startWaypost } from '../../scripts/test-support/waypost-server.js';

const OFFERS = 1_000;
const RUNS = 7;

const dist = join(dirname(createRequire(import.meta.url).resolve('@waypost/console/package.json')), 'dist');
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const initial = [...html.matchAll(/<(?:script type="module"[^>]*src|link rel="modulepreload"[^>]*href)="\/app\/([^"]+)"/g)].map((match) => match[1]!);
const gzipBytes = initial.reduce((sum, file) => sum + gzipSync(readFileSync(join(dist, file)), { level: 9 }).length, 0);

const server = await startWaypost();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const admin = { Authorization: `Bearer ${server.apiKey}`, 'Content-Type': 'application/json' };
  for (let index = 0; index < OFFERS; index++) {
    const response = await fetch(`${server.url}/v1/offers`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ name: `Bench offer ${index}`, url: 'https://shop.example/?c={click_id}', leadType: 'Bench', payout: { model: 'cpa', amount: '10.00' } }),
    });
    if (response.status !== 201) throw new Error(`creating offer ${index}: ${response.status} ${await response.text()}`);
  }
  const invited = await fetch(`${server.url}/v1/users`, { method: 'POST', headers: admin, body: JSON.stringify({ email: 'bench@example.com', role: 'owner' }) });
  const { inviteUrl } = (await invited.json()) as { inviteUrl: string };
  const password = 'a bench password that is long';
  await fetch(`${server.url}/v1/invites/accept`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ token: new URL(inviteUrl).pathname.split('/').at(-1), password }),
  });

  const context = await browser.newContext();
  const signIn = await context.newPage();
  await signIn.goto(`${server.url}/app/sign-in`);
  await signIn.getByLabel('Email').fill('bench@example.com');
  await signIn.getByLabel('Password').fill(password);
  await signIn.getByRole('button', { name: 'Sign in' }).click();
  await signIn.getByRole('table', { name: 'Offers' }).waitFor();
  await signIn.close();

  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    // A new page each time, with the cookie but a cold JavaScript heap; the HTTP cache is the browser's own, as for a
    // returning user (index.html is revalidated, the hashed assets are not).
    const page = await context.newPage();
    const started = performance.now();
    await page.goto(`${server.url}/app/offers`);
    await page.getByRole('table', { name: 'Offers' }).getByRole('row').nth(1).waitFor();
    times.push(performance.now() - started);
    await page.close();
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  console.log(`console initial JavaScript: ${(gzipBytes / 1024).toFixed(1)} KB gzip (${initial.join(', ')})`);
  console.log(`offers list first render with ${OFFERS} offers stored (50 a page): median ${median.toFixed(0)} ms of ${RUNS} (min ${times[0]!.toFixed(0)}, max ${times.at(-1)!.toFixed(0)})`);
} finally {
  await browser.close();
  await server.close();
}
