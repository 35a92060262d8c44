import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { freshDatabaseUrl, runCli, spawnServer } from './support/harness.js';
import { freePort } from './support/receivers.js';

const SERVER_ROOT = fileURLToPath(new URL('..', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * Running as root, file modes do not stop the process: the cases about permissions run the CLI as root without the
 * capabilities that override them (`setpriv`), so that the checkout and its Node stay reachable wherever the clone is
 * (a `mktemp -d` folder is closed to every other user).
 */
const WITHOUT_OVERRIDE = process.getuid?.() === 0 ? ['setpriv', '--bounding-set=-dac_override,-dac_read_search', '--inh-caps=-all', '--'] : [];

const folders: string[] = [];
afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

/** A temp folder, removed after the file's tests. */
function tempFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'waypost-startup-'));
  folders.push(folder);
  return folder;
}

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Processes `run` started that have not ended yet: a start that hangs instead of exiting fails its test by timeout. */
const running = new Set<ChildProcess>();
afterAll(() => running.forEach((child) => child.kill('SIGKILL')));

/**
 * Runs `node [script] ARGS` and waits for it to end: what a user sees of a start that fails. It is waited for, not
 * timed, so that a busy machine does not fail the test; one that never ends runs into the test's timeout.
 */
function run(args: string[], options: { env?: Record<string, string>; unprivileged?: boolean; script?: string; cwd?: string } = {}): Promise<Finished> {
  const command = [...(options.unprivileged ? WITHOUT_OVERRIDE : []), process.execPath, ...(options.script ? [options.script] : ['--import', 'tsx', 'src/cli.ts']), ...args];
  const child = spawn(command[0]!, command.slice(1), {
    cwd: options.cwd ?? SERVER_ROOT,
    env: { ...process.env, WAYPOST_PUBLIC_URL: '', ...options.env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  running.add(child);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      running.delete(child);
      resolve({ code, stdout, stderr });
    }),
  );
}

/** Exit code 1, and one line on standard error that says `expected`, with no stack trace. */
function expectRefused(result: Finished, expected: RegExp): void {
  expect(result.stderr.trimEnd().split('\n'), result.stderr).toHaveLength(1);
  expect(result.stderr.trimEnd()).toMatch(expected);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.code).toBe(1);
}

/**
 * Every case starts CLI processes, and each start compiles the CLI with tsx, which takes seconds on a busy machine:
 * the cases wait for the processes' events, with room for several starts each.
 */
const PROCESS_TESTS = { timeout: 120_000 };

