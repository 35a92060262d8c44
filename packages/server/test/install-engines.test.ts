import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';

const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'waypost-install-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** The pnpm that `npm start` uses: the one on PATH (npm test puts it there), else the copy in `.tools/`. */
function pnpm(): string {
  const local = join(REPO_ROOT, '.tools', 'node_modules', '.bin', 'pnpm');
  return existsSync(local) ? local : 'pnpm';
}

it("installs the workspace from its lockfile, as npm start does, without an engine warning on this Node", async () => {
  // The manifests and the lockfile only: the install is what is checked, not the checkout it would serve.
  for (const file of ['package.json', 'pnpm-workspace.yaml', 'pnpm-lock.yaml']) copyFileSync(join(REPO_ROOT, file), join(folder, file));
  const lockfile = readFileSync(join(REPO_ROOT, 'pnpm-lock.yaml'), 'utf8');
  const importers = lockfile.slice(lockfile.indexOf('\nimporters:\n'), lockfile.indexOf('\npackages:\n'));
  for (const [, dir] of importers.matchAll(/^ {2}([^\s:]+):$/gm)) {
    if (dir === '.') continue;
    mkdirSync(join(folder, dir!), { recursive: true });
    copyFileSync(join(REPO_ROOT, dir!, 'package.json'), join(folder, dir!, 'package.json'));
  }

  const { stdout, stderr } = await promisify(execFile)(pnpm(), ['install', '--frozen-lockfile', '--prefer-offline', '--ignore-scripts'], {
    cwd: folder,
    env: { ...process.env, CI: 'true' },
    maxBuffer: 16 * 1024 * 1024,
  });
  // msw's `msw init` prompt (@inquirer/*, removed by an override in pnpm-workspace.yaml) wanted Node 22 and printed
  // six of these on Node 20.
  expect(`${stdout}\n${stderr}`.split('\n').filter((line) => /unsupported engine/i.test(line))).toEqual([]);
  expect(existsSync(join(folder, 'packages', 'sdk-node', 'node_modules', 'msw'))).toBe(true);
}, 120_000);
