import type { Page } from '@playwright/test';
import { expect, HOSTS, test, type WaypostServer } from '../fixtures.js';
import { createOwner, expectNoSeriousViolations, clipboard, escapeRegExp } from '../console.js';

/**
 * The console's offers walk-through (issue #16), found by role and accessible name only (SPEC §12's names): sign in,
 * Offers, Add offer, fill the form, Save, copy the postback URL, generate a publisher's tracking URL and follow it.
 */
test.describe('the console’s offers walk-through', () => {
  test.skip(({ build }) => build !== 'script', 'the console loads no build of the browser SDK: one run is enough');

  test('a program manager adds an offer, copies its postback URL and a publisher’s tracking URL, and the link records a click', async ({
    page,
    context,
    site,
    waypost,
    problems,
  }) => {
    const owner = await createOwner(waypost);
    const publisher = await waypost.createPublisher({ name: 'Console Media' });
    const landerUrl = site.page(HOSTS.lander, '/offer', { tracker: false, body: '<h1>Solar offer page</h1>' });
    // 127.0.0.1 is a secure context, where the page may use the clipboard; track.waypost.test over http is not.
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: waypost.url });

    await page.goto(`${waypost.url}/app/`);
    await expect(page.getByRole('heading', { name: 'Sign in to the console' })).toBeVisible();
    await expectNoSeriousViolations(page, 'sign-in');
    await page.getByLabel('Email').fill(owner.email);
    await page.getByLabel('Password').fill('wrong password, surely');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toHaveText('The e-mail or the password is wrong.');
    await page.getByLabel('Password').fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();

    const navigation = page.getByRole('navigation', { name: 'Main' });
    for (const name of ['Dashboard', 'Offers', 'Campaigns', 'Landers', 'Traffic sources', 'Publishers', 'Affiliate networks', 'Conversions', 'Reports', 'Promo codes', 'Payments', 'Postback log', 'Settings']) {
      await expect(navigation.getByRole('link', { name, exact: true })).toBeVisible();
    }
    await navigation.getByRole('link', { name: 'Offers', exact: true }).click();
    const offersTable = page.getByRole('table', { name: 'Offers' });
    await expect(page.getByRole('heading', { name: 'Offers', level: 1 })).toBeVisible();
    // The worker's server is shared with other specs, which may have made offers already: the list, or its empty state.
    await expect(offersTable.or(page.getByRole('status').filter({ hasText: 'No offers yet' }))).toBeVisible();
    await expectNoSeriousViolations(page, 'offers list');

    await page.getByRole('button', { name: 'Add offer' }).click();
    await expect(page.getByRole('heading', { name: 'Add offer' })).toBeVisible();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByLabel('Offer name')).toHaveAccessibleDescription(/Is required/);
    await expectNoSeriousViolations(page, 'offer form with errors');

    await page.getByLabel('Offer name').fill('Console solar leads');
    await page.getByLabel('Site link').fill(`${landerUrl}?click_id={click_id}`);
    await page.getByLabel('Lead type').fill('Solar');
    await page.getByLabel('Currency').selectOption('USD');
    await page.getByLabel('Payout type').selectOption({ label: 'CPL: per lead' });
    await page.getByLabel('Payout amount').fill('12.5');
    await page.getByLabel('Payout amount').blur();
    await expect(page.getByLabel('Payout amount')).toHaveValue('12.50');
    await page.getByLabel('Daily cap').fill('100');
    await page.getByLabel('Notes').fill('Made in the console.');
    await page.getByRole('button', { name: 'Save' }).click();

    await expect(page.getByRole('heading', { name: 'Console solar leads', level: 1 })).toBeVisible();
    const offerId = new URL(page.url()).pathname.split('/').at(-1)!;
    expect(await waypost.api.offers.retrieve(offerId)).toMatchObject({
      name: 'Console solar leads',
      leadType: 'Solar',
      currency: 'USD',
      payout: { model: 'cpl', mode: 'fixed', amount: '12.50' },
      cap: { daily: 100 },
      notes: 'Made in the console.',
    });

    const postbackUrl = page.getByRole('textbox', { name: 'Postback URL' });
    await expect(postbackUrl).toHaveAttribute('readonly', '');
    await expect(postbackUrl).toHaveValue(new RegExp(`^${escapeRegExp(waypost.publicUrl)}/postback\\?click_id=\\{click_id\\}.*&token=`));
    await page.getByRole('button', { name: 'Copy postback URL' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Copied.' })).toBeVisible();
    expect(await clipboard(page)).toBe(await postbackUrl.inputValue());

    const generator = page.getByRole('region', { name: 'Generate tracking URL' });
    await generator.getByRole('combobox', { name: 'Publisher' }).selectOption({ label: 'Console Media' });
    const trackingUrl = generator.getByRole('textbox', { name: 'Tracking URL' });
    await expect(trackingUrl).toHaveValue(`${waypost.publicUrl}/c/${offerId}?pub=${publisher.id}`);
    await generator.getByRole('button', { name: 'Copy tracking URL' }).click();
    const copied = await clipboard(page);
    expect(copied).toBe(`${waypost.publicUrl}/c/${offerId}?pub=${publisher.id}`);
    await expectNoSeriousViolations(page, 'offer page');

    await navigation.getByRole('link', { name: 'Offers', exact: true }).click();
    await expect(offersTable.getByRole('link', { name: 'Console solar leads' })).toBeVisible();
    await expect(offersTable.getByRole('row').filter({ hasText: 'Console solar leads' })).toContainText('CPL · $12.50');
    await expectNoSeriousViolations(page, 'offers list');

    await page.goto(copied);
    await expect(page.getByRole('heading', { name: 'Solar offer page' })).toBeVisible();
    const clickId = new URL(page.url()).searchParams.get('click_id');
    expect(await waypost.clicks(offerId)).toEqual([expect.objectContaining({ id: clickId, publisherId: publisher.id })]);
    expect(problems.cspViolations).toEqual([]);
    expect(problems.pageErrors).toEqual([]);
  });

  test('the console works at 375 px wide, with the navigation behind a menu button', async ({ page, waypost, problems }) => {
    const owner = await createOwner(waypost);
    await page.setViewportSize({ width: 375, height: 740 });
    await page.goto(`${waypost.url}/app/offers?status=active`);
    await page.getByLabel('Email').fill(owner.email);
    await page.getByLabel('Password').fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Back where the link pointed, filters included.
    await expect(page.getByRole('combobox', { name: 'Status' })).toHaveValue('active');
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
    await expect(page.getByRole('heading', { name: 'Reports' })).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await page.goto(`${waypost.url}/app/offers`);
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    expect(problems.cspViolations).toEqual([]);
  });
});