describe('a server that cannot start', PROCESS_TESTS, () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
  });

  it('says which port is in use, and exits instead of running without serving', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '::', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const result = await run(['serve', '--port', String(port), '--database-url', await freshDatabaseUrl('sqlite')]);
      expectRefused(result, new RegExp(`^waypost: port ${port} is already in use .*WAYPOST_PORT \\(--port\\)`));
    } finally {
      taken.close();
    }
  });

  it('names WAYPOST_TRUST_PROXY when its value is not one Express can use', async () => {
    const result = await run(['serve', '--port', '0', '--database-url', await freshDatabaseUrl('sqlite')], { env: { WAYPOST_TRUST_PROXY: 'banana' } });
    expectRefused(result, /^waypost: invalid configuration: WAYPOST_TRUST_PROXY: must be "true", a hop count, or addresses.*banana/);
    // A list Express takes is still taken.
    expect(await runCli(['migrate', '--trust-proxy', 'loopback, 10.0.0.0/8,::1', '--database-url', await freshDatabaseUrl('sqlite')])).toMatch(/applied migrations/);
  });

  it('says that a read-only database file is read-only', async () => {
    const folder = tempFolder();
    const databaseUrl = `file:${join(folder, 'waypost.db')}`;
    await runCli(['migrate', '--database-url', databaseUrl]);
    chmodSync(join(folder, 'waypost.db'), 0o444);
    const result = await run(['serve', '--port', '0', '--database-url', databaseUrl], { unprivileged: true });
    expectRefused(result, /^waypost: the SQLite database .*waypost\.db is read-only for this user: .*WAYPOST_DATABASE_URL \(--database-url\)/);
  });

  it('says why an SQLite path cannot be opened: under /proc, a folder, a folder without permission', async () => {
    expectRefused(await run(['serve', '--port', '0', '--database-url', 'file:/proc/w.db']), /^waypost: cannot create the SQLite database \/proc\/w\.db: .*WAYPOST_DATABASE_URL/);
    const folder = tempFolder();
    expectRefused(await run(['serve', '--port', '0', '--database-url', `file:${folder}`]), /^waypost: the SQLite database path .* is a folder, not a file: .*WAYPOST_DATABASE_URL/);
    const closed = join(folder, 'closed');
    mkdirSync(closed, { mode: 0o500 });
    const result = await run(['serve', '--port', '0', '--database-url', `file:${join(closed, 'w.db')}`], { unprivileged: true });
    expectRefused(result, /^waypost: no permission to create or write the SQLite database .*closed\/w\.db.*WAYPOST_DATABASE_URL/);
  });

  it('names WAYPOST_DATABASE_URL when PostgreSQL cannot be reached, and not its password', async () => {
    const port = await freePort();
    const result = await run(['serve', '--port', '0', '--database-url', `postgres://waypost:hunter2@127.0.0.1:${port}/waypost`]);
    expectRefused(result, new RegExp(`^waypost: cannot reach PostgreSQL at 127\\.0\\.0\\.1:${port} \\(connection refused\\): .*WAYPOST_DATABASE_URL \\(--database-url\\)`));
    expect(result.stderr).not.toContain('hunter2');
  });

  it('names an unknown option and the one that was probably meant', async () => {
    expectRefused(await run(['serve', '--prot', '8080']), /^waypost: unknown option --prot; did you mean --port\? \(waypost serve --help lists the options\)/);
    expectRefused(await run(['serve', '--port']), /^waypost: --port needs a value/);
    expectRefused(await run(['migrate', '--role', 'admin']), /^waypost: --role is not an option of "waypost migrate"/);
    expectRefused(await run(['serve', 'now']), /^waypost: unknown command "serve now"/);
  });

  it('refuses a second server on the same SQLite file, and a second npm start before it installs or rebuilds anything', async () => {
    const databaseUrl = await freshDatabaseUrl('sqlite');
    const first = await spawnServer(databaseUrl);
    children.push(first.child);
    expectRefused(await run(['serve', '--port', '0', '--database-url', databaseUrl]), /^waypost: another Waypost server is using the SQLite database .*waypost\.db .*WAYPOST_DATABASE_URL/);
    // The short commands share the database with the running server, as a backup does.
    expect(await runCli(['keys', 'create', '--role', 'admin', '--database-url', databaseUrl])).toMatch(/^wp_sk_/);

    // `npm start` runs this; it must stop before its install step.
    const bootstrap = spawn(process.execPath, [join(REPO_ROOT, 'scripts', 'bootstrap.mjs'), 'start', '--database-url', databaseUrl], { cwd: REPO_ROOT, detached: true });
    let output = '';
    const ended = new Promise<number | null>((resolve) => bootstrap.once('close', resolve));
    const onOutput = (chunk: Buffer) => {
      output += chunk.toString();
      // Should the check miss, stop it before it reinstalls the checkout that the other tests run from.
      if (output.includes('==> ')) process.kill(-bootstrap.pid!, 'SIGKILL');
    };
    bootstrap.stdout.on('data', onOutput);
    bootstrap.stderr.on('data', onOutput);
    expect(await ended).toBe(1);
    expect(output).toMatch(/a Waypost server is already running on .*waypost\.db; stop it first/);
    expect(output).not.toContain('==> ');

    // Once the first server is gone, the database is free again: the lock dies with its process.
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    const second = await spawnServer(databaseUrl);
    children.push(second.child);
  });

  it('refuses a publisher key without --publisher before it creates the database', async () => {
    const path = join(tempFolder(), 'never.db');
    expectRefused(await run(['keys', 'create', '--role', 'publisher', '--database-url', `file:${path}`]), /^waypost: --publisher ID is required for a publisher key$/);
    expectRefused(await run(['keys', 'create', '--role', 'root', '--database-url', `file:${path}`]), /^waypost: --role must be "admin" or "publisher"$/);
    expect(existsSync(path)).toBe(false);
  });
});

