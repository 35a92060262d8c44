// A throwaway PostgreSQL cluster for tests: initdb into a temp dir, start on a free loopback port, drop it all at
// the end. Binaries are looked up like scripts/lib/system-deps.mjs does (keep the two lookups in step).
import { execFile, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, chmodSync, chownSync, constants, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join, parse } from 'node:path';
import pg from 'pg';

export interface PgCluster {
  /** Superuser URL of the cluster's `postgres` database. */
  adminUrl: string;
  /** Creates a uniquely named (or the given) database and resolves to its connection URL. */
  createDatabase(name?: string): Promise<string>;
  /** Stops the cluster at once and removes its files. Safe to call twice. */
  stop(): Promise<void>;
}

export const SBIN = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

export function isExecutable(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The executable `name` on PATH, or in `extraDirs` (sbin folders are not on every user's PATH). */
export function which(name: string, extraDirs: string[] = []): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(delimiter), ...extraDirs]) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** Directory holding initdb and pg_ctl: WAYPOST_PG_BIN, `pg_config --bindir`, newest /usr/lib/postgresql/N/bin, PATH. */
export function findPgBin(): string | undefined {
  const has = (dir: string | undefined): dir is string =>
    !!dir && isExecutable(join(dir, 'initdb')) && isExecutable(join(dir, 'pg_ctl'));
  const explicit = process.env.WAYPOST_PG_BIN;
  if (explicit) {
    const dir = basename(explicit) === 'initdb' ? dirname(explicit) : explicit;
    return has(dir) ? dir : undefined;
  }
  const pgConfig = which('pg_config');
  if (pgConfig) {
    try {
      const dir = execFileSync(pgConfig, ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      if (has(dir)) return dir;
    } catch {
      // a pg_config without a server (libpq-dev alone)
    }
  }
  try {
    const versions = readdirSync('/usr/lib/postgresql')
      .filter((name) => /^\d+(\.\d+)?$/.test(name))
      .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
    for (const version of versions) {
      const dir = join('/usr/lib/postgresql', version, 'bin');
      if (has(dir)) return dir;
    }
  } catch {
    // no /usr/lib/postgresql
  }
  const initdb = which('initdb');
  return initdb && has(dirname(initdb)) ? dirname(initdb) : undefined;
}

const MISSING =
  'PostgreSQL server binaries (initdb, pg_ctl) were not found: install them (Debian/Ubuntu: apt-get install -y postgresql) ' +
  'or set WAYPOST_PG_BIN to their directory (e.g. /usr/lib/postgresql/15/bin).';

/**
 * Starts a throwaway cluster. Without PostgreSQL binaries it warns and resolves to undefined, except under
 * CI=true, where it throws: the PostgreSQL tests must never be skipped in CI.
 */
export async function startPostgres(): Promise<PgCluster | undefined> {
  const bin = findPgBin();
  if (!bin) {
    if (process.env.CI === 'true') throw new Error(MISSING);
    console.warn(`[postgres] ${MISSING} PostgreSQL tests are skipped.`);
    return undefined;
  }

  // initdb refuses to run as root: then everything runs as the `postgres` user.
  const asRoot = process.getuid?.() === 0;
  let runuser: string | undefined;
  if (asRoot) {
    runuser = which('runuser', SBIN);
    if (!runuser) throw new Error('[postgres] running as root, but `runuser` (util-linux) is missing: it is needed to run initdb as the postgres user.');
  }
  const wrap = (command: string, args: string[]): [string, string[]] =>
    runuser ? [runuser, ['-u', 'postgres', '--', command, ...args]] : [command, args];

  const dir = mkdtempSync(join(asRoot ? rootSafeTmpdir() : tmpdir(), 'waypost-pg-'));
  const data = join(dir, 'data');
  const log = join(dir, 'log');
  if (asRoot) {
    const [uid, gid] = postgresIds();
    chownSync(dir, uid, gid);
    chmodSync(dir, 0o755);
  }
  const exec = (command: string, args: string[], timeout = 120_000) => {
    const [file, argv] = wrap(join(bin, command), args);
    return run(command, file, argv, dir, timeout);
  };
  const pidFile = join(data, 'postmaster.pid');
  const pgCtlStop = wrap(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);

  let stopped = false;
  let watchdog: ReturnType<typeof spawn> | undefined;
  const stopNow = () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', stopNow);
    if (existsSync(pidFile)) {
      try {
        execFileSync(pgCtlStop[0], pgCtlStop[1], { cwd: dir, stdio: 'ignore', timeout: 30_000 });
      } catch {
        // pg_ctl could not stop it: signal the postmaster directly (SIGQUIT = immediate shutdown).
        try {
          process.kill(Number(readFileSync(pidFile, 'utf8').split('\n')[0]), 'SIGQUIT');
        } catch {
          // already down
        }
      }
    }
    rmSync(dir, { recursive: true, force: true });
    try {
      watchdog?.kill();
    } catch {
      // gone
    }
  };

  try {
    const initdb = ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync'];
    try {
      await exec('initdb', [...initdb, '--locale=C.UTF-8']);
    } catch {
      // A system without the C.UTF-8 locale.
      rmSync(data, { recursive: true, force: true });
      await exec('initdb', [...initdb, '--locale=C']);
    }

    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const options = [
        `-p ${port}`,
        `-k ${shellQuote(dir)}`,
        '-c listen_addresses=127.0.0.1',
        '-c max_connections=300',
        '-c fsync=off',
        '-c synchronous_commit=off',
        '-c full_page_writes=off',
      ].join(' ');
      try {
        await exec('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '60', '-o', options, 'start']);
        break;
      } catch (error) {
        const tail = readTail(log);
        // Another process took the port between our probe and the server's bind: try another one.
        if (attempt < 3 && /could not bind|address already in use/i.test(tail)) continue;
        throw new Error(`[postgres] pg_ctl start failed: ${(error as Error).message}\n--- ${log} ---\n${tail}`);
      }
    }

    // Best effort against leaked clusters: stop on exit, and a detached watchdog stops it if this process is
    // killed outright (SIGKILL, or a signal without a handler, skip 'exit' handlers).
    process.on('exit', stopNow);
    watchdog = spawn(process.execPath, ['-e', WATCHDOG, JSON.stringify({ ppid: process.pid, stop: pgCtlStop, dir, pidFile })], {
      detached: true,
      stdio: 'ignore',
    });
    watchdog.unref();

    const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
    return {
      adminUrl,
      createDatabase: (name?: string) => createTestDatabase(adminUrl, name),
      stop: async () => stopNow(),
    };
  } catch (error) {
    stopNow();
    throw error;
  }
}

