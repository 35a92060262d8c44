// Node 24 (the current LTS line) for the second vitest run of `npm test`, installed under <repo>/.tools/node24
// from the npm registry, which ships Node binaries as `node-<os>-<arch>` packages: no download from elsewhere.
// Plain Node ESM with no dependencies: this runs before `pnpm install`.
import { join } from 'node:path';
import { fail, installFromNpm, isExecutableFile, versionOf } from './proc.mjs';

export const NODE24_VERSION = '24.22.3';

// The registry has `node-<os>-<arch>@24.x` only for these; node-darwin-* and node-win-* stop at other majors.
const PUBLISHED = new Set(['linux-x64', 'linux-arm64']);

/**
 * Resolves to `{ node, version }`, a Node 24 executable (absolute path) and its version, or to `{ skipped }`, a
 * sentence saying why there is none. WAYPOST_NODE24 names one of your own (any 24.x); otherwise NODE24_VERSION is
 * installed into .tools/node24 and reused while it is there at that version. With CI=true, none is an error: CI
 * must not pass without the Node 24 run.
 */
export async function ensureNode24(root, env = process.env) {
  if (env.WAYPOST_NODE24) {
    const version = isExecutableFile(env.WAYPOST_NODE24) ? versionOf(env.WAYPOST_NODE24) : undefined;
    if (!version?.startsWith('24.')) {
      fail(`WAYPOST_NODE24=${env.WAYPOST_NODE24} is not a Node 24 executable (${version ? `it is ${version}` : 'it does not run'}): fix or unset it.`);
    }
    return { node: env.WAYPOST_NODE24, version };
  }

  const pkg = `node-${process.platform}-${process.arch}`;
  const local = join(root, '.tools', 'node24', 'node_modules', pkg, 'bin', 'node');
  if (isExecutableFile(local) && versionOf(local) === NODE24_VERSION) return { node: local, version: NODE24_VERSION };
  if (!PUBLISHED.has(`${process.platform}-${process.arch}`)) {
    const skipped =
      `the npm registry has no ${pkg}@${NODE24_VERSION} for this platform. ` +
      'Set WAYPOST_NODE24=/path/to/node (a Node 24 executable) to run the Node 24 suites here.';
    if (env.CI === 'true') fail(`CI=true, and ${skipped}`);
    return { skipped };
  }

  await installFromNpm({
    prefix: join(root, '.tools', 'node24'),
    shown: '.tools/node24/',
    spec: `${pkg}@${NODE24_VERSION}`,
    what: `Node ${NODE24_VERSION} (${pkg})`,
    binary: local,
    version: NODE24_VERSION,
  });
  return { node: local, version: NODE24_VERSION };
}
