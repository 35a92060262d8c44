import { defineConfig } from 'vitest/config';

// One run over every package and example; each has its own vitest.config.ts (environment, setup, timeouts).
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'examples/*/vitest.config.ts'],
  },
});
