import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { readmeQuotes, runExample } from '../../../scripts/test-support/readme.js';

const root = fileURLToPath(new URL('..', import.meta.url));

it('runs the README example as written', async () => {
  expect(readmeQuotes(`${root}README.md`, `${root}examples/validate.ts`)).toBe(true);
  const output = await runExample('examples/validate.ts', { cwd: root });
  expect(output).toContain('49.9 EUR');
  expect(output).toContain('{ ok: true, minor: 4990 }');
  expect(output).toContain('49.90 1500 12.345');
  expect(output).toContain("path: 'amount'");
});
