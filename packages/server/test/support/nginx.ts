// nginx in front of a test server: found like scripts/lib/system-deps.mjs finds it (keep the two lookups in step),
// run in the foreground as one process, with its configuration, logs, pid and temp files in a folder of its own.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { isExecutable, SBIN, which } from './postgres.js';

/** The nginx executable: WAYPOST_NGINX, else `nginx` on PATH or in the sbin folders (where Debian puts it). */
export function findNginx(): string | undefined {
  const explicit = process.env.WAYPOST_NGINX;
  if (explicit) return isExecutable(explicit) ? explicit : undefined;
  return which('nginx', SBIN);
}

/** A loopback port that nothing listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export interface RunningNginx {
  /** Stops nginx at once (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * Starts nginx with `siteConfig` (a conf.d file, as an operator installs it) included in an `http` block whose
 * files all live in `dir`; resolves once `port` takes connections. Fails with nginx's error log if it exits first.
 */
export async function startNginx(nginx: string, dir: string, siteConfig: string, port: number): Promise<RunningNginx> {
  mkdirSync(join(dir, 'temp'), { recursive: true });
  const sitePath = join(dir, 'waypost.conf');
  writeFileSync(sitePath, siteConfig);
  const errorLog = join(dir, 'error.log');
  writeFileSync(
    join(dir, 'nginx.conf'),
    [
      // One process, no workers: nothing to switch users for when the tests run as root, and nothing left behind.
      'master_process off;',
      `pid ${join(dir, 'nginx.pid')};`,
      `error_log ${errorLog} warn;`,
      'events { worker_connections 64; }',
      'http {',
      `    access_log ${join(dir, 'access.log')};`,
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `    ${kind}_temp_path ${join(dir, 'temp', kind)};`),
      `    include ${sitePath};`,
      '}',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(nginx, ['-p', `${dir}/`, '-c', join(dir, 'nginx.conf'), '-e', errorLog, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<never>((_resolve, reject) => {
    child.once('exit', (code, signal) => {
      let log = '';
      try {
        log = readFileSync(errorLog, 'utf8');
      } catch {
        // nginx stopped before it opened its log
      }
      reject(new Error(`nginx exited (${signal ?? code}) before it took connections:\n${stderr}${log}`));
    });
  });
  exited.catch(() => {});
  const deadline = Date.now() + 15_000;
  const listening = async () => {
    while (!(await accepts(port))) {
      if (Date.now() > deadline) throw new Error(`nginx did not take connections on port ${port} within 15 s`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  try {
    await Promise.race([listening(), exited]);
  } catch (error) {
    kill();
    throw error;
  }
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        process.removeListener('exit', kill);
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
