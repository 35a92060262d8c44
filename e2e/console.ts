import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, type WaypostServer } from './fixtures.js';

// What the console specs share: a signed-up owner, the axe-core check, and reading what a Copy button wrote.

let owners = 0;

/** An owner user, invited with the admin key and given a password through the invite link's token, as the API does it. */
export async function createOwner(waypost: WaypostServer, prefix = 'owner'): Promise<{ email: string; password: string }> {
  const email = `${prefix}-${++owners}-${Date.now()}@example.com`;
  const password = 'correct horse battery staple';
  const invited = await fetch(`${waypost.url}/v1/users`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${waypost.apiKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, role: 'owner' }),
  });
  expect(invited.status).toBe(201);
  const { inviteUrl } = (await invited.json()) as { inviteUrl: string };
  const accepted = await fetch(`${waypost.url}/v1/invites/accept`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ token: new URL(inviteUrl).pathname.split('/').at(-1), password }),
  });
  expect(accepted.status).toBe(200);
  return { email, password };
}

/** An axe-core scan of the page: no serious or critical violation. `WAYPOST_CONSOLE_SCREENSHOTS` keeps a picture of each screen. */
export async function expectNoSeriousViolations(page: Page, screen: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  expect(serious.map((violation) => `${screen}: ${violation.id} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`)).toEqual([]);
  if (process.env.WAYPOST_CONSOLE_SCREENSHOTS) {
    await page.screenshot({ path: `${process.env.WAYPOST_CONSOLE_SCREENSHOTS}/${screen.replace(/\W+/g, '-')}.png`, fullPage: true });
  }
}

export function clipboard(page: Page): Promise<string> {
  return page.evaluate(() => navigator.clipboard.readText());
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
