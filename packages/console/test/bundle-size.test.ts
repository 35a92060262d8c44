// @vitest-environment node
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { afterAll, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const outDir = mkdtempSync(join(tmpdir(), 'waypost-console-build-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/**
 * What a first visit downloads before the offers list can render: the module script of index.html and the chunks it
 * preloads. React DOM, TanStack Router, Query and Table are most of it; the forms (zod, react-hook-form, the offer
 * schema) are a chunk of their own, loaded when a form is opened. The ceiling leaves room for a few screens more and
 * catches a heavy import on the list's path (zod there alone adds some 40 KB).
 */
const INITIAL_JS_GZIP_CEILING = 135 * 1024;

it('keeps the JavaScript of the first render under its gzip ceiling, with the forms in a chunk of their own', async () => {
  await build({
    root,
    configFile: join(root, 'vite.config.ts'),
    logLevel: 'silent',
    mode: 'production',
    // Vitest sets NODE_ENV=test, which would build React's development bundle.
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    build: { outDir, emptyOutDir: true },
  });
  const html = readFileSync(join(outDir, 'index.html'), 'utf8');
  const initial = [...html.matchAll(/<(?:script type="module"[^>]*src|link rel="modulepreload"[^>]*href)="\/app\/([^"]+)"/g)].map((match) => match[1]!);
  expect(initial.length).toBeGreaterThan(0);
  const bytes = initial.reduce((sum, file) => sum + gzipSync(readFileSync(join(outDir, file))).length, 0);
  console.info(`console initial JavaScript: ${(bytes / 1024).toFixed(1)} KB gzip in ${initial.length} file(s)`);
  expect(bytes).toBeLessThan(INITIAL_JS_GZIP_CEILING);
  // The offer schema's messages live in the lazily loaded form chunk, not on the list's path.
  const initialCode = initial.map((file) => readFileSync(join(outDir, file), 'utf8')).join('\n');
  expect(initialCode).not.toContain('is required in fixed mode');
});
