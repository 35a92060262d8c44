import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Vitest global setup: builds `dist/waypost.js`, so that the tests exercise the script of the current source. */
export default function buildScript() {
  const packageDir = fileURLToPath(new URL('../..', import.meta.url));
  execFileSync('node_modules/.bin/rollup', ['-c', 'rollup.config.mjs', '--silent'], { cwd: packageDir, stdio: 'inherit' });
}
