import { buildZip } from '../../../packages/server/test/support/zip.js';
import { expect, HOSTS, test } from '../../fixtures.js';

// A 1×1 PNG, so that the page has an image of its own to load.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

test.describe('a local lander: a zip uploaded to the tracker and served by it (issue #18)', () => {
  test.skip(({ build }) => build !== 'script', 'no page here loads the browser SDK');
  // Headless Chromium names itself HeadlessChrome, which the campaign link rightly counts as a bot.
  test.use({ userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36' });

  test('the campaign link lands on the local lander, which loads its own files under the CSP, and its {click_url} leads to the offer', async ({ page, site, waypost }) => {
    const offerPage = site.page(HOSTS.network, '/vpn', { tracker: false, body: '<h1>VPN trial</h1>' });
    const offer = await waypost.api.offers.create({ name: 'VPN trial (local lander)', url: `${offerPage}?click_id={click_id}`, payout: { model: 'cpa', amount: '4.00' } });
    const lander = await waypost.api.landers.create({ name: 'Local quiz' });
    await waypost.api.landers.uploadArchive(
      lander.id,
      buildZip([
        {
          name: 'index.html',
          content:
            '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Quiz</title><link rel="stylesheet" href="css/quiz.css">' +
            '<script src="quiz.js"></script></head><body><h1>Is your connection private?</h1><img id="logo" src="img/logo.png" alt="">' +
            '<p id="visit">{click_id}</p><a href="{click_url}">Get the VPN</a></body></html>',
        },
        { name: 'css/quiz.css', content: 'h1 { color: rgb(10, 20, 30); }' },
        { name: 'quiz.js', content: 'document.addEventListener("DOMContentLoaded", () => document.body.dataset.ready = "yes");' },
        { name: 'img/logo.png', content: PNG, method: 'store' },
      ]),
    );
    const campaign = await waypost.api.campaigns.create({
      name: 'Local lander',
      streams: [{ name: 'Everyone', action: { type: 'flow', landers: [{ landerId: lander.id }], offers: [{ offerId: offer.id }] } }],
    });
    const { campaignUrl } = await waypost.api.campaigns.links(campaign.id);

    await page.goto(campaignUrl);
    await page.waitForURL(`${waypost.publicUrl}/l/${lander.id}/?cid=*`);
    const heading = page.getByRole('heading', { name: 'Is your connection private?' });
    await expect(heading).toHaveCSS('color', 'rgb(10, 20, 30)');
    await expect(page.locator('body')).toHaveAttribute('data-ready', 'yes');
    expect(await page.locator('#logo').evaluate((image: HTMLImageElement) => image.naturalWidth)).toBe(1);
    const clickId = await page.locator('#visit').textContent();
    expect(clickId).toBe(new URL(page.url()).searchParams.get('cid'));

    await page.getByRole('link', { name: 'Get the VPN' }).click();
    await page.waitForURL(`${offerPage}?*`);
    await expect(page.getByRole('heading', { name: 'VPN trial' })).toBeVisible();
    expect(new URL(page.url()).searchParams.get('click_id')).toBe(clickId);
    expect(await waypost.api.clicks.retrieve(clickId!)).toMatchObject({ landerId: lander.id, landerClickedAt: expect.any(String) });
  });
});
