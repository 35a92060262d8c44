import { createRequire } from 'node:module';
import { defineConfig } from 'tsup';
import pkg from './package.json' with { type: 'json' };

const require = createRequire(import.meta.url);

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  target: 'node20',
  platform: 'node',
  clean: true,
  // The wire contract is private to the workspace: its code and its types are compiled into this package.
  // ky is listed too, but only the CommonJS build bundles it (see the plugin below).
  noExternal: ['@waypost/schema', 'ky'],
  dts: {
    resolve: ['@waypost/schema'],
    // The schema package exports its TypeScript source through `exports` only, which tsup's own type resolver
    // does not read; a path mapping hands it to the declaration bundler, which then inlines it. rootDir widens
    // to `packages/` so that the schema's source is inside it.
    compilerOptions: { paths: { '@waypost/schema': [require.resolve('@waypost/schema')] }, rootDir: '..' },
  },
  define: { __WAYPOST_VERSION__: JSON.stringify(pkg.version) },
  esbuildPlugins: [
    {
      // ky is ESM-only, and require() of an ES module needs Node 20.19. The CommonJS build carries its own copy
      // of ky so that it loads on every Node 20; the ESM build imports the `ky` dependency.
      name: 'ky-external-in-esm',
      setup(build) {
        if (build.initialOptions.format === 'esm') build.onResolve({ filter: /^ky$/ }, () => ({ path: 'ky', external: true }));
      },
    },
  ],
});
