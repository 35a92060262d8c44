// Child-process helpers for bootstrap.mjs: headed steps, streamed output, signal forwarding.
// Plain Node ESM with no dependencies: this runs before `pnpm install`.
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { constants as osConstants } from 'node:os';

export function step(title) {
  console.log(`\n==> ${title}`);
}

export function fail(message, code = 1) {
  console.error(`\nwaypost: ${message}`);
  process.exit(code);
}

/** Absolute path of an executable named `name` on PATH (or in `extraDirs`), or undefined. */
export function which(name, pathValue = process.env.PATH ?? '', extraDirs = []) {
  for (const dir of [...pathValue.split(delimiter), ...extraDirs]) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

export function isExecutableFile(file) {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

// One child runs at a time. SIGINT/SIGTERM/SIGHUP sent to us are forwarded to it. A Ctrl-C in a terminal
// reaches us twice (from the terminal and again from `npm`, which forwards to its script), so a signal is
// forwarded at most once per second.
let current;
const lastForwarded = new Map();
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (!current) process.exit(128 + (osConstants.signals[signal] ?? 0));
    const now = Date.now();
    if (now - (lastForwarded.get(signal) ?? 0) < 1000) return;
    lastForwarded.set(signal, now);
    try {
      current.kill(signal);
    } catch {
      // already gone
    }
  });
}

/**
 * Runs a command with inherited stdio and resolves to its exit code (128+n when it died of signal n).
 * `detached` puts the child in its own process group so that a terminal's Ctrl-C reaches it only through
 * our (deduplicated) forwarding: used for the long-running server.
 */
export function run(command, args, { env = process.env, cwd, detached = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', env, cwd, detached });
    current = child;
    child.on('error', (error) => {
      current = undefined;
      console.error(`waypost: could not run ${command}: ${error.message}`);
      resolve(127);
    });
    child.on('exit', (code, signal) => {
      current = undefined;
      resolve(code ?? 128 + (osConstants.signals[signal] ?? 0));
    });
  });
}

/** Runs a step and exits the process with the child's code when it fails. */
export async function runStep(title, command, args, options) {
  step(title);
  const started = Date.now();
  const code = await run(command, args, options);
  if (code !== 0) fail(`step failed: ${title} (exit code ${code})`, code);
  console.log(`    ok (${((Date.now() - started) / 1000).toFixed(1)}s)`);
}

/** What `executable --version` prints (its last line, without a leading "v"), or undefined when it does not run. */
export function versionOf(executable) {
  const result = spawnSync(executable, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.error || result.status !== 0) return undefined;
  return result.stdout.trim().split('\n').pop()?.trim().replace(/^v/, '');
}

/**
 * Installs `spec` from the npm registry under `prefix` (never globally), with the npm that sits next to this node, and
 * exits unless `binary --version` then prints `version`. `what` names it in messages; `shown` is the folder as printed.
 */
export async function installFromNpm({ prefix, shown, spec, what, binary, version, npmArgs = [] }) {
  step(`installing ${what} into ${shown}`);
  const npm = [join(dirname(process.execPath), 'npm')].find((p) => existsSync(p)) ?? which('npm');
  if (!npm) fail(`npm was not found next to node or on PATH; it is needed to install ${what}.`);
  const started = Date.now();
  const code = await run(npm, ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', '--no-package-lock', ...npmArgs, spec]);
  if (code !== 0) fail(`could not install ${spec} (npm exit code ${code}).`, code);
  const installed = existsSync(binary) ? versionOf(binary) : undefined;
  if (installed !== version) {
    fail(`installed ${spec} into ${shown} but \`${binary} --version\` printed ${installed ?? 'nothing'}, not ${version}.`);
  }
  console.log(`    ok (${((Date.now() - started) / 1000).toFixed(1)}s)`);
}
