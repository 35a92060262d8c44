import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  // The server serves the console under /app/ (packages/server/src/console.ts).
  base: '/app/',
  plugins: [react()],
  resolve: {
    // @waypost/schema is consumed from its TypeScript source, as everywhere in the workspace.
    conditions: ['source'],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The CSP has no 'unsafe-inline': nothing may be inlined into index.html.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  server: {
    // `pnpm dev` talks to a Waypost server on :3000, the same origin for the browser as in production.
    proxy: { '/v1': 'http://127.0.0.1:3000' },
  },
});
