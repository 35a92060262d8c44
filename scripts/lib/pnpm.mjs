// Finds pnpm PNPM_VERSION, or installs it under <repo>/.tools (never globally).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { installFromNpm, versionOf, which } from './proc.mjs';

export const PNPM_VERSION = '12.21.0';

/** Resolves to the absolute path of a pnpm whose version is exactly PNPM_VERSION. */
export async function ensurePnpm(root) {
  const onPath = which('pnpm');
  if (onPath && versionOf(onPath) === PNPM_VERSION) return onPath;

  const local = join(root, '.tools', 'node_modules', '.bin', 'pnpm');
  if (existsSync(local) && versionOf(local) === PNPM_VERSION) return local;

  await installFromNpm({
    prefix: join(root, '.tools'),
    shown: '.tools/',
    spec: `pnpm@${PNPM_VERSION}`,
    what: `pnpm ${PNPM_VERSION}`,
    binary: local,
    version: PNPM_VERSION,
    npmArgs: ['--ignore-scripts=false'],
  });
  return local;
}
