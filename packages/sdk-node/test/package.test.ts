import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

/**
 * Packs the package with `npm pack` in its folder (its prepack builds it), as the README tells a user with a clone
 * to, installs the tarball into an empty folder with npm, and uses it from there: ESM and CommonJS at run time, and
 * both sets of type declarations. `pnpm pack`, the README's other way, must ship the same manifest.
 */
const run = promisify(execFile);
// Child processes (Node, tsc) take seconds each, and longer on a busy machine.
vi.setConfig({ testTimeout: 120_000 });
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
const typeRoots = join(packageDir, 'node_modules/@types');

let dir: string;
let app: string;
let workspaceManifest: string;
let pnpmManifest: Record<string, unknown>;
let server: Server;
let baseUrl: string;
const received: { path: string; idempotencyKey: string | undefined; userAgent: string | undefined }[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'waypost-node-pack-'));
  app = join(dir, 'app');
  workspaceManifest = readFileSync(join(packageDir, 'package.json'), 'utf8');
  await run('npm', ['pack', '--pack-destination', dir], { cwd: packageDir });
  const tarball = readdirSync(dir).find((file) => file.endsWith('.tgz'))!;
  // The same build packed by pnpm (no second build: its scripts are off), for its manifest.
  const pnpmDir = join(dir, 'pnpm');
  await run('mkdir', [pnpmDir]);
  await run('pnpm', ['--config.ignore-scripts=true', 'pack', '--pack-destination', pnpmDir], { cwd: packageDir });
  await run('tar', ['xzf', join(pnpmDir, readdirSync(pnpmDir).find((file) => file.endsWith('.tgz'))!), '-C', pnpmDir]);
  pnpmManifest = JSON.parse(readFileSync(join(pnpmDir, 'package/package.json'), 'utf8'));
  await run('mkdir', [app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'smoke', private: true }));
  await run('npm', ['install', join(dir, tarball), '--no-audit', '--no-fund'], { cwd: app, timeout: 120_000 });

  // A stand-in Waypost server, so that the installed package makes a real request with its own HTTP stack.
  server = createServer((req, res) => {
    received.push({ path: req.url!, idempotencyKey: req.headers['idempotency-key'] as string, userAgent: req.headers['user-agent'] });
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ status: 'accepted', conversionId: 'conv_1' }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 240_000);

