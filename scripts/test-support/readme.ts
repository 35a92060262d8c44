import { execFile, spawn } from 'node:child_process';
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

/**
 * Starts a TypeScript example that keeps running (a server) as runExample runs a script; resolves with the first
 * line it prints, such as the URL it listens on, and a way to stop it.
 */
export function startExample(
  examplePath: string,
  options: { cwd: string; env?: Record<string, string> },
): Promise<{ firstLine: string; stop(): void }> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', examplePath], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.stdout.once('data', (chunk: Buffer) => resolve({ firstLine: chunk.toString().split('\n')[0]!, stop: () => child.kill() }));
    child.once('exit', (code) => reject(new Error(`${examplePath} exited with ${code} before printing anything:\n${stderr}`)));
  });
}

/**
 * The code excerpts of a README (fenced `ts`, `js` and `html` blocks) that appear verbatim in none of the given
 * source files: a README that quotes the lines to copy from an example must quote what the test runs.
 */
export function unquotedExcerpts(readmePath: string, sourcePaths: string[]): string[] {
  const readme = readFileSync(readmePath, 'utf8');
  const sources = sourcePaths.map((path) => readFileSync(path, 'utf8'));
  const excerpts = [...readme.matchAll(/^```(?:ts|js|html)\n([\s\S]*?)\n```$/gm)].map((match) => match[1]!);
  // Without excerpts the check would pass whatever the README says.
  if (excerpts.length === 0) throw new Error(`${readmePath} quotes no ts, js or html excerpt`);
  return excerpts.filter((excerpt) => !sources.some((source) => source.includes(excerpt)));
}

/**
 * The fenced blocks of one language in a README (```sh, ```ini…), in order, for a test that runs or loads what the
 * README shows instead of a copy of it.
 */
export function fencedBlocks(readmePath: string, language: string): string[] {
  const readme = readFileSync(readmePath, 'utf8');
  return [...readme.matchAll(/^```([\w-]*)\n([\s\S]*?)\n```$/gm)].filter((match) => match[1] === language).map((match) => match[2]!);
}

/** The one fenced block of `language` in a README that contains `marker`; throws unless exactly one does. */
export function fencedBlock(readmePath: string, language: string, marker: string): string {
  const found = fencedBlocks(readmePath, language).filter((block) => block.includes(marker));
  if (found.length !== 1) throw new Error(`${readmePath} has ${found.length} \`\`\`${language} blocks with "${marker}", not one`);
  return found[0]!;
}

/** The fenced blocks of one language under a heading of a README, up to the next heading of the same or a higher level. */
export function sectionBlocks(readmePath: string, heading: string, language: string): string[] {
  const section = readmeSection(readmePath, heading);
  return [...section.matchAll(/^```([\w-]*)\n([\s\S]*?)\n```$/gm)].filter((match) => match[1] === language).map((match) => match[2]!);
}

/** The text under a heading of a README (`## Set up an offer`), up to the next heading of the same or a higher level. */
export function readmeSection(readmePath: string, heading: string): string {
  const readme = readFileSync(readmePath, 'utf8');
  const level = /^#+/.exec(heading)![0].length;
  const start = readme.split('\n').indexOf(heading);
  if (start < 0) throw new Error(`${readmePath} has no heading "${heading}"`);
  const lines = readme.split('\n').slice(start + 1);
  // Headings inside fenced blocks (a `# comment` in a shell block) are not headings.
  let fenced = false;
  const end = lines.findIndex((line) => {
    if (line.startsWith('```')) fenced = !fenced;
    return !fenced && new RegExp(`^#{1,${level}} `).test(line);
  });
  return lines.slice(0, end < 0 ? undefined : end).join('\n');
}

/**
 * Runs a README's shell commands as written, in `sh -e`, after putting in the values of its placeholders (`OFFER_ID`,
 * whole words only); resolves to their standard output. A placeholder without a value throws, so a README step that
 * needs an id the test did not give fails loudly.
 */
export async function runShellBlock(block: string, options: { env: Record<string, string>; placeholders?: Record<string, string | undefined>; cwd?: string }): Promise<string> {
  const placeholders = options.placeholders ?? {};
  const names = Object.keys(placeholders);
  const script = names.length === 0
    ? block
    : block.replace(new RegExp(`\\b(${names.join('|')})\\b`, 'g'), (name) => {
        const value = placeholders[name];
        if (value === undefined) throw new Error(`no value for ${name} in:\n${block}`);
        return value;
      });
  const { stdout } = await promisify(execFile)('sh', ['-e', '-c', script], { cwd: options.cwd, env: { ...process.env, ...options.env } });
  return stdout;
}

/** The JSON values of an output that holds several in a row (`{…}{…}`, as curl prints one answer after another). */
export function jsonValues(output: string): unknown[] {
  const values: unknown[] = [];
  let depth = 0;
  let inString = false;
  let start = -1;
  for (let i = 0; i < output.length; i++) {
    const char = output[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{' || char === '[') {
      if (depth++ === 0) start = i;
    } else if (char === '}' || char === ']') {
      if (--depth === 0) values.push(JSON.parse(output.slice(start, i + 1)));
    }
  }
  return values;
}

/**
 * The commands of a shell block, one by one, for a test that puts in a placeholder from an earlier command's answer:
 * a command ends at a line break outside quotes that no `\` continues. Blank lines and comments are left out.
 */
export function shellCommands(block: string): string[] {
  const commands: string[] = [];
  let current = '';
  let quote: string | null = null;
  for (let i = 0; i < block.length; i++) {
    const char = block[i]!;
    if (quote) {
      if (char === quote) quote = null;
      else if (char === '\\' && quote === '"') current += block[i++]!;
    } else if (char === "'" || char === '"') quote = char;
    else if (char === '\\') {
      current += char + (block[++i] ?? '');
      continue;
    } else if (char === '#' && /(^|\s)$/.test(current)) {
      while (i + 1 < block.length && block[i + 1] !== '\n') i++;
      continue;
    } else if (char === '\n') {
      if (current.trim()) commands.push(current.trim());
      current = '';
      continue;
    }
    current += char;
  }
  if (current.trim()) commands.push(current.trim());
  return commands;
}
