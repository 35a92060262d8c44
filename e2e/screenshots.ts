// The README's screenshots of the console, taken from a seeded demo so that they show what the code does today.
// Run after `pnpm build`: pnpm screenshots (writes docs/screenshots/*.png).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from '@playwright/test';
import { loadConfig, seedDemo, startServer, systemClock } from '@waypost/server';

const out = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
mkdirSync(out, { recursive: true });
const dir = mkdtempSync(join(tmpdir(), 'waypost-screenshots-'));
const config = loadConfig({ WAYPOST_DATABASE_URL: `file:${join(dir, 'waypost.db')}`, WAYPOST_PORT: '0' });
const running = await startServer(config, { host: '127.0.0.1' });
const url = `http://127.0.0.1:${(running.server.address() as AddressInfo).port}`;
config.publicUrl = url;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const seed = await seedDemo({ store: running.store, config, clock: systemClock });
  if (!seed?.owner || !seed.adminKey) throw new Error('the demo was not seeded on the new database');
  const admin = { Authorization: `Bearer ${seed.adminKey}`, 'Content-Type': 'application/json' };
  const more = [
    { name: 'Solar quotes US', leadType: 'Solar', currency: 'USD', payout: { model: 'cpl', amount: '35.00' } },
    { name: 'Payday loans UK', leadType: 'Payday', currency: 'GBP', payout: { model: 'cpa', amount: '18.00' } },
    { name: 'Skincare store', leadType: 'E-commerce', currency: 'EUR', payout: { model: 'cps', percent: '12.5' } },
    { name: 'Mobile game installs JP', leadType: 'Apps', currency: 'JPY', payout: { model: 'cpa', amount: '450' }, expiresAt: '2027-03-31T23:59:59Z' },
    { name: 'Newsletter sign-ups', leadType: 'Leads', currency: 'USD', status: 'inactive', payout: { model: 'cpl', amount: '1.20' } },
  ];
  const offerIds: Record<string, string> = {};
  for (const offer of more) {
    const response = await fetch(`${url}/v1/offers`, { method: 'POST', headers: admin, body: JSON.stringify({ url: 'https://shop.example/?c={click_id}', ...offer }) });
    if (response.status !== 201) throw new Error(`${offer.name}: ${response.status} ${await response.text()}`);
    offerIds[offer.name] = ((await response.json()) as { id: string }).id;
  }

  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${url}/app/sign-in`);
  await page.getByLabel('Email').fill(seed.owner.email);
  await page.getByLabel('Password').fill(seed.owner.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('table', { name: 'Offers' }).getByRole('link', { name: 'Solar quotes US' }).waitFor();
  await shoot(page, 'console-offers-list.png');

  await page.getByRole('button', { name: 'Add offer' }).click();
  await page.getByLabel('Offer name').fill('Home insurance quotes');
  await page.getByLabel('Site link').fill('https://insure.example/quote?click_id={click_id}');
  await page.getByLabel('Lead type').fill('Insurance');
  await page.getByLabel('Currency').selectOption('USD');
  await page.getByLabel('Payout type').selectOption('cpl');
  await page.getByLabel('Payout amount').fill('22');
  await page.getByLabel('Daily cap').fill('200');
  await page.getByLabel('Daily cap').blur();
  await shoot(page, 'console-offer-form.png', true);

  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('heading', { name: 'Home insurance quotes', level: 1 }).waitFor();
  await page.getByRole('combobox', { name: 'Publisher' }).selectOption({ label: seed.publisher.name });
  await page.waitForFunction(() => (document.querySelectorAll('input[readonly]')[1] as HTMLInputElement | undefined)?.value.includes('/c/'));
  await shoot(page, 'console-offer-page.png');

  // The publisher's portal: two codes confirmed, one request waiting and one refused.
  const post = async (path: string, body: unknown, headers: Record<string, string> = admin) => {
    const response = await fetch(`${url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as Record<string, string>;
  };
  const requests: [string, string, object | null][] = [
    ['Skincare store', 'Instagram', { decision: 'confirm', code: 'GLOW15' }],
    ['Solar quotes US', 'YouTube', { decision: 'confirm', code: 'SUNNY-YT' }],
    ['Payday loans UK', 'Newsletter', null],
    ['Mobile game installs JP', 'Coupon site', { decision: 'reject', reason: 'Coupon sites are not allowed on this offer.' }],
  ];
  for (const [offer, platform, decision] of requests) {
    const request = await post('/v1/promo-codes/requests', { offerId: offerIds[offer], publisherId: seed.publisher.id, platform });
    if (decision) await post(`/v1/promo-codes/requests/${request.id}/decision`, decision);
  }
  const portal = { email: 'partner@media.example', password: 'portal screenshots only' };
  const { inviteUrl } = await post('/v1/users', { email: portal.email, role: 'publisher', publisherId: seed.publisher.id });
  await post('/v1/invites/accept', { token: new URL(inviteUrl!).pathname.split('/').at(-1), password: portal.password }, { 'Content-Type': 'application/json' });
  const publisherPage = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await publisherPage.goto(`${url}/app/sign-in`);
  await publisherPage.getByLabel('Email').fill(portal.email);
  await publisherPage.getByLabel('Password').fill(portal.password);
  await publisherPage.getByRole('button', { name: 'Sign in' }).click();
  await publisherPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Promo codes' }).click();
  await publisherPage.getByRole('table', { name: 'My promo codes' }).getByRole('row', { name: /SUNNY-YT/ }).getByText('Solar quotes US').waitFor();
  await shoot(publisherPage, 'console-publisher-promo-codes.png');
  await publisherPage.getByRole('tab', { name: 'Promo code requests' }).click();
  await publisherPage.getByRole('button', { name: 'Rejected' }).focus();
  await publisherPage.getByRole('tooltip').waitFor();
  await shoot(publisherPage, 'console-publisher-promo-code-requests.png');
  console.log(`screenshots written to ${out}`);
} finally {
  await browser.close();
  await running.close();
  rmSync(dir, { recursive: true, force: true });
}

async function shoot(page: Page, name: string, fullPage = false): Promise<void> {
  await page.screenshot({ path: join(out, name), fullPage });
}