afterAll(() => {
  server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const usage = (load: string, resolve: string) => `${load}
const waypost = new Waypost({ apiKey: 'wp_sk_smoke', baseUrl: process.env.WAYPOST_BASE_URL });
const clickId = Waypost.clickIdFrom(new Request('https://shop.example.com/checkout?click_id=abcdefgh12345678'));
let refused;
try {
  await waypost.conversions.create({ clickId, amount: '1.001', currency: 'USD' });
} catch (error) {
  refused = error instanceof WaypostValidationError && error.message;
}
const result = await waypost.conversions.create({ clickId, amount: '49.90', currency: 'EUR' });
console.log(JSON.stringify({ resolved: ${resolve}, clickId, refused, result, version: VERSION }));
`;

async function node(file: string, code: string, flags: string[] = []) {
  writeFileSync(join(app, file), code);
  const { stdout } = await run(process.execPath, [...flags, file], { cwd: app, env: { ...process.env, WAYPOST_BASE_URL: baseUrl } });
  return JSON.parse(stdout);
}

describe('the packed package', () => {
  it('runs on Node 20 or later', () => {
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(20);
  });

  it('ships only dist, with a strict exports map and no workspace-only condition', () => {
    const root = join(app, 'node_modules/@waypost/node');
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(readdirSync(root).sort()).toEqual(['LICENSE', 'README.md', 'dist', 'package.json']);
    expect(readdirSync(join(root, 'dist')).sort()).toEqual(['index.cjs', 'index.d.cts', 'index.d.ts', 'index.js']);
    expect(pkg.exports['.']).toEqual({
      import: { types: './dist/index.d.ts', default: './dist/index.js' },
      require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
    });
    expect(pkg.engines.node).toBe('>=20');
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['ky', 'zod']);
    // Nothing that only means something inside the repository: workspace packages, build and test scripts.
    expect(pkg).not.toHaveProperty('devDependencies');
    expect(pkg).not.toHaveProperty('scripts');
    expect(JSON.stringify(pkg)).not.toMatch(/workspace:|"source"|src\//);
    for (const file of ['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts']) {
      expect(readFileSync(join(root, 'dist', file), 'utf8')).not.toContain('@waypost/schema');
    }
  });

  it('leaves the workspace package.json as it was, with no copy left behind', () => {
    expect(readFileSync(join(packageDir, 'package.json'), 'utf8')).toBe(workspaceManifest);
    expect(readdirSync(packageDir)).not.toContain('package.workspace.json');
  });

  it('ships the same exports and dependencies when packed with pnpm', () => {
    const pkg = JSON.parse(readFileSync(join(app, 'node_modules/@waypost/node/package.json'), 'utf8'));
    expect(pnpmManifest).toMatchObject({ exports: pkg.exports, dependencies: pkg.dependencies, main: pkg.main, types: pkg.types });
  });

  it('can be imported as an ES module', async () => {
    const out = await node('esm.mjs', usage("import { VERSION, Waypost, WaypostValidationError } from '@waypost/node';", "import.meta.resolve('@waypost/node')"));
    expect(out.resolved).toMatch(/\/dist\/index\.js$/);
    expect(out).toMatchObject({ clickId: 'abcdefgh12345678', result: { status: 'accepted', conversionId: 'conv_1' } });
    expect(out.refused).toMatch(/^amount: has more than 2 decimal places/);
    expect(received.at(-1)).toMatchObject({ path: '/v1/conversions', userAgent: `waypost-node/${out.version}` });
    expect(received.at(-1)!.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('can be required as CommonJS, even where require() of ES modules is off (Node 20 before 20.19)', async () => {
    const code = usage("const { VERSION, Waypost, WaypostValidationError } = require('@waypost/node');", "require.resolve('@waypost/node')");
    const out = await node('cjs.cjs', `(async () => {\n${code}\n})();`, ['--no-experimental-require-module']);
    expect(out.resolved).toMatch(/\/dist\/index\.cjs$/);
    expect(out).toMatchObject({ clickId: 'abcdefgh12345678', result: { status: 'accepted' } });
    expect(out.refused).toMatch(/^amount: has more than 2 decimal places/);
  });

  it('resolves its type declarations from both an ES module and a CommonJS module', async () => {
    const typed = `import { isWaypostNotFoundError, Waypost, type Conversion, type ConversionResult, type Offer, type PublisherOffer } from '@waypost/node';
const waypost = new Waypost({ apiKey: 'wp_sk_smoke', baseUrl: 'https://track.example.com', maxRetries: 3 });
export const clickId: string | undefined = Waypost.clickIdFrom(new Request('https://shop.example.com/'));
export const created: Promise<ConversionResult> = waypost.conversions.create({ clickId: 'abcdefgh12345678', amount: 49.9, currency: 'EUR' });
export async function walk(): Promise<string[]> {
  const ids: string[] = [];
  for await (const conversion of waypost.conversions.list({ status: 'pending' })) ids.push((conversion satisfies Conversion).id);
  const offer: Offer | PublisherOffer = await waypost.offers.retrieve('off_1');
  return [...ids, offer.name];
}
export const guard = (error: unknown): number | undefined => (isWaypostNotFoundError(error) ? error.status : undefined);
// @ts-expect-error there is no such resource
waypost.invoices;
// @ts-expect-error an amount is a string or a number
waypost.conversions.create({ clickId: 'abcdefgh12345678', amount: true });
`;
    writeFileSync(join(app, 'typed-esm.mts'), typed);
    writeFileSync(join(app, 'typed-cjs.cts'), typed);
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'node16',
          moduleResolution: 'node16',
          target: 'es2022',
          strict: true,
          noEmit: true,
          // Checks the shipped declarations themselves, not only their use.
          skipLibCheck: false,
          types: ['node'],
          typeRoots: [typeRoots],
        },
        files: ['typed-esm.mts', 'typed-cjs.cts'],
      }),
    );
    const { stdout } = await run(process.execPath, [tsc, '-p', join(app, 'tsconfig.json'), '--listFiles'], { cwd: app }).catch(
      (error: { stdout: string }) => {
        throw new Error(`tsc failed:\n${error.stdout}`);
      },
    );
    expect(stdout).toMatch(/node_modules\/@waypost\/node\/dist\/index\.d\.ts$/m);
    expect(stdout).toMatch(/node_modules\/@waypost\/node\/dist\/index\.d\.cts$/m);
  });
});