/**
 * Creates a uniquely named (or the given) database on the cluster behind `adminUrl` and resolves to its URL.
 * Usable inside test files with the URL from `inject('pgAdminUrl')`.
 */
export async function createTestDatabase(adminUrl: string, name?: string): Promise<string> {
  const db = name ?? `waypost_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(db)) throw new Error(`invalid database name: ${db}`);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${db}"`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${db}`;
  return url.toString();
}

// Runs detached: when the process that started the cluster is gone without stopping it, stops it. A parent that
// was reparented to a PID 1 that reaps nothing stays a zombie, so a zombie counts as gone.
const WATCHDOG = `
const { ppid, stop, dir, pidFile } = JSON.parse(process.argv[1]);
const fs = require('node:fs');
const { execFileSync } = require('node:child_process');
const alive = () => {
  try { process.kill(ppid, 0); } catch (e) { return e.code === 'EPERM'; }
  try { return !/^\\S+ \\(.*\\) Z/s.test(fs.readFileSync('/proc/' + ppid + '/stat', 'utf8')); } catch { return true; }
};
setInterval(() => {
  if (!fs.existsSync(dir)) process.exit(0);
  if (alive()) return;
  try { execFileSync(stop[0], stop[1], { cwd: dir, stdio: 'ignore', timeout: 30000 }); } catch {}
  try { process.kill(Number(fs.readFileSync(pidFile, 'utf8').split('\\n')[0]), 'SIGQUIT'); } catch {}
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}, 1000);
`;

function run(label: string, file: string, args: string[], cwd: string, timeout: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd, timeout, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${label} failed: ${error.message}\n${stdout}${stderr}`.trim()));
      else resolve(stdout);
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('could not pick a free port'))));
    });
  });
}

function postgresIds(): [number, number] {
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return [id('-u'), id('-g')];
  } catch {
    throw new Error('[postgres] running as root, but there is no `postgres` user to run the cluster as (apt-get install -y postgresql creates it).');
  }
}

/** os.tmpdir(), unless one of its ancestors is closed to other users (the postgres user must reach the cluster dir). */
function rootSafeTmpdir(): string {
  const base = tmpdir();
  for (let dir = base; ; dir = dirname(dir)) {
    try {
      if ((statSync(dir).mode & 0o001) === 0) return '/tmp';
    } catch {
      return '/tmp';
    }
    if (dir === parse(dir).root) return base;
  }
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function readTail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '(no log)';
  }
}
