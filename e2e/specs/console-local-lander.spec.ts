import type { Page } from '@playwright/test';
import { buildZip } from '../../packages/server/test/support/zip.js';
import { expect, HOSTS, test, type WaypostServer } from '../fixtures.js';
import { createOwner, expectNoSeriousViolations } from '../console.js';

/**
 * Issue #18 in the console, by role and accessible name: a lander's zip uploaded on its page (progress, file list,
 * preview), the campaign link landing on that local lander in Chromium and its {click_url} leading to the offer; and
 * the keyword set editor.
 */
test.describe('the console’s local landers and keyword sets', () => {
  test.skip(({ build }) => build !== 'script', 'the console loads no build of the browser SDK: one run is enough');
  // Headless Chromium names itself HeadlessChrome, which the campaign link rightly counts as a bot.
  test.use({ userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36' });

  test('a lander archive uploaded in the console is what the campaign link shows, and its {click_url} leads to the offer', async ({ page, context, site, waypost }) => {
    test.setTimeout(90_000);
    const owner = await createOwner(waypost, 'local');
    const offerPage = site.page(HOSTS.network, '/vpn', { tracker: false, body: '<h1>VPN trial</h1>' });
    const offer = await waypost.api.offers.create({ name: 'Console VPN trial', url: `${offerPage}?click_id={click_id}`, payout: { model: 'cpa', amount: '4.00' } });
    const lander = await waypost.api.landers.create({ name: 'Console local quiz' });

    await page.goto(`${waypost.url}/app/landers/${lander.id}/edit`);
    await page.getByLabel('Email').fill(owner.email);
    await page.getByLabel('Password').fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { name: 'Edit Console local quiz' })).toBeVisible();

    // A zip without index.html is refused in words, and nothing is listed.
    await page.getByLabel('Archive (zip)').setInputFiles({ name: 'broken.zip', mimeType: 'application/zip', buffer: buildZip([{ name: 'page.html', content: '<p>no index</p>' }]) });
    await page.getByRole('button', { name: 'Upload archive' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'The archive was not uploaded' })).toContainText(/index\.html/);
    await expect(page.getByRole('table', { name: 'Files' })).toHaveCount(0);

    const zip = buildZip([
      {
        name: 'index.html',
        content: '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Quiz</title></head><body><h1>Is your connection private?</h1><p id="visit">{click_id}</p><a href="{click_url}">Get the VPN</a></body></html>',
      },
      { name: 'css/quiz.css', content: 'h1 { color: rgb(10, 20, 30); }' },
    ]);
    await page.getByLabel('Archive (zip)').setInputFiles({ name: 'quiz.zip', mimeType: 'application/zip', buffer: zip });
    await page.getByRole('button', { name: 'Upload archive' }).click();
    const files = page.getByRole('table', { name: 'Files' });
    await expect(files.getByRole('cell', { name: 'index.html' })).toBeVisible();
    await expect(files.getByRole('cell', { name: 'css/quiz.css' })).toBeVisible();
    await expectNoSeriousViolations(page, 'lander page with its archive');

    const [preview] = await Promise.all([context.waitForEvent('page'), page.getByRole('link', { name: 'Preview' }).click()]);
    await preview.waitForLoadState();
    expect(new URL(preview.url()).pathname).toBe(`/l/${lander.id}/`);
    await expect(preview.getByRole('heading', { name: 'Is your connection private?' })).toBeVisible();
    await preview.close();

    const campaign = await waypost.api.campaigns.create({
      name: 'Console local lander',
      streams: [{ name: 'Everyone', action: { type: 'flow', landers: [{ landerId: lander.id }], offers: [{ offerId: offer.id }] } }],
    });
    const { campaignUrl } = await waypost.api.campaigns.links(campaign.id);
    await page.goto(campaignUrl);
    await page.waitForURL(`${waypost.publicUrl}/l/${lander.id}/?cid=*`);
    const clickId = await page.locator('#visit').textContent();
    await page.getByRole('link', { name: 'Get the VPN' }).click();
    await page.waitForURL(`${offerPage}?*`);
    await expect(page.getByRole('heading', { name: 'VPN trial' })).toBeVisible();
    expect(new URL(page.url()).searchParams.get('click_id')).toBe(clickId);
  });

  test('the keyword set editor turns a pasted list into rows with weights and switches', async ({ page, waypost }) => {
    const owner = await createOwner(waypost, 'local');
    await page.goto(`${waypost.url}/app/offers`);
    await page.getByLabel('Email').fill(owner.email);
    await page.getByLabel('Password').fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Keyword sets' }).click();
    await page.getByRole('button', { name: 'Add keyword set' }).click();
    await page.getByLabel('Name').fill('Solar search');
    await page.getByLabel('Keywords', { exact: true }).fill('solar panels\ncheap solar\nsolar loans');
    await page.getByRole('button', { name: 'Add keywords' }).click();
    await page.getByLabel('Weight of cheap solar').fill('300');
    await page.getByLabel('solar loans active').uncheck();
    await expectNoSeriousViolations(page, 'keyword set editor');
    await page.getByRole('button', { name: 'Save' }).click();
    const row = page.getByRole('table', { name: 'Keyword sets' }).getByRole('row').filter({ hasText: 'Solar search' });
    await expect(row).toContainText('2 active of 3');
    await expectNoSeriousViolations(page, 'keyword sets list');
  });
});
