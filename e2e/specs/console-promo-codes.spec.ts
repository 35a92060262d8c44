import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test, type WaypostServer } from '../fixtures.js';
import { expectNoSeriousViolations } from '../console.js';

/**
 * The console's promo-code walk-through (issue #16), found by role and accessible name only (SPEC §12's names): a
 * publisher signs in to the portal and asks for a promo code, the program manager confirms it, the publisher finds
 * it under "My promo codes", a sale with the code shows in the publisher's report, and Export downloads it as CSV.
 */
test.describe('the console’s promo-code walk-through', () => {
  test.skip(({ build }) => build !== 'script', 'the console loads no build of the browser SDK: one run is enough');

  test('a publisher requests a promo code, the admin confirms it, and a sale with it shows in the publisher’s report and its CSV export', async ({
    page,
    browser,
    waypost,
    problems,
  }) => {
    // Two browsers, eleven screens and an axe scan of each: more than the default 30 s on a busy machine.
    test.setTimeout(120_000);
    const publisher = await waypost.createPublisher({ name: 'Blue Media' });
    const offer = await waypost.createOffer({ name: 'Summer shoes', currency: 'EUR', payout: { model: 'cpa', amount: '7.50' } });
    const owner = await createUser(waypost, { role: 'owner' });
    const portalUser = await createUser(waypost, { role: 'publisher', publisherId: publisher.id });

    // The publisher signs in and lands in the portal.
    await page.goto(`${waypost.url}/app/`);
    await signIn(page, portalUser);
    const navigation = page.getByRole('navigation', { name: 'Main' });
    for (const name of ['Offers', 'Promo codes', 'Reports', 'Payments', 'Postback settings']) {
      await expect(navigation.getByRole('link', { name, exact: true })).toBeVisible();
    }
    await expect(navigation.getByRole('link', { name: 'Publishers' })).toHaveCount(0);
    await expect(page.getByRole('heading', { name: 'Offers', level: 1 })).toBeVisible();
    const offerRow = page.getByRole('row').filter({ hasText: 'Summer shoes' });
    await expect(offerRow).toContainText('CPA · €7.50');
    await expectNoSeriousViolations(page, 'portal offers');

    await offerRow.getByRole('button', { name: 'Get link' }).click();
    const linkDialog = page.getByRole('dialog', { name: 'Tracking link: Summer shoes' });
    await linkDialog.getByRole('textbox', { name: 'Sub 1' }).fill('story-12');
    await expect(linkDialog.getByRole('textbox', { name: 'Tracking URL' })).toHaveValue(`${waypost.publicUrl}/c/${offer.id}?pub=${publisher.id}&sub1=story-12`);
    await expectNoSeriousViolations(page, 'portal get link');
    await page.keyboard.press('Escape');
    await expect(linkDialog).toBeHidden();

    await offerRow.getByRole('button', { name: 'Get promo code' }).click();
    const promoDialog = page.getByRole('dialog', { name: 'Get promo code: Summer shoes' });
    await promoDialog.getByRole('button', { name: 'Send request' }).click();
    await expect(promoDialog.getByRole('textbox', { name: 'Platform' })).toHaveAccessibleDescription(/Is required/);
    await promoDialog.getByRole('textbox', { name: 'Platform' }).fill('YouTube');
    await promoDialog.getByRole('button', { name: 'Send request' }).click();
    await expect(promoDialog.getByRole('status')).toContainText('Request sent for YouTube');
    await expectNoSeriousViolations(page, 'portal promo code request');
    await promoDialog.getByRole('link', { name: 'Promo code requests' }).click();
    await expect(page.getByRole('tab', { name: 'Promo code requests' })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('table', { name: 'Promo code requests' }).getByRole('row').filter({ hasText: 'YouTube' })).toContainText('In moderation');
    await expectNoSeriousViolations(page, 'portal promo code requests');

    // The program manager confirms it, in a browser of their own.
    const managerContext = await browser.newContext();
    const manager = await managerContext.newPage();
    const managerErrors: string[] = [];
    manager.on('pageerror', (error) => managerErrors.push(error.message));
    await manager.goto(`${waypost.url}/app/`);
    await signIn(manager, owner);
    await manager.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Promo codes', exact: true }).click();
    const request = manager.getByRole('table', { name: 'Requests' }).getByRole('row').filter({ hasText: 'YouTube' });
    await expect(request).toContainText('Blue Media');
    await expect(request).toContainText('Summer shoes');
    await expectNoSeriousViolations(manager, 'promo codes (team)');
    await request.getByRole('button', { name: 'Confirm' }).click();
    const decision = manager.getByRole('dialog', { name: 'Confirm the request of Blue Media for Summer shoes' });
    await decision.getByRole('textbox', { name: 'Code' }).fill('BLUE-SUMMER');
    await expectNoSeriousViolations(manager, 'promo code confirmation');
    await decision.getByRole('button', { name: 'Confirm request' }).click();
    await expect(decision).toBeHidden();
    await expect(manager.getByRole('table', { name: 'Issued codes' }).getByRole('row').filter({ hasText: 'BLUE-SUMMER' })).toContainText('Blue Media');
    expect(managerErrors).toEqual([]);
    await managerContext.close();

    // The publisher finds the code under "My promo codes".
    await navigation.getByRole('link', { name: 'Promo codes', exact: true }).click();
    await page.getByRole('tab', { name: 'My promo codes' }).click();
    await expect(page.getByRole('table', { name: 'My promo codes' }).getByRole('row').filter({ hasText: 'BLUE-SUMMER' })).toContainText('Summer shoes');
    await expectNoSeriousViolations(page, 'portal my promo codes');

    // A sale with the code: the shop's server-to-server postback, with no click.
    const sale = await fetch(`${waypost.url}/postback?coupon=blue-summer&offer_id=${offer.id}&transaction_id=ORDER-4711&amount=120.00&token=${offer.postbackToken}`);
    expect(((await sale.json()) as { status: string }).status).toBe('accepted');

    await navigation.getByRole('link', { name: 'Reports', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Reports', level: 1 })).toBeVisible();
    await page.getByRole('textbox', { name: 'Promo code' }).fill('BLUE-SUMMER');
    await page.getByRole('textbox', { name: 'Promo code' }).press('Enter');
    await expect(page).toHaveURL(/couponCode=BLUE-SUMMER/);
    for (const name of ['Offer', 'Status', 'Country', 'Order ID', 'Sort by']) await expect(page.getByLabel(name, { exact: true })).toBeVisible();
    const saleRow = page.getByRole('table', { name: 'Conversions' }).getByRole('row').filter({ hasText: 'ORDER-4711' });
    await expect(saleRow).toContainText('Summer shoes');
    await expect(saleRow).toContainText('€7.50');
    await expectNoSeriousViolations(page, 'portal reports');

    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe('conversions.csv');
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\n')[0]).toContain('transactionId');
    expect(csv).toContain('ORDER-4711');
    expect(csv.toLowerCase()).toContain('blue-summer');

    await navigation.getByRole('link', { name: 'Payments', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Balance' })).toBeVisible();
    // The balance is in the account's currency (USD here), by stage.
    for (const name of ['Accruing', 'Approved, to be paid', 'In a pending payment', 'Paid']) await expect(page.getByRole('term').filter({ hasText: new RegExp(`^${name}$`) })).toBeVisible();
    await expect(page.getByRole('definition').first()).toHaveText(/^\$\d+\.\d{2}$/);
    await expectNoSeriousViolations(page, 'portal payments');

    await navigation.getByRole('link', { name: 'Postback settings', exact: true }).click();
    await page.getByRole('textbox', { name: 'Postback URL' }).fill('https://tracker.blue-media.example/pb?cid={sub1}&payout={payout}');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
    expect((await waypost.api.publishers.retrieve(publisher.id)).postbackUrl).toBe('https://tracker.blue-media.example/pb?cid={sub1}&payout={payout}');
    await expectNoSeriousViolations(page, 'portal postback settings');

    expect(problems.cspViolations).toEqual([]);
    expect(problems.pageErrors).toEqual([]);
  });

  test('the portal works at 375 px wide, and a rejected request shows its reason on focus', async ({ page, waypost, problems }) => {
    const publisher = await waypost.createPublisher();
    const offer = await waypost.createOffer({ name: 'Winter coats' });
    const portalUser = await createUser(waypost, { role: 'publisher', publisherId: publisher.id });
    const requested = await adminJson(waypost, '/v1/promo-codes/requests', { offerId: offer.id, publisherId: publisher.id, platform: 'Coupon site' });
    await adminJson(waypost, `/v1/promo-codes/requests/${requested.id}/decision`, { decision: 'reject', reason: 'Coupon sites are not allowed on this offer.' });

    await page.setViewportSize({ width: 375, height: 740 });
    await page.goto(`${waypost.url}/app/promo-codes?tab=requests`);
    await signIn(page, portalUser);
    // A team path leads to the portal's screen of that name.
    await expect(page).toHaveURL(/\/app\/portal\/promo-codes/);
    await page.getByRole('tab', { name: 'Promo code requests' }).click();
    const rejected = page.getByRole('button', { name: 'Rejected' });
    await rejected.focus();
    await expect(page.getByRole('tooltip')).toHaveText('Coupon sites are not allowed on this offer.');
    await expect(rejected).toHaveAccessibleDescription('Coupon sites are not allowed on this offer.');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await expectNoSeriousViolations(page, 'portal promo code requests at 375 px');
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
    await expect(page.getByRole('button', { name: 'Export' })).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect(problems.cspViolations).toEqual([]);
  });
});

let users = 0;

/** A user invited with the admin key and given a password through the invite link's token, as the API does it. */
async function createUser(waypost: WaypostServer, fields: { role: string; publisherId?: string }): Promise<{ email: string; password: string }> {
  const email = `${fields.role}-${++users}-${Date.now()}@example.com`;
  const password = 'correct horse battery staple';
  const { inviteUrl } = (await adminJson(waypost, '/v1/users', { email, ...fields })) as { inviteUrl: string };
  const accepted = await fetch(`${waypost.url}/v1/invites/accept`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ token: new URL(inviteUrl).pathname.split('/').at(-1), password }),
  });
  expect(accepted.status).toBe(200);
  return { email, password };
}

async function adminJson(waypost: WaypostServer, path: string, body: unknown): Promise<any> {
  const response = await fetch(`${waypost.url}${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${waypost.apiKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  return response.json();
}

async function signIn(page: Page, user: { email: string; password: string }): Promise<void> {
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}