describe('the waypost CLI', PROCESS_TESTS, () => {
  it('prints its version and the help of every command', async () => {
    const commands = ['serve', 'start', 'migrate', 'demo', 'keys create'];
    const [version, keysVersion, overview, ...helps] = await Promise.all([
      runCli(['--version']),
      runCli(['keys', 'create', '--version']),
      runCli(['--help']),
      ...commands.map((command) => runCli([...command.split(' '), '--help'])),
    ]);
    expect(version).toMatch(/^waypost \d+\.\d+\.\d+$/);
    expect(keysVersion).toMatch(/^waypost \d+\.\d+\.\d+$/);
    expect(overview).toMatch(/waypost COMMAND --help/);
    for (const [index, command] of commands.entries()) {
      expect(helps[index]!.split('\n')[0]).toMatch(new RegExp(`^waypost ${command} `));
      expect(helps[index]).toContain('--database-url URL');
    }
    expect(helps[0]).toMatch(/--access-log +WAYPOST_ACCESS_LOG/);
    expect(helps[4]).toMatch(/--publisher ID/);
  });

  it('writes an access log line per request only when asked, without tokens, keys or whole addresses, and a line on shutdown', async () => {
    const quiet = await spawnServer(await freshDatabaseUrl('sqlite'));
    const loud = await spawnServer(await freshDatabaseUrl('sqlite'), 'serve', { WAYPOST_ACCESS_LOG: 'true' });
    const lines = (child: ChildProcess) => {
      let text = '';
      child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
      return () => text;
    };
    const quietOutput = lines(quiet.child);
    const loudOutput = lines(loud.child);
    const ended = (child: ChildProcess) => new Promise<number | null>((resolve) => child.once('exit', resolve));
    const quietEnded = ended(quiet.child);
    const loudEnded = ended(loud.child);
    for (const { url } of [quiet, loud]) {
      const reply = await fetch(`${url}/postback?click_id=c1&tok%65n=s3cret-one&token=s3cret-two&amount=1`, {
        headers: { authorization: 'Bearer wp_sk_secretkey', referer: 'https://shop.example/thanks?token=s3cret-three', 'user-agent': 'Tester "quoted"' },
      });
      await reply.arrayBuffer();
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
    }
    quiet.child.kill('SIGTERM');
    loud.child.kill('SIGTERM');
    expect(await quietEnded).toBe(0);
    expect(await loudEnded).toBe(0);

    const logged = loudOutput().split('\n').filter((line) => / HTTP\/1\.1" /.test(line));
    // The combined log format: host ident user [time] "request" status bytes "referer" "user-agent".
    const combined = /^(\S+) - - \[\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000\] "([^"\\]*(?:\\.[^"\\]*)*)" (\d{3}) (\d+|-) "([^"\\]*(?:\\.[^"\\]*)*)" "([^"\\]*(?:\\.[^"\\]*)*)"$/;
    expect(logged).toHaveLength(2);
    for (const line of logged) expect(line).toMatch(combined);
    const [, host, request, status, , referer, agent] = combined.exec(logged[0]!)!;
    // The address cut to its network, as clicks store it.
    expect(host).toMatch(/^(127\.0\.0\.0|::|0:0:0::)$/);
    expect(request).toBe('GET /postback?click_id=c1&tok%65n=REDACTED&token=REDACTED&amount=1 HTTP/1.1');
    expect(Number(status)).toBeGreaterThanOrEqual(200);
    expect(referer).toBe('https://shop.example/thanks?token=REDACTED');
    expect(agent).toBe('Tester \\"quoted\\"');
    expect(logged[1]).toMatch(/"GET \/healthz HTTP\/1\.1" 200 \d+ "-" "/);
    expect(loudOutput()).not.toMatch(/s3cret|wp_sk_secretkey/);

    expect(quietOutput()).not.toMatch(/HTTP\/1\.1"/);
    for (const output of [quietOutput(), loudOutput()]) {
      expect(output).toMatch(/^Waypost stopping \(SIGTERM\): /m);
      expect(output).toMatch(/^Waypost stopped$/m);
    }
  });
});
