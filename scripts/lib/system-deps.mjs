// PostgreSQL server binaries, Chromium, nginx, Caddy and sqlite3 for `npm test`: find them, or install them with apt as
// root.
// The PostgreSQL lookup mirrors findPgBin() in packages/server/test/support/postgres.ts (keep both in step).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fail, isExecutableFile, run, step, which } from './proc.mjs';

const SBIN = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

/** Directory holding initdb and pg_ctl: WAYPOST_PG_BIN, `pg_config --bindir`, newest /usr/lib/postgresql/N/bin, PATH. */
export function findPgBin(env = process.env) {
  const has = (dir) => !!dir && isExecutableFile(join(dir, 'initdb')) && isExecutableFile(join(dir, 'pg_ctl'));
  if (env.WAYPOST_PG_BIN) {
    const dir = basename(env.WAYPOST_PG_BIN) === 'initdb' ? dirname(env.WAYPOST_PG_BIN) : env.WAYPOST_PG_BIN;
    return has(dir) ? dir : undefined; // an explicit setting is not second-guessed
  }
  const pgConfig = which('pg_config', env.PATH);
  if (pgConfig) {
    const out = spawnSync(pgConfig, ['--bindir'], { encoding: 'utf8' });
    const dir = out.status === 0 ? out.stdout.trim() : undefined;
    if (has(dir)) return dir;
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
  const initdb = which('initdb', env.PATH);
  return initdb && has(dirname(initdb)) ? dirname(initdb) : undefined;
}

/** Chromium executable: CHROMIUM_PATH, /usr/bin/chromium, chromium or chromium-browser on PATH. */
export function findChromium(env = process.env) {
  if (env.CHROMIUM_PATH) return isExecutableFile(env.CHROMIUM_PATH) ? env.CHROMIUM_PATH : undefined;
  if (isExecutableFile('/usr/bin/chromium')) return '/usr/bin/chromium';
  return which('chromium', env.PATH) ?? which('chromium-browser', env.PATH);
}

/**
 * nginx executable, for the reverse-proxy test: WAYPOST_NGINX, else nginx on PATH or in the sbin folders (Debian puts
 * it in /usr/sbin). Mirrors findNginx() in packages/server/test/support/nginx.ts (keep both in step).
 */
export function findNginx(env = process.env) {
  if (env.WAYPOST_NGINX) return isExecutableFile(env.WAYPOST_NGINX) ? env.WAYPOST_NGINX : undefined;
  return which('nginx', env.PATH, SBIN);
}

/**
 * caddy executable, for the test of the README's Caddyfile: WAYPOST_CADDY, else caddy on PATH or in the sbin folders.
 * Mirrors findCaddy() in packages/server/test/caddy-proxy.test.ts (keep both in step).
 */
export function findCaddy(env = process.env) {
  if (env.WAYPOST_CADDY) return isExecutableFile(env.WAYPOST_CADDY) ? env.WAYPOST_CADDY : undefined;
  return which('caddy', env.PATH, SBIN);
}

/**
 * sqlite3 command, for the test of the README's SQLite backup: WAYPOST_SQLITE3, else sqlite3 on PATH. Mirrors
 * findSqlite3() in packages/server/test/backup-restore.test.ts (keep both in step).
 */
export function findSqlite3(env = process.env) {
  if (env.WAYPOST_SQLITE3) return isExecutableFile(env.WAYPOST_SQLITE3) ? env.WAYPOST_SQLITE3 : undefined;
  return which('sqlite3', env.PATH, SBIN);
}

/**
 * curl executable, for the test that runs the README's curl commands: WAYPOST_CURL, else curl on PATH. Mirrors
 * findCurl() in packages/server/test/readme-commands.test.ts (keep both in step).
 */
export function findCurl(env = process.env) {
  if (env.WAYPOST_CURL) return isExecutableFile(env.WAYPOST_CURL) ? env.WAYPOST_CURL : undefined;
  return which('curl', env.PATH);
}

/**
 * Makes sure PostgreSQL, Chromium, nginx, Caddy, sqlite3 and curl are there; installs the missing ones with apt-get when
 * running as root, else exits with a message naming what to install. Resolves to { pgBin, chromium, nginx, caddy,
 * sqlite3, curl }.
 */
export async function ensureSystemDeps(env = process.env) {
  const missing = () => {
    const list = [];
    if (!findPgBin(env)) list.push({ apt: 'postgresql', what: 'PostgreSQL server binaries (initdb, pg_ctl)', envVar: 'WAYPOST_PG_BIN', hint: 'WAYPOST_PG_BIN=/usr/lib/postgresql/15/bin' });
    if (!findChromium(env)) list.push({ apt: 'chromium', what: 'Chromium', envVar: 'CHROMIUM_PATH', hint: 'CHROMIUM_PATH=/path/to/chromium' });
    if (!findNginx(env)) list.push({ apt: 'nginx', what: 'nginx', envVar: 'WAYPOST_NGINX', hint: 'WAYPOST_NGINX=/path/to/nginx' });
    if (!findCaddy(env)) list.push({ apt: 'caddy', what: 'Caddy', envVar: 'WAYPOST_CADDY', hint: 'WAYPOST_CADDY=/path/to/caddy' });
    if (!findSqlite3(env)) list.push({ apt: 'sqlite3', what: 'the sqlite3 command', envVar: 'WAYPOST_SQLITE3', hint: 'WAYPOST_SQLITE3=/path/to/sqlite3' });
    if (!findCurl(env)) list.push({ apt: 'curl', what: 'curl', envVar: 'WAYPOST_CURL', hint: 'WAYPOST_CURL=/path/to/curl' });
    return list;
  };

  let todo = missing();
  if (todo.length > 0) {
    const names = todo.map((m) => m.apt).join(' ');
    const explicit = todo.filter((m) => env[m.envVar]);
    if (explicit.length > 0) {
      fail(explicit.map((m) => `${m.envVar}=${env[m.envVar]} does not point at ${m.what}: fix or unset it.`).join('\n'));
    }
    const aptGet = which('apt-get', env.PATH, SBIN);
    const isRoot = process.getuid?.() === 0;
    if (!isRoot || !aptGet) {
      const lines = [
        `the test suite needs ${todo.map((m) => m.what).join(' and ')}, which ${todo.length > 1 ? 'were' : 'was'} not found.`,
        aptGet
          ? `  Install: sudo apt-get update && sudo apt-get install -y ${names}`
          : `  Install the packages that provide them (Debian/Ubuntu: apt-get install -y ${names}).`,
        `  Or point at existing binaries: ${todo.map((m) => m.hint).join(' ')}`,
      ];
      if (isRoot) lines.push('  (running as root, but apt-get is not available to install them automatically)');
      fail(lines.join('\n'));
    }
    const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
    step(`installing ${names} with apt-get (missing: ${todo.map((m) => m.what).join(', ')})`);
    const started = Date.now();
    let code = await run(aptGet, ['update'], { env: aptEnv });
    if (code !== 0) fail(`apt-get update failed (exit code ${code}).`, code);
    code = await run(aptGet, ['install', '-y', ...todo.map((m) => m.apt)], { env: aptEnv });
    if (code !== 0) fail(`apt-get install -y ${names} failed (exit code ${code}).`, code);
    console.log(`    ok (${((Date.now() - started) / 1000).toFixed(1)}s)`);
    todo = missing();
    if (todo.length > 0) fail(`apt-get installed ${names}, but ${todo.map((m) => m.what).join(' and ')} still cannot be found.`);
  }
  return { pgBin: findPgBin(env), chromium: findChromium(env), nginx: findNginx(env), caddy: findCaddy(env), sqlite3: findSqlite3(env), curl: findCurl(env) };
}
