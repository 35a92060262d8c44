import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { readmeQuotes, runExample } from '../../../scripts/test-support/readme.js';
import { freshDatabaseUrl } from './support/harness.js';

const root = fileURLToPath(new URL('..', import.meta.url));

it('runs the README example as written', async () => {
  expect(readmeQuotes(`${root}README.md`, `${root}examples/embed.ts`)).toBe(true);
  const output = await runExample('examples/embed.ts', { cwd: root, env: { WAYPOST_DATABASE_URL: await freshDatabaseUrl('sqlite') } });
  expect(output.trim()).toBe('201 Solar US 25.00 USD');
});
