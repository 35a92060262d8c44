import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often, at most, the WAL is checkpointed while writes go on. */
const CHECKPOINT_EVERY_MS = 100;
/** A WAL this long (4 KiB frames: 16 MB) is brought to a full stop, so that the next write starts it over. */
const RESTART_FRAMES = 4096;

export interface Checkpointer {
  /** Called after each commit: starts a checkpoint in the background when one is due. */
  committed(): void;
  /**
   * Called before a commit starts. Usually resolves at once; when the WAL has grown long, it waits until a
   * checkpoint has copied every frame with no commit running alongside, so that the commit starts the WAL over.
   */
  beforeCommit(): Promise<void> | undefined;
  close(): Promise<void>;
}

// The worker's code: its own connection to the database, which checkpoints when asked. It is plain CommonJS run
// from a string, so that it works the same from the sources and from the build. Its busy timeout blocks only this
// thread, and a PASSIVE checkpoint never waits for a writer (another process may hold the write lock for long): it
// copies what it can, and one that is refused (another connection checkpointing) counts as not done.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.libsql);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = FULL');
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ log: result.log, checkpointed: result.checkpointed });
  } catch (error) {
    parentPort.postMessage({ error: String(error) });
  }
});
`;

/**
 * Checkpoints an SQLite WAL from a worker thread, with a connection of its own. SQLite's own automatic checkpoint
 * runs inside a COMMIT, where copying a thousand pages into the database file and fsyncing it stalls the event
 * loop, and every request with it, for tens of milliseconds; here that work runs on another core while requests
 * go on. `fallback` is called (to turn SQLite's automatic checkpoint back on) if the worker cannot run.
 */
export function startCheckpointer(path: string, fallback: () => void): Checkpointer {
  const worker = new Worker(WORKER, { eval: true, workerData: { path, libsql: createRequire(import.meta.url).resolve('libsql') } });
  // The worker must not keep a finished process alive.
  worker.unref();
  let failed = false;
  let waiting: ((result: { log: number; checkpointed: number } | undefined) => void) | undefined;
  worker.on('message', (message: { log: number; checkpointed: number } | { error: string }) => {
    const done = waiting;
    waiting = undefined;
    done?.('error' in message ? undefined : message);
  });
  // A worker that fails or stops (a crash, or one that could not open the database) hands checkpoints back to SQLite;
  // a checkpoint it was running counts as not done, so nothing waits on it for ever.
  let closing = false;
  const stopped = () => {
    if (!failed && !closing) fallback();
    failed = true;
    waiting?.(undefined);
    waiting = undefined;
  };
  worker.on('error', stopped);
  worker.on('exit', stopped);

  let running: Promise<{ log: number; checkpointed: number } | undefined> | undefined;
  let lastStart = 0;
  let longWal = false;
  const checkpoint = () => {
    lastStart = performance.now();
    const run = new Promise<{ log: number; checkpointed: number } | undefined>((resolve) => {
      if (failed) return resolve(undefined);
      waiting = resolve;
      worker.postMessage('checkpoint');
    }).then((result) => {
      running = undefined;
      if (result) longWal = result.log >= RESTART_FRAMES;
      return result;
    });
    running = run;
    return run;
  };

  return {
    committed() {
      if (!failed && !running && performance.now() - lastStart >= CHECKPOINT_EVERY_MS) void checkpoint();
    },
    beforeCommit() {
      if (failed || !longWal) return undefined;
      return (async () => {
        while (running) await running;
        // Nothing commits until this returns: the checkpoint reaches the end of the WAL and the next commit restarts it.
        await checkpoint();
        longWal = false;
      })();
    },
    async close() {
      while (running) await running;
      if (failed) return;
      closing = true;
      await new Promise<void>((resolve) => {
        // Held open until its connection is closed, even by a process that has nothing else left to do.
        worker.ref();
        worker.once('exit', () => resolve());
        worker.postMessage('close');
      });
    },
  };
}
