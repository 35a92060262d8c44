#!/usr/bin/env node
// Self-bootstrapping entry points: `npm start` and `npm test` on a machine with only Node 20 and npm.
//   node scripts/bootstrap.mjs start [server args...]  install pnpm + deps, build, run the reference server
//   node scripts/bootstrap.mjs test  [vitest args...]  also PostgreSQL + Chromium + Node 24, then lint, vitest (the
//                                                      whole suite on Node 24, then a compatibility subset on this
//                                                      Node), playwright
// Plain Node ESM with no dependencies: it runs before anything is installed.
import { existsSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fail, run, runStep, step } from './lib/proc.mjs';
import { ensureNode24 } from './lib/node24.mjs';
import { ensurePnpm } from './lib/pnpm.mjs';
import { runningServerDatabase } from './lib/server-lock.mjs';
import { ensureSystemDeps } from './lib/system-deps.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [mode, ...extraArgs] = process.argv.slice(2);

if (mode !== 'start' && mode !== 'test') {
  fail('usage: node scripts/bootstrap.mjs start|test [args...]   (or: npm start / npm test -- [args...])', 2);
}
const [nodeMajor, nodeMinor] = process.versions.node.split('.').map(Number);
// The floor of the build and test tools (Vite); `engines` in package.json and "Supported runtimes" in README.md.
if (nodeMajor < 20 || (nodeMajor === 20 && nodeMinor < 19)) fail(`Node.js 20.19 or newer is needed; this is ${process.version}.`);

const startedAt = Date.now();
const env = { ...process.env };

if (mode === 'start') {
  // Before the install and build: they would replace dist/ under the server that runs from it.
  const busy = runningServerDatabase(root, extraArgs, env);
  if (busy) fail(`a Waypost server is already running on ${busy}; stop it first, or start this one on another database with --database-url. Nothing was installed or rebuilt.`);
}

let systemDeps;
if (mode === 'test') {
  // Checked first, so a missing prerequisite fails before the long install and build.
  systemDeps = await ensureSystemDeps(env);
  env.WAYPOST_PG_BIN = systemDeps.pgBin;
  env.CHROMIUM_PATH = systemDeps.chromium;
}
// The whole vitest suite runs on Node 24, the current LTS line we recommend. The Node that started `npm test` (20 on a
// bare machine) then runs a compatibility subset: the Node SDK and the examples, which users run on their own Node, and
// the server files that lean hardest on the runtime (drivers, crypto, streams, HTTP, child processes). Running
// everything twice no longer fits the 15-minute budget. Extra arguments select a subset of one run on this Node.
const COMPAT_FILTERS = [
  'packages/sdk-node/',
  'examples/',
  'packages/server/test/storage-contract.test.ts',
  'packages/server/test/tracking-funnel.test.ts',
  'packages/server/test/outbox-postbacks.test.ts',
  'packages/server/test/sessions.test.ts',
  'packages/server/test/webhook-networks.test.ts',
  'packages/server/test/local-archives.test.ts',
  'packages/server/test/campaign-routing.test.ts',
  'packages/server/test/graceful-shutdown.test.ts',
  'packages/server/test/cli.test.ts',
];
let node24;
if (mode === 'test' && extraArgs.length === 0 && nodeMajor !== 24) node24 = await ensureNode24(root, env);

const pnpm = await ensurePnpm(root);
// Nested `pnpm` calls in package scripts must find the same pnpm.
env.PATH = `${dirname(pnpm)}${delimiter}${env.PATH ?? ''}`;
const opts = { env, cwd: root };

await runStep('pnpm install --frozen-lockfile', pnpm, ['install', '--frozen-lockfile'], opts);
await runStep('pnpm build', pnpm, ['run', 'build'], opts);

if (mode === 'start') {
  const cli = join(root, 'packages', 'server', 'dist', 'cli.js');
  if (!existsSync(cli)) fail(`the build did not produce ${cli}.`);
  step(`starting the server: node packages/server/dist/cli.js start ${extraArgs.join(' ')}`.trimEnd());
  // Own process group: a terminal Ctrl-C reaches the server once, through our forwarding.
  process.exit(await run(process.execPath, [cli, 'start', ...extraArgs], { ...opts, detached: true }));
}

console.log(`\nPostgreSQL: ${systemDeps.pgBin}\nChromium:   ${systemDeps.chromium}`);
if (node24?.node) console.log(`Node 24:    ${node24.node}`);
await runStep('pnpm lint (typecheck)', pnpm, ['run', 'lint'], opts);
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
if (extraArgs.length > 0 || nodeMajor === 24 || node24.skipped) {
  if (extraArgs.length > 0) console.log('\n(one vitest run, on this Node: extra arguments select a subset of the suite)');
  else if (nodeMajor !== 24) console.log(`\n(the whole suite runs on Node ${process.versions.node}: ${node24.skipped})`);
  await runStep(`vitest run ${extraArgs.join(' ')}`.trimEnd(), pnpm, ['exec', 'vitest', 'run', ...extraArgs], opts);
} else {
  // Node 24's directory comes first on PATH too, so that what the tests start by name (pnpm's scripts, npm) runs
  // on it as well; what they start through process.execPath (the server CLI, examples, vitest's workers) does anyway.
  const node24Env = { ...env, PATH: `${dirname(node24.node)}${delimiter}${env.PATH}` };
  await runStep(`vitest run on Node ${node24.version} (the whole suite)`, node24.node, [vitest, 'run'], { env: node24Env, cwd: root });
  await runStep(
    `vitest run on Node ${process.versions.node} (compatibility: Node SDK, examples and ${COMPAT_FILTERS.length - 2} server files)`,
    process.execPath,
    [vitest, 'run', ...COMPAT_FILTERS],
    opts,
  );
}
if (existsSync(join(root, 'e2e', 'playwright.config.ts'))) {
  if (extraArgs.length > 0) {
    console.log('\n(skipping the Playwright e2e run: extra arguments select a subset of the vitest suite)');
  } else {
    await runStep('playwright test (e2e)', pnpm, ['--filter', './e2e', 'exec', 'playwright', 'test'], opts);
  }
}
console.log(`\nwaypost: all test steps passed (${((Date.now() - startedAt) / 1000).toFixed(0)}s)`);
