import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';

/**
 * README examples live in real files that tests run; the README must quote each one verbatim, so a copy-pasted
 * snippet is exactly what was tested.
 */
export function readmeQuotes(readmePath: string, examplePath: string): boolean {
  const readme = readFileSync(readmePath, 'utf8');
  const example = readFileSync(examplePath, 'utf8').trim();
  return readme.includes(example);
}

/** Runs a TypeScript example with workspace packages resolved from source; resolves to its standard output. */
export async function runExample(examplePath: string, options: { cwd: string; env?: Record<string, string> }): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--conditions=source', '--import', 'tsx', examplePath], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
  });
  return stdout;
}
