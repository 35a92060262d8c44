// Finds pnpm PNPM_VERSION, or installs it under <repo>/.tools (never globally).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fail, run, step, which } from './proc.mjs';

export const PNPM_VERSION = '12.21.0';

function versionOf(executable) {
  const result = spawnSync(executable, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.error || result.status !== 0) return undefined;
  return result.stdout.trim().split('\n').pop()?.trim();
}

/** Resolves to the absolute path of a pnpm whose version is exactly PNPM_VERSION. */
export async function ensurePnpm(root) {
  const onPath = which('pnpm');
  if (onPath && versionOf(onPath) === PNPM_VERSION) return onPath;

  const local = join(root, '.tools', 'node_modules', '.bin', 'pnpm');
  if (existsSync(local) && versionOf(local) === PNPM_VERSION) return local;

  step(`installing pnpm ${PNPM_VERSION} into .tools/`);
  // npm normally sits next to node; fall back to PATH.
  const npm = [join(dirname(process.execPath), 'npm')].find((p) => existsSync(p)) ?? which('npm');
  if (!npm) fail('npm was not found next to node or on PATH; it is needed to install pnpm.');
  const started = Date.now();
  const code = await run(npm, [
    'install',
    '--prefix',
    join(root, '.tools'),
    '--no-save',
    '--no-audit',
    '--no-fund',
    '--no-package-lock',
    '--ignore-scripts=false',
    `pnpm@${PNPM_VERSION}`,
  ]);
  if (code !== 0) fail(`could not install pnpm ${PNPM_VERSION} (npm exit code ${code}).`, code);
  const installed = existsSync(local) ? versionOf(local) : undefined;
  if (installed !== PNPM_VERSION) {
    fail(`installed pnpm into .tools/ but \`${local} --version\` printed ${installed ?? 'nothing'}, not ${PNPM_VERSION}.`);
  }
  console.log(`    ok (${((Date.now() - started) / 1000).toFixed(1)}s)`);
  return local;
}
