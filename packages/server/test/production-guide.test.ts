import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { fencedBlock } from '../../../scripts/test-support/readme.js';
import { CONFIG_ENV, loadConfig } from '../src/config.js';
import { freshDatabaseUrl } from './support/harness.js';

/**
 * The README's production guide: its environment file and its systemd unit are what these tests load, check and
 * start, read from the README itself so that a copy-pasted file is exactly what was tested.
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const README = join(ROOT, 'README.md');
const envFile = () => fencedBlock(README, 'ini', '# /etc/waypost/waypost.env');
const unitFile = () => fencedBlock(README, 'ini', '[Service]');

const scratch = mkdtempSync(join(tmpdir(), 'waypost-guide-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Reads an environment file as systemd's EnvironmentFile= does for the simple forms: KEY=VALUE, "quoted", # comments. */
function parseEnvironmentFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!match) throw new Error(`not a KEY=VALUE line: ${line}`);
    env[match[1]!] = match[2]!.replace(/^"(.*)"$/, '$1');
  }
  return env;
}

/** The `Key=` settings of one section of a unit file. */
function unitSettings(text: string, section: string): Map<string, string> {
  const settings = new Map<string, string>();
  let current = '';
  for (const line of text.split('\n').map((l) => l.trim())) {
    const header = /^\[(.+)\]$/.exec(line);
    if (header) current = header[1]!;
    else if (current === section && line && !line.startsWith('#')) settings.set(line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1));
  }
  return settings;
}

function which(name: string): string | undefined {
  return (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, name)).find((file) => existsSync(file));
}

it('documents an environment file that the server accepts, with an https public URL behind a trusted proxy', () => {
  const env = parseEnvironmentFile(envFile());
  // A misspelt variable would be ignored without a word, and the server would run on its default.
  const known = new Set(Object.values(CONFIG_ENV));
  expect(Object.keys(env).filter((name) => !known.has(name))).toEqual([]);
  const config = loadConfig(env);
  expect(config.publicUrl).toMatch(/^https:\/\//);
  expect(config.trustProxy).toBe('127.0.0.1');
  expect(config.databaseUrl).toMatch(/^postgres:\/\//);
  expect(config.smtpFrom).toBe('Waypost <tracking@example.com>');
});

it('documents a systemd unit that systemd-analyze verify accepts without a warning', async (context) => {
  const analyze = which('systemd-analyze');
  if (!analyze) {
    console.warn('[production-guide] no systemd-analyze here: the README unit is not verified.');
    context.skip();
  }
  let unit = unitFile();
  // verify checks that ExecStart's program exists; node may live elsewhere on this machine.
  if (!existsSync('/usr/bin/node')) unit = unit.replace('ExecStart=/usr/bin/node ', `ExecStart=${process.execPath} `);
  const path = join(scratch, 'waypost.service');
  writeFileSync(path, unit);
  const { stderr } = await promisify(execFile)(analyze!, ['verify', path], { cwd: scratch, timeout: 20_000 });
  // An unknown key or a bad value is only a warning, and systemd would run the unit without that line.
  expect(stderr.trim()).toBe('');
});

it('starts the unit’s command with the documented environment, answers /healthz, and stops on its KillSignal within TimeoutStopSec', { timeout: 60_000 }, async () => {
  const service = unitSettings(unitFile(), 'Service');
  expect(service.get('Type')).toBe('simple');
  expect(service.get('EnvironmentFile')).toBe('/etc/waypost/waypost.env');
  const [program, ...args] = service.get('ExecStart')!.split(/\s+/);
  expect(program).toBe('/usr/bin/node');
  expect(existsSync(join(ROOT, args[0]!)), `${args[0]} is missing: run pnpm build`).toBe(true);
  const stopWithin = Number(service.get('TimeoutStopSec')) * 1000;
  const signal = service.get('KillSignal') as NodeJS.Signals;

  // The documented environment, on a database that exists here and on any free port.
  const env = { ...parseEnvironmentFile(envFile()), WAYPOST_DATABASE_URL: await freshDatabaseUrl('sqlite'), WAYPOST_PORT: '0' };
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /listening on (http:\/\/\S+)/.exec(output);
        if (match) resolve(match[1]!);
      });
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      void exited.then((code) => reject(new Error(`the server exited with ${code}:\n${output}`)));
    });
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });

    const stopping = Date.now();
    child.kill(signal);
    expect(await exited).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(stopWithin);
  } finally {
    child.kill('SIGKILL');
  }
});
