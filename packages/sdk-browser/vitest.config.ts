import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'browser',
    environment: 'happy-dom',
    include: ['test/**/*.test.ts'],
    // Builds dist/waypost.js first: the script-tag tests and the size test run the real bundle.
    globalSetup: ['test/support/build-script.ts'],
  },
});
