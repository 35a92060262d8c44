import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/cli.ts'],
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  clean: true,
  sourcemap: true,
  // The wire contract is compiled in, so the built server runs on plain Node without the workspace.
  noExternal: ['@waypost/schema'],
});
