import { defineConfig } from 'tsup';

// The ES module build for bundlers: `import { createTracker } from '@waypost/browser'`, with types.
export default defineConfig({
  entry: { index: 'src/entrypoints/module.ts' },
  format: ['esm'],
  target: 'es2020',
  platform: 'browser',
  dts: true,
  sourcemap: true,
  // Keep the script-tag build that rollup wrote to the same directory.
  clean: false,
  external: ['js-cookie'],
});
