import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

/**
 * The vitest project of one example (`examples/NAME/vitest.config.ts` passes its `import.meta.url`): its tests
 * under `test/`, and the workspace packages (the Node SDK, the real server) run from their TypeScript source.
 */
export function exampleConfig(configUrl: string): ViteUserConfig {
  const dir = dirname(fileURLToPath(configUrl));
  return defineConfig({
    // Vitest runs tests in Vite's SSR environment, which reads its own conditions, not resolve.conditions.
    ssr: { resolve: { conditions: ['source'] } },
    test: {
      name: `example-${basename(dir)}`,
      // Rooted at the repository, so that test paths start with `examples/NAME/` and `vitest run examples` finds them.
      root: resolve(dir, '../..'),
      include: [`examples/${basename(dir)}/test/**/*.test.ts`],
      environment: 'node',
      testTimeout: 20_000,
    },
  });
}
