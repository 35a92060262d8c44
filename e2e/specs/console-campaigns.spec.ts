import type { Page } from '@playwright/test';
import { expect, HOSTS, test, type WaypostServer } from '../fixtures.js';
import { createOwner, expectNoSeriousViolations, clipboard, escapeRegExp } from '../console.js';

/**
 * The console's campaign walk-through (issues #16 and #17), by role and accessible name only: a traffic source, a lander
 * and a campaign with two streams made in the console, the campaign URL copied and opened in Chromium (it goes to the
 * lander, whose click URL goes on to the offer), and the visit and the lander click in Reports.
 */
test.describe('the console’s campaigns walk-through', () => {
  test.skip(({ build }) => build !== 'script', 'the console loads no build of the browser SDK: one run is enough');

  test('a media buyer sets up a source, a lander and a two-stream campaign, and sees its visit in Reports', async ({ page, context, site, waypost, problems }) => {
    test.setTimeout(90_000);
    const owner = await createOwner(waypost, 'buyer');
    const offerUrl = site.page(HOSTS.network, '/solar', { tracker: false, body: '<h1>Solar offer</h1>' });
    const offer = await waypost.createOffer({ name: 'Campaign solar offer', url: `${offerUrl}?click_id={click_id}` });
    const landerUrl = site.page(HOSTS.lander, '/quiz', { tracker: false, body: '<h1>Solar quiz lander</h1>' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: waypost.url });

    await page.goto(`${waypost.url}/app/traffic-sources`);
    await page.getByLabel('Email').fill(owner.email);
    await page.getByLabel('Password').fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const navigation = page.getByRole('navigation', { name: 'Main' });

    // Traffic source
    await expect(page.getByRole('heading', { name: 'Traffic sources', level: 1 })).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: 'No traffic sources yet' })).toBeVisible();
    await expectNoSeriousViolations(page, 'traffic sources list (empty)');
    await page.getByRole('button', { name: 'Add traffic source' }).click();
    await page.getByLabel('Traffic source name').fill('Console Ads');
    await page.getByLabel('Macro (parameter 1)').fill('{clickid}');
    await page.getByRole('button', { name: 'Add parameter' }).click();
    await page.getByLabel('Field (parameter 2)').selectOption({ label: 'Sub 1' });
    await page.getByLabel('URL parameter (parameter 2)').fill('zone');
    await page.getByLabel('Macro (parameter 2)').fill('{zoneid}');
    await expectNoSeriousViolations(page, 'traffic source form');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('table', { name: 'Traffic sources' }).getByRole('link', { name: 'Console Ads' })).toBeVisible();
    await expectNoSeriousViolations(page, 'traffic sources list');

    // Lander
    await navigation.getByRole('link', { name: 'Landers', exact: true }).click();
    await page.getByRole('button', { name: 'Add lander' }).click();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByLabel('Lander name')).toHaveAccessibleDescription(/Is required/);
    await page.getByLabel('Lander name').fill('Solar quiz');
    await page.getByLabel('Lander URL').fill(landerUrl);
    await expectNoSeriousViolations(page, 'lander form');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('table', { name: 'Landers' }).getByRole('link', { name: 'Solar quiz' })).toBeVisible();
    await expectNoSeriousViolations(page, 'landers list');

    // Campaign with two streams: zone 42 goes elsewhere; everyone else to the lander and the offer.
    await navigation.getByRole('link', { name: 'Campaigns', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: 'No campaigns yet' })).toBeVisible();
    await page.getByRole('button', { name: 'Add campaign' }).click();
    await page.getByLabel('Campaign name').fill('Console solar push');
    await page.getByLabel('Traffic source').selectOption({ label: 'Console Ads' });
    await page.getByLabel('Currency').selectOption('USD');
    await page.getByLabel('Cost model').selectOption({ label: 'CPC: per visit' });
    await page.getByLabel('Cost amount').fill('0.05');
    const first = page.getByRole('group', { name: 'Stream 1' });
    await first.getByLabel('Stream name').fill('Zone 42');
    await first.getByRole('button', { name: 'Add filter' }).click();
    await first.getByLabel('Filter type').selectOption({ label: 'URL parameter' });
    await first.getByLabel('Filter values').fill('zone=42');
    await first.getByLabel('Action').selectOption({ label: 'Redirect to a URL' });
    await first.getByLabel('Redirect URL').fill(site.page(HOSTS.ads, '/zone-42', { tracker: false }));
    await page.getByRole('button', { name: 'Add stream' }).click();
    const second = page.getByRole('group', { name: 'Stream 2' });
    await second.getByLabel('Stream name').fill('Everyone else');
    await second.getByLabel('Stream type').selectOption({ label: 'Default: when no other passes' });
    await second.getByRole('button', { name: 'Add lander' }).click();
    await second.getByLabel('Lander 1', { exact: true }).selectOption({ label: 'Solar quiz' });
    await second.getByLabel('Offer 1', { exact: true }).selectOption({ label: 'Campaign solar offer' });
    await expectNoSeriousViolations(page, 'campaign form');
    await page.getByRole('button', { name: 'Save' }).click();

    await expect(page.getByRole('heading', { name: 'Console solar push', level: 1 })).toBeVisible();
    const campaignId = new URL(page.url()).pathname.split('/').at(-1)!;
    const saved = await waypost.api.campaigns.retrieve(campaignId);
    expect(saved).toMatchObject({
      name: 'Console solar push',
      cost: { model: 'cpc', amount: '0.05' },
      streams: [
        { name: 'Zone 42', type: 'regular', filters: [{ type: 'param', mode: 'allow', values: ['zone=42'] }], action: { type: 'redirect' } },
        { name: 'Everyone else', type: 'default', action: { type: 'flow', offers: [{ offerId: offer.id, weight: 100 }] } },
      ],
    });

    const campaignUrl = page.getByRole('textbox', { name: 'Campaign URL' });
    await expect(campaignUrl).toHaveAttribute('readonly', '');
    await expect(campaignUrl).toHaveValue(new RegExp(`^${escapeRegExp(waypost.publicUrl)}/t/${campaignId}\\?`));
    await page.getByRole('button', { name: 'Copy campaign URL' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Copied.' })).toBeVisible();
    const copied = await clipboard(page);
    expect(copied).toBe(await campaignUrl.inputValue());
    expect(copied).toContain('clickid={clickid}');
    const clickUrl = await page.getByRole('textbox', { name: 'Click URL' }).inputValue();
    await expectNoSeriousViolations(page, 'campaign page');
    await navigation.getByRole('link', { name: 'Campaigns', exact: true }).click();
    await expect(page.getByRole('table', { name: 'Campaigns' }).getByRole('row').filter({ hasText: 'Console solar push' })).toContainText('Console Ads');
    await expectNoSeriousViolations(page, 'campaigns list');

    // The traffic source fills its macros; the visit takes the default stream to the lander, then the click URL to the offer.
    await page.goto(copied.replace('{clickid}', 'src-click-1').replace('{zoneid}', '7'));
    await expect(page.getByRole('heading', { name: 'Solar quiz lander' })).toBeVisible();
    await page.goto(clickUrl);
    await expect(page.getByRole('heading', { name: 'Solar offer' })).toBeVisible();

    await page.goto(`${waypost.url}/app/campaigns/${campaignId}`);
    await page.getByRole('button', { name: 'Report' }).click();
    await expect(page.getByRole('heading', { name: 'Reports', level: 1 })).toBeVisible();
    const report = page.getByRole('table', { name: 'Reports' });
    const row = report.getByRole('row').filter({ hasText: 'Everyone else' });
    await expect(row).toContainText('Solar quiz');
    await expect(row).toContainText('Campaign solar offer');
    const cells = row.getByRole('cell');
    // Stream, lander, offer, then visits, unique visits, lander clicks, conversions, revenue, payout, cost.
    await expect(cells.nth(3)).toHaveText('1');
    await expect(cells.nth(5)).toHaveText('1');
    await expect(cells.nth(9)).toHaveText('$0.05');
    await expect(page.getByRole('img', { name: /^Visits by stream and lander and offer/ })).toBeVisible();
    await expectNoSeriousViolations(page, 'reports');
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Export CSV' }).click();
    const csv = await (await download).path().then((path) => import('node:fs').then((fs) => fs.readFileSync(path, 'utf8')));
    expect(csv.split('\n')[0]).toContain('visits');

    await navigation.getByRole('link', { name: 'Dashboard', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible();
    await expect(page.getByRole('figure', { name: 'Clicks a day' })).toBeVisible();
    await expectNoSeriousViolations(page, 'dashboard');
    expect(problems.cspViolations).toEqual([]);
    expect(problems.pageErrors).toEqual([]);
  });

  test('the tracker screens fit 375 px wide', async ({ page, waypost, problems }) => {
    const owner = await createOwner(waypost, 'buyer');
    await page.setViewportSize({ width: 375, height: 740 });
    await page.goto(`${waypost.url}/app/campaigns/new`);
    await page.getByLabel('Email').fill(owner.email);
    await page.getByLabel('Password').fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { name: 'Add campaign' })).toBeVisible();
    await page.getByRole('group', { name: 'Stream 1' }).getByRole('button', { name: 'Add filter' }).click();
    for (const [path, heading] of [
      ['/app/campaigns/new', 'Add campaign'],
      ['/app/traffic-sources/new', 'Add traffic source'],
      ['/app/reports?groupBy=campaign,lander,offer', 'Reports'],
      ['/app/dashboard', 'Dashboard'],
    ] as const) {
      if (!page.url().endsWith(path)) await page.goto(`${waypost.url}${path}`);
      await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(375);
      await expectNoSeriousViolations(page, `${heading} at 375 px`);
    }
    expect(problems.cspViolations).toEqual([]);
  });
});
