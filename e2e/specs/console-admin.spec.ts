import type { Page } from '@playwright/test';
import { expect, test, type WaypostServer } from '../fixtures.js';
import { expectNoSeriousViolations } from '../console.js';

/**
 * The console's admin screens (issue #16): publishers, affiliate networks, conversions, payments, the postback and
 * delivery logs and settings, each visited by an owner with one real action and an axe-core scan; an analyst sees
 * no button that would change anything. Controls are found by role and accessible name only.
 */
test.describe('the console’s admin screens', () => {
  test.skip(({ build }) => build !== 'script', 'the console loads no build of the browser SDK: one run is enough');
  // One walk through seven screens with an axe scan on each: longer than a single page's test.
  test.describe.configure({ timeout: 120_000 });

  test('an owner creates a publisher, approves a conversion, adds a network from a template, creates an API key and invites a user', async ({ page, waypost, problems }) => {
    const owner = await createUser(waypost, 'owner');
    const offer = await waypost.createOffer({ name: 'Admin screens offer' });
    const seeded = await waypost.createPublisher({ name: 'Seeded Media' });
    const pending = await adminFetch(waypost, '/v1/transactions', { offerId: offer.id, publisherId: seeded.id, amount: '10.00', transactionId: `order-${Date.now()}`, status: 'pending' });
    // A postback for a click that does not exist: the log says why it was refused.
    await fetch(`${waypost.url}/postback?click_id=no-such-click&amount=12.00&token=${offer.postbackToken}`);

    await signIn(page, waypost, owner, '/app/publishers');
    const navigation = page.getByRole('navigation', { name: 'Main' });

    // Publishers: add one.
    await expect(page.getByRole('heading', { name: 'Publishers', level: 1 })).toBeVisible();
    await expect(page.getByRole('table', { name: 'Publishers' }).getByRole('link', { name: 'Seeded Media' })).toBeVisible();
    await expectNoSeriousViolations(page, 'publishers list');
    await page.getByRole('button', { name: 'Add publisher' }).click();
    await page.getByLabel('Publisher name').fill('Console Partner');
    await page.getByLabel('Email').fill('partner@example.com');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('heading', { name: 'Console Partner', level: 1 })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Balance' })).toContainText('Approved, unpaid');
    await expectNoSeriousViolations(page, 'publisher page');
    const created = await fetch(`${waypost.url}/v1/publishers?q=Console%20Partner`, { headers: { Authorization: `Bearer ${waypost.apiKey}` } });
    expect(((await created.json()) as { data: unknown[] }).data).toEqual([expect.objectContaining({ name: 'Console Partner', email: 'partner@example.com' })]);

    // Conversions: approve the pending one.
    await navigation.getByRole('link', { name: 'Conversions' }).click();
    const conversions = page.getByRole('table', { name: 'Conversions' });
    await expect(conversions.getByRole('row').filter({ hasText: pending.id })).toContainText('Pending');
    await expectNoSeriousViolations(page, 'conversions');
    await page.getByRole('button', { name: `Approve conversion ${pending.id}` }).click();
    await expect(conversions.getByRole('row').filter({ hasText: pending.id })).toContainText('Approved');
    expect((await waypost.api.conversions.retrieve(pending.id)).status).toBe('approved');
    await page.getByRole('combobox', { name: 'Status' }).selectOption('rejected');
    await expect(page).toHaveURL(/\/app\/conversions\?status=rejected$/);
    await expect(page.getByRole('status').filter({ hasText: 'No conversions match these filters.' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Export CSV' })).toHaveAttribute('href', '/v1/conversions?format=csv&status=rejected');

    // Affiliate networks: one from a template.
    await navigation.getByRole('link', { name: 'Affiliate networks' }).click();
    await page.getByRole('button', { name: 'Add network' }).click();
    await page.getByLabel('From template').selectOption({ label: 'Affise' });
    await expect(page.getByRole('note', { name: 'Template notes' })).toBeVisible();
    await expect(page.getByLabel('Network name')).toHaveValue('Affise');
    await expectNoSeriousViolations(page, 'affiliate network form');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('table', { name: 'Affiliate networks' }).getByRole('link', { name: 'Affise' })).toBeVisible();
    await expectNoSeriousViolations(page, 'affiliate networks');

    // Payments, the postback log and the deliveries.
    await navigation.getByRole('link', { name: 'Payments' }).click();
    await expect(page.getByRole('form', { name: 'Create payment' })).toBeVisible();
    await expectNoSeriousViolations(page, 'payments');
    await navigation.getByRole('link', { name: 'Postback log' }).click();
    const log = page.getByRole('table', { name: 'Postback log' });
    await expect(log.getByRole('row').filter({ hasText: 'no-such-click' })).toBeVisible();
    await log.getByText(/parameters?$/).first().click();
    await expect(log.getByText('12.00')).toBeVisible();
    await expectNoSeriousViolations(page, 'postback log');
    await page.getByRole('link', { name: 'Deliveries' }).click();
    await expect(page.getByRole('heading', { name: 'Deliveries', level: 1 })).toBeVisible();
    await expectNoSeriousViolations(page, 'deliveries');

    // Settings: an API key shown once, and an invite link.
    await navigation.getByRole('link', { name: 'Settings' }).click();
    const keyForm = page.getByRole('form', { name: 'Create API key' });
    await keyForm.getByLabel('Key name').fill('Console key');
    await keyForm.getByRole('button', { name: 'Create API key' }).click();
    const newKey = page.getByRole('textbox', { name: 'New API key' });
    await expect(newKey).toHaveValue(/.{20,}/);
    const key = await newKey.inputValue();
    expect((await fetch(`${waypost.url}/v1/offers`, { headers: { Authorization: `Bearer ${key}` } })).status).toBe(200);
    const keyRow = page.getByRole('table', { name: 'API keys' }).getByRole('row').filter({ hasText: 'Console key' });
    await expect(keyRow).toBeVisible();
    await expect(keyRow).not.toContainText(key);
    await page.getByRole('button', { name: 'Done' }).click();
    await expect(newKey).toBeHidden();

    const invite = page.getByRole('form', { name: 'Invite user' });
    await invite.getByLabel('Email').fill(`invited-${Date.now()}@example.com`);
    await invite.getByLabel('Role').selectOption('admin');
    await invite.getByRole('button', { name: 'Invite user' }).click();
    await expect(page.getByRole('textbox', { name: 'Invite link' })).toHaveValue(/\/app\/invite\/[0-9a-z]+$/);
    await expect(page.getByRole('region', { name: 'E-mail (SMTP)' })).toContainText('Not configured');
    await expectNoSeriousViolations(page, 'settings');

    // Revoking the key stops it at once.
    await keyRow.getByRole('button', { name: 'Revoke Console key' }).click();
    await page.getByRole('button', { name: 'Revoke key' }).click();
    await expect(keyRow).toContainText('Revoked');
    expect((await fetch(`${waypost.url}/v1/offers`, { headers: { Authorization: `Bearer ${key}` } })).status).toBe(401);

    expect(problems.cspViolations).toEqual([]);
    expect(problems.pageErrors).toEqual([]);
  });

  test('an owner disables, enables, re-invites and deletes users, and renames and deletes a workspace', async ({ page, waypost, problems }) => {
    const owner = await createUser(waypost, 'owner');
    const member = await createUser(waypost, 'analyst');
    const invitedEmail = `pending-${Date.now()}@example.com`;
    const firstInvite = String((await adminFetch(waypost, '/v1/users', { email: invitedEmail, role: 'admin' })).inviteUrl);
    const workspace = String((await adminFetch(waypost, '/v1/workspaces', { name: `Short-lived ${Date.now()}`, visibility: 'private' })).name);
    const signInStatus = async () =>
      (await fetch(`${waypost.url}/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(member) })).status;

    await signIn(page, waypost, owner, '/app/settings');
    const users = page.getByRole('table', { name: 'Users' });
    const memberRow = users.getByRole('row').filter({ hasText: member.email });

    // Disable asks first, then signs the user out and refuses its sign-ins until it is enabled again.
    await memberRow.getByRole('button', { name: `Disable ${member.email}` }).click();
    await expect(page.getByRole('group', { name: `Disable ${member.email}?` })).toBeVisible();
    await expectNoSeriousViolations(page, 'settings, confirming a disable');
    await page.getByRole('button', { name: 'Disable user' }).click();
    await expect(memberRow).toContainText('Disabled');
    expect(await signInStatus()).toBeGreaterThanOrEqual(400);
    await memberRow.getByRole('button', { name: `Enable ${member.email}` }).click();
    await expect(memberRow).toContainText('Active');
    expect(await signInStatus()).toBe(200);
    // No action on oneself.
    await expect(users.getByRole('row').filter({ hasText: owner.email }).getByRole('button')).toHaveCount(0);

    // Edit: a name, another role and its workspaces, in a form under the table.
    await memberRow.getByRole('button', { name: `Edit ${member.email}` }).click();
    const edit = page.getByRole('form', { name: `Edit ${member.email}` });
    await edit.getByLabel('Name').fill('Renamed Analyst');
    await edit.getByLabel('Role').selectOption('member');
    await edit.getByRole('checkbox', { name: 'Default' }).check();
    await expectNoSeriousViolations(page, 'settings, editing a user');
    await edit.getByRole('button', { name: 'Save user' }).click();
    await expect(edit).toHaveCount(0);
    await expect(memberRow).toContainText('Renamed Analyst');
    await expect(memberRow).toContainText('Member');
    const listed = (await (await fetch(`${waypost.url}/v1/users?limit=500`, { headers: { Authorization: `Bearer ${waypost.apiKey}` } })).json()) as { data: Record<string, unknown>[] };
    expect(listed.data.find((user) => user.email === member.email)).toMatchObject({ name: 'Renamed Analyst', role: 'member', workspaceIds: ['ws_first'] });

    // An invited user gets a new link, which replaces the first; then it is deleted.
    const invitedRow = users.getByRole('row').filter({ hasText: invitedEmail });
    await invitedRow.getByRole('button', { name: `New invite link for ${invitedEmail}` }).click();
    const link = page.getByRole('textbox', { name: 'Invite link' });
    await expect(link).toHaveValue(/\/app\/invite\/[0-9a-z]+$/);
    expect(await link.inputValue()).not.toBe(firstInvite);
    await page.getByRole('button', { name: 'Done' }).click();
    await invitedRow.getByRole('button', { name: `Delete ${invitedEmail}` }).click();
    await page.getByRole('button', { name: 'Delete user' }).click();
    await expect(invitedRow).toHaveCount(0);

    // A workspace is renamed and made public in place, then deleted; the first workspace cannot go, and the console
    // says why.
    const workspaces = page.getByRole('table', { name: 'Workspaces' });
    await workspaces.getByRole('button', { name: `Edit ${workspace}` }).click();
    const editWorkspace = page.getByRole('form', { name: `Edit ${workspace}` });
    await editWorkspace.getByLabel('Name').fill(`${workspace} (renamed)`);
    await editWorkspace.getByLabel('Visibility').selectOption('public');
    await editWorkspace.getByRole('button', { name: 'Save workspace' }).click();
    const renamedRow = workspaces.getByRole('row').filter({ hasText: `${workspace} (renamed)` });
    await expect(renamedRow).toContainText('Public: every team member');
    await renamedRow.getByRole('button', { name: `Delete ${workspace} (renamed)` }).click();
    await page.getByRole('button', { name: 'Delete workspace' }).click();
    await expect(renamedRow).toHaveCount(0);
    await workspaces.getByRole('button', { name: 'Delete Default' }).click();
    await page.getByRole('button', { name: 'Delete workspace' }).click();
    await expect(workspaces.getByRole('alert')).toContainText('first workspace');
    await expectNoSeriousViolations(page, 'settings, a refused delete');

    expect(problems.cspViolations).toEqual([]);
    expect(problems.pageErrors).toEqual([]);
  });

  test("an owner sets a network's own parameter names and status values, and sees a refused name at its field", async ({ page, waypost, problems }) => {
    const owner = await createUser(waypost, 'owner');
    const network = await adminFetch(waypost, '/v1/affiliate-networks', { name: `Hand-made ${Date.now()}`, clickIdParam: 'aff_sub', macros: { clickId: '{aff_sub}' } });
    await signIn(page, waypost, owner, `/app/affiliate-networks/${network.id}`);
    const form = page.getByRole('form', { name: `Edit ${String(network.name)}` });

    // A name the aliases already read as another parameter is refused at its field.
    await form.getByLabel('Posts click_id as').fill('amount');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(form.getByLabel('Posts click_id as')).toHaveAccessibleDescription(/already names amount/);
    await form.getByLabel('Posts click_id as').fill('cnv_id');
    await form.getByRole('button', { name: 'Add status' }).click();
    await form.getByLabel('Network status 1').fill('paid');
    await form.getByLabel('Means (status 1)').selectOption('approved');
    await form.getByRole('button', { name: 'Add status' }).click();
    await form.getByLabel('Network status 2').fill('chargeback');
    await form.getByLabel('Means (status 2)').selectOption('rejected');
    await expectNoSeriousViolations(page, 'network form with a status map');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('heading', { name: 'Affiliate networks', level: 1 })).toBeVisible();

    const stored = (await (await fetch(`${waypost.url}/v1/affiliate-networks/${network.id}`, { headers: { Authorization: `Bearer ${waypost.apiKey}` } })).json()) as Record<string, unknown>;
    expect(stored.params).toEqual({ click_id: 'cnv_id' });
    expect(stored.statusMap).toEqual({ paid: 'approved', chargeback: 'rejected' });
    // Opened again, the form shows what is stored; removing a row removes it from the map.
    await page.goto(`${waypost.url}/app/affiliate-networks/${network.id}`);
    await expect(form.getByLabel('Network status 2')).toHaveValue('chargeback');
    await form.getByRole('button', { name: 'Remove status 1' }).click();
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('heading', { name: 'Affiliate networks', level: 1 })).toBeVisible();
    const updated = (await (await fetch(`${waypost.url}/v1/affiliate-networks/${network.id}`, { headers: { Authorization: `Bearer ${waypost.apiKey}` } })).json()) as Record<string, unknown>;
    expect(updated.statusMap).toEqual({ chargeback: 'rejected' });

    expect(problems.cspViolations).toEqual([]);
    expect(problems.pageErrors).toEqual([]);
  });

  test('an analyst reads every admin screen and finds nothing that would change a record', async ({ page, waypost, problems }) => {
    const analyst = await createUser(waypost, 'analyst');
    const offer = await waypost.createOffer({ name: 'Analyst offer' });
    const publisher = await waypost.createPublisher({ name: 'Analyst Media' });
    await adminFetch(waypost, '/v1/transactions', { offerId: offer.id, publisherId: publisher.id, amount: '5.00', status: 'pending' });
    await signIn(page, waypost, analyst, '/app/conversions');
    const navigation = page.getByRole('navigation', { name: 'Main' });

    const screens = [
      { link: 'Conversions', ready: page.getByRole('heading', { name: 'Conversions', level: 1 }) },
      { link: 'Publishers', ready: page.getByRole('heading', { name: 'Publishers', level: 1 }) },
      { link: 'Affiliate networks', ready: page.getByRole('heading', { name: 'Affiliate networks', level: 1 }) },
      { link: 'Payments', ready: page.getByRole('heading', { name: 'Payments', level: 1 }) },
      { link: 'Postback log', ready: page.getByRole('heading', { name: 'Postback log', level: 1 }) },
      { link: 'Settings', ready: page.getByRole('table', { name: 'Workspaces' }) },
    ];
    for (const screen of screens) {
      await navigation.getByRole('link', { name: screen.link, exact: true }).click();
      await expect(screen.ready).toBeVisible();
      await expect(page.getByRole('status').filter({ hasText: /^Loading/ })).toHaveCount(0);
      const buttons = await page.getByRole('main').getByRole('button').allTextContents();
      // Filtering and paging read; nothing else is offered.
      expect(buttons.filter((text) => !['Filter', 'First page', 'Next page', 'Try again'].includes(text) && !/parameters?$/.test(text)), screen.link).toEqual([]);
    }
    await expectNoSeriousViolations(page, 'settings as analyst');
    // At 375 px the page does not scroll sideways: wide tables scroll inside their own region.
    await page.setViewportSize({ width: 375, height: 740 });
    for (const path of ['/app/conversions', '/app/settings', '/app/postback-log']) {
      await page.goto(`${waypost.url}${path}`);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(375);
    }
    await expectNoSeriousViolations(page, 'postback log at 375 px');
    expect(problems.cspViolations).toEqual([]);
  });
});

let users = 0;

/** A user of `role`, invited with the admin key and given a password through the invite link's token. */
async function createUser(waypost: WaypostServer, role: 'owner' | 'analyst'): Promise<{ email: string; password: string }> {
  const email = `${role}-admin-${++users}-${Date.now()}@example.com`;
  const password = 'correct horse battery staple';
  const inviteUrl = String((await adminFetch(waypost, '/v1/users', { email, role })).inviteUrl);
  const accepted = await fetch(`${waypost.url}/v1/invites/accept`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ token: new URL(inviteUrl).pathname.split('/').at(-1), password }),
  });
  expect(accepted.status).toBe(200);
  return { email, password };
}

async function adminFetch(waypost: WaypostServer, path: string, body: unknown): Promise<{ id: string } & Record<string, unknown>> {
  const response = await fetch(`${waypost.url}${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${waypost.apiKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as { id: string } & Record<string, unknown>;
}

async function signIn(page: Page, waypost: WaypostServer, user: { email: string; password: string }, path: string): Promise<void> {
  await page.goto(`${waypost.url}${path}`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
}
