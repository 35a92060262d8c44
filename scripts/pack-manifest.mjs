#!/usr/bin/env node
// The package.json that `npm pack` puts in a tarball, for a workspace package whose package.json is written for the
// workspace. npm packs package.json as it is on disk, and does not apply `publishConfig` as pnpm does, so:
//   node ../../scripts/pack-manifest.mjs strip     (prepack)  writes the packed manifest, keeping the original aside
//   node ../../scripts/pack-manifest.mjs restore   (postpack) puts the original back
// The packed manifest has `publishConfig.exports` as its `exports` (else `exports` without any `source` condition:
// its TypeScript file is not packed, and a consumer resolving with `--conditions=source` would get a missing file),
// and no devDependencies or scripts: the devDependencies name `workspace:` packages that mean nothing outside this
// repository (npm never installs a dependency's devDependencies anyway), and the scripts run only with them.
// Plain Node ESM with no dependencies: it runs in a clone before anything else.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.cwd();
const manifestPath = join(dir, 'package.json');
// Outside `files`, so never packed; left behind only by a pack that failed, and then the next pack starts from it.
const originalPath = join(dir, 'package.workspace.json');

/** `exports` with every `source` condition removed, at any depth. */
function withoutSource(exports) {
  if (exports === null || typeof exports !== 'object' || Array.isArray(exports)) return exports;
  return Object.fromEntries(Object.entries(exports).filter(([key]) => key !== 'source').map(([key, value]) => [key, withoutSource(value)]));
}

function strip() {
  if (!existsSync(originalPath)) writeFileSync(originalPath, readFileSync(manifestPath));
  const original = readFileSync(originalPath, 'utf8');
  const { publishConfig = {}, devDependencies: _devDependencies, scripts: _scripts, ...manifest } = JSON.parse(original);
  const { exports: publishedExports, ...registryConfig } = publishConfig;
  const packed = {
    ...manifest,
    ...(manifest.exports || publishedExports ? { exports: withoutSource(publishedExports ?? manifest.exports) } : {}),
    ...(Object.keys(registryConfig).length ? { publishConfig: registryConfig } : {}),
  };
  writeFileSync(manifestPath, `${JSON.stringify(packed, null, 2)}\n`);
}

function restore() {
  if (existsSync(originalPath)) renameSync(originalPath, manifestPath);
}

const command = process.argv[2];
if (command === 'strip') strip();
else if (command === 'restore') restore();
else {
  console.error('usage: node pack-manifest.mjs strip|restore   (run in the package folder, as its prepack and postpack)');
  process.exit(2);
}
