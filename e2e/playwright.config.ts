import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import type { WaypostOptions } from './fixtures.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Every spec runs once per build of the browser SDK: the two builds must pass the same assertions.
export default defineConfig<WaypostOptions>({
  testDir: here('specs'),
  outputDir: here('test-results'),
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  timeout: 30_000,
  use: {
    browserName: 'chromium',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      // Playwright cannot download its own browser here; the system Chromium is used (scripts/bootstrap.mjs).
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--headless',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        // Real host names: pages on lander.shop.waypost.test and checkout.shop.waypost.test, the server on
        // track.waypost.test, all on this machine.
        '--host-resolver-rules=MAP *.waypost.test 127.0.0.1',
      ],
    },
  },
  projects: [
    { name: 'script-tag', use: { build: 'script' } },
    { name: 'es-module', use: { build: 'module' } },
  ],
});
