import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [react()],
  resolve: { conditions: ['source'] },
  test: {
    name: 'console',
    environment: 'happy-dom',
    // The console builds its API URLs on the page's origin, as in the browser.
    environmentOptions: { happyDOM: { url: 'http://console.test/app/' } },
    include: ['test/**/*.test.{ts,tsx}'],
    setupFiles: ['test/setup.ts'],
  },
});
