import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import pkg from './package.json' with { type: 'json' };

export default defineConfig({
  // The build inlines the version (tsup `define`); the tests run from source and get the same value.
  define: { __WAYPOST_VERSION__: JSON.stringify(pkg.version) },
  resolve: {
    // The examples import the package by name, as a user would; in tests that name is this source.
    alias: { '@waypost/node': fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
    // Workspace packages (the real server in the integration tests) run from their TypeScript source.
    conditions: ['source'],
  },
  // Tests run in Vite's SSR environment, which reads its own conditions: without these the server came from dist.
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    name: 'node-sdk',
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 15_000,
  },
});
