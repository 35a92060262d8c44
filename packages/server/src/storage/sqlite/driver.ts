import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'libsql';
import { DatabaseBusyError, DriverObservers, insertSql, Mutex, type Row, type SqlDriver, type SqlExecutor, UniqueViolationError } from '../driver.js';
import { startCheckpointer } from './checkpointer.js';

/** The part of a prepared statement we use (libsql mirrors better-sqlite3). */
interface Statement {
  readonly reader: boolean;
  raw(raw?: boolean): Statement;
  columns(): { name: string }[];
  // Parameters go as one array: libsql hands it to the binding as it is, where spread arguments are copied and
  // flattened first (a third of the cost of a 40-column insert).
  all(params: unknown[]): unknown[];
  get(params: unknown[]): unknown;
  run(params: unknown[]): { changes: number };
}

/**
 * A prepared statement, with whether it returns rows (asking libsql costs a native call each time) and, for one
 * that does, its column names: rows come back as arrays, which libsql makes in half the time of objects, and
 * become objects here.
 */
interface Prepared {
  statement: Statement;
  reader: boolean;
  columns: string[];
  /** Whether it may write: anything but a SELECT (an upsert with RETURNING is a reader that writes). */
  writes: boolean;
}

/**
 * Embedded SQLite through libsql's synchronous binding, one connection per process.
 *
 * Writes are durable before they are acknowledged (WAL, synchronous=FULL) and group-committed: every transaction
 * queued during one turn of the event loop runs in one SQLite transaction, and one fsync commits them all. A
 * transaction opens its own savepoint before its first write, so a failing one rolls back without touching its
 * neighbours; one that only reads, accumulates, appends and puts (a click, a campaign visit) needs none, as what it
 * holds is simply dropped.
 * Every call goes through one FIFO lock, so an async transaction never interleaves with another request's queries.
 *
 * Another process may hold SQLite's write lock (a backup, the CLI, a second server). SQLite's own busy handler
 * would sleep on the event loop, so it is off: a batch that cannot start tries again after a timer, and its
 * transactions fail with DatabaseBusyError once each has waited `busyTimeoutMs` (the HTTP layer answers 503 with
 * Retry-After). The FIFO lock is only held while an attempt runs, so reads (in WAL they need no write lock) go on
 * from the last commit meanwhile; the transactions still commit in the order they were queued.
 */
export function openSqlite(path: string, { busyTimeoutMs = 5000 }: SqliteOptions = {}): SqlDriver {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  // Opening waits for the lock in SQLite's own busy handler: switching a new file to WAL takes it exclusively, and a
  // second process opening the file at that moment (two `migrate` runs at once) failed at once with SQLITE_BUSY.
  // This runs once, before anything is served; after it, lock waits are ours (below) and leave the event loop free.
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  enableWal(db, busyTimeoutMs);
  db.pragma('busy_timeout = 0');
  db.pragma('synchronous = FULL');
  // A tracking database is read at random (a postback's click, the dedupe keys): 64 MB of page cache and reads
  // through a memory map keep those lookups off the read() path.
  db.pragma('cache_size = -65536');
  db.pragma('mmap_size = 268435456');
  // The WAL is checkpointed by a worker thread rather than inside a COMMIT on the event loop (see checkpointer.ts).
  const checkpointer =
    path === ':memory:'
      ? undefined
      : (db.pragma('wal_autocheckpoint = 0'), startCheckpointer(path, () => db.pragma('wal_autocheckpoint = 1000')));

  const statements = new Map<string, Prepared>();
  const prepare = (sql: string): Prepared => {
    let prepared = statements.get(sql);
    if (!prepared) {
      const statement = db.prepare(sql) as unknown as Statement;
      const reader = statement.reader;
      prepared = {
        statement: reader ? statement.raw(true) : statement,
        reader,
        columns: reader ? statement.columns().map((column) => column.name) : [],
        writes: !/^\s*SELECT\b/i.test(sql),
      };
      statements.set(sql, prepared);
    }
    return prepared;
  };
  const lock = new Mutex();
  const observers = new DriverObservers();

  const open = () => {
    if (closed) throw new Error('the database is closed');
  };
  /**
   * A read outside a transaction. In WAL mode it is refused only in rare moments (another connection recovering
   * the WAL, or holding the file in exclusive mode); it then tries again after a timer rather than in a busy loop.
   */
  const read = async <T>(fn: () => Promise<T>): Promise<T> => {
    const deadline = performance.now() + busyTimeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        return await (lock.busy ? lock.run(() => (open(), fn())) : (open(), fn()));
      } catch (error) {
        if (!(error instanceof DatabaseBusyError)) throw error;
        if (performance.now() >= deadline) {
          observers.failed(error);
          throw error;
        }
      }
      await sleep(backoff(attempt));
    }
  };
  const direct: SqlExecutor = {
    async all<T>(sql: string, params: readonly unknown[] = []) {
      return translate(observers, () => {
        const { statement, columns } = prepare(sql);
        return (statement.all(params.map(toSqlite)) as unknown[][]).map((values) => toRow(columns, values)) as T[];
      });
    },
    async get<T>(sql: string, params: readonly unknown[] = []) {
      return translate(observers, () => {
        const { statement, columns } = prepare(sql);
        const values = statement.get(params.map(toSqlite)) as unknown[] | undefined;
        return (values ? toRow(columns, values) : undefined) as T | undefined;
      });
    },
    async run(sql: string, params: readonly unknown[] = []) {
      return translate(observers, () => {
        const { statement, reader } = prepare(sql);
        // Statements with RETURNING are readers; run them through all() so the rows are consumed.
        return reader ? statement.all(params.map(toSqlite)).length : statement.run(params.map(toSqlite)).changes;
      });
    },
    async accumulate(sql, key, values) {
      await direct.run(sql, [...key, ...values]);
    },
    async append(table, columns, values) {
      await direct.run(insertSql(table, columns), values);
    },
    async put(sql, key, values) {
      await direct.run(sql, [...key, ...values]);
    },
  };

  /**
   * Additive upserts held until the batch commits, one per row: a busy offer's clicks all land on a few rollup rows,
   * and one write per row per batch replaces one per click. A transaction's own are merged in only once it succeeds.
   */
  type Delta = { sql: string; key: readonly unknown[]; values: readonly number[] };
  /** Held deltas by statement, then by row key. */
  type Held = Map<string, Map<string, { key: readonly unknown[]; values: number[] }>>;
  const hold = (held: Held, { sql, key, values }: Delta) => {
    let rows = held.get(sql);
    if (!rows) held.set(sql, (rows = new Map()));
    const id = key.join('\u0001');
    const row = rows.get(id);
    if (!row) rows.set(id, { key, values: [...values] });
    else for (let i = 0; i < values.length; i++) row.values[i]! += values[i]!;
  };

  /**
   * Held appends by column list (callers pass a constant, so this is one lookup; a fresh list only costs a
   * separate INSERT) and table: one multi-row INSERT per chunk of rows at commit.
   */
  type Appended = Map<readonly string[], Map<string, (readonly unknown[])[]>>;
  /** Held puts by statement, then by row key: the last one of a key wins. */
  type Put = Map<string, Map<string, readonly unknown[]>>;
  const APPEND_CHUNK = 32;
  const writeAppended = async (appended: Appended) => {
    for (const [columns, tables] of appended) {
      for (const [table, rows] of tables) {
        for (let start = 0; start < rows.length; start += APPEND_CHUNK) {
          const chunk = rows.slice(start, start + APPEND_CHUNK);
          await direct.run(insertSql(table, columns, chunk.length), chunk.flat());
        }
      }
    }
  };

  interface Pending {
    fn: (tx: SqlExecutor) => Promise<unknown>;
    resolve: (value: unknown) => void;
    reject: (error: unknown) => void;
    /** When it stops waiting for the write lock (performance.now()). */
    deadline: number;
  }
  let queue: Pending[] = [];
  /** The one flush scheduled or running: batches are committed one after the other, in the order they queued. */
  let flushing: Promise<void> | undefined;
  let closed = false;

  const schedule = () => {
    flushing ??= new Promise<void>((resolve) => setImmediate(resolve))
      .then(flush)
      .catch((error: unknown) => {
        // What escapes flush (a failed ROLLBACK) fails the transactions queued after it; it must not end the process.
        observers.failed(error);
        for (const item of queue.splice(0)) item.reject(error);
      })
      .finally(() => {
        flushing = undefined;
        if (queue.length) schedule();
      });
  };

  const flush = async () => {
    await checkpointer?.beforeCommit();
    for (let attempt = 0; ; attempt++) {
      if (await commitBatch()) return;
      // Another connection holds the write lock. Whoever has waited long enough is refused; the rest, and whatever
      // is queued meanwhile, wait for the next attempt. The FIFO lock is free until then, so reads go on.
      const now = performance.now();
      const expired = queue.filter((item) => item.deadline <= now);
      if (expired.length) {
        queue = queue.filter((item) => item.deadline > now);
        const error = new DatabaseBusyError();
        for (const item of expired) {
          item.reject(error);
          observers.failed(error);
        }
      }
      if (!queue.length) return;
      await sleep(backoff(attempt));
    }
  };

  /**
   * Runs every queued transaction in one SQLite transaction and commits them together. Resolves to false, with
   * nothing run, when another connection holds the write lock.
   */
  const commitBatch = () =>
    lock.run(async (): Promise<boolean> => {
      if (closed) {
        for (const item of queue.splice(0)) item.reject(new Error('the database is closed'));
        return true;
      }
      if (!queue.length) return true;
      const started = performance.now();
      try {
        db.exec('BEGIN IMMEDIATE');
      } catch (error) {
        if (isBusy(error)) return false;
        observers.failed(error);
        for (const item of queue.splice(0)) item.reject(error);
        return true;
      }
      const batch = queue;
      queue = [];
      const settled: (() => void)[] = [];
      const batchHeld: Held = new Map();
      const batchAppended: Appended = new Map();
      const batchPut: Put = new Map();
      try {
        for (const item of batch) {
          const itemDeltas: Delta[] = [];
          const itemAppended: { table: string; columns: readonly string[]; values: readonly unknown[] }[] = [];
          const itemPut: { sql: string; key: readonly unknown[]; values: readonly unknown[] }[] = [];
          let savepoint = false;
          const beforeWrite = () => {
            if (!savepoint) db.exec('SAVEPOINT waypost_tx');
            savepoint = true;
          };
          const tx: ItemExecutor = {
            all: (sql, params) => (prepare(sql).writes && beforeWrite(), direct.all(sql, params)),
            get: (sql, params) => (prepare(sql).writes && beforeWrite(), direct.get(sql, params)),
            run: (sql, params) => (beforeWrite(), direct.run(sql, params)),
            accumulate: async (sql, key, values) => void itemDeltas.push({ sql, key, values }),
            append: async (table, columns, values) => void itemAppended.push({ table, columns, values }),
            put: async (sql, key, values) => void itemPut.push({ sql, key, values }),
            [BEFORE_WRITE]: beforeWrite,
          };
          try {
            const result = await item.fn(tx);
            if (savepoint) db.exec('RELEASE waypost_tx');
            for (const delta of itemDeltas) hold(batchHeld, delta);
            for (const { table, columns, values } of itemAppended) {
              let tables = batchAppended.get(columns);
              if (!tables) batchAppended.set(columns, (tables = new Map()));
              let rows = tables.get(table);
              if (!rows) tables.set(table, (rows = []));
              rows.push(values);
            }
            for (const { sql, key, values } of itemPut) {
              let rows = batchPut.get(sql);
              if (!rows) batchPut.set(sql, (rows = new Map()));
              rows.set(key.join('\u0001'), [...key, ...values]);
            }
            settled.push(() => item.resolve(result));
          } catch (error) {
            if (savepoint) {
              db.exec('ROLLBACK TO waypost_tx');
              db.exec('RELEASE waypost_tx');
            }
            settled.push(() => item.reject(error));
          }
        }
        await writeAppended(batchAppended);
        for (const [sql, rows] of batchPut) for (const params of rows.values()) await direct.run(sql, params);
        for (const [sql, rows] of batchHeld) {
          for (const { key, values } of rows.values()) if (values.some((value) => value !== 0)) await direct.run(sql, [...key, ...values]);
        }
        await commit();
        checkpointer?.committed();
        observers.committed(batch.length, (performance.now() - started) / 1000);
      } catch (error) {
        for (const item of batch) item.reject(error);
        // Should ROLLBACK itself fail, its error goes to the transactions queued next (see schedule).
        if (db.inTransaction) db.exec('ROLLBACK');
        return true;
      }
      // Acknowledge only after the commit is on disk.
      for (const settle of settled) settle();
      return true;
    });

  /**
   * COMMIT holds the write lock already, so in WAL mode it is not refused; should it be (a journal mode that needs
   * readers gone), the transaction stays open and COMMIT is tried again after a timer, with the FIFO lock held as
   * nothing else may use the connection mid-transaction. Past the deadline the caller rolls back.
   */
  const commit = async () => {
    const deadline = performance.now() + busyTimeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        return db.exec('COMMIT');
      } catch (error) {
        if (!isBusy(error)) {
          observers.failed(error);
          throw error;
        }
        if (performance.now() >= deadline) {
          const busy = new DatabaseBusyError({ cause: error });
          observers.failed(busy);
          throw busy;
        }
      }
      await sleep(backoff(attempt));
    }
  };

  const transaction = <T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      queue.push({ fn, resolve: resolve as (value: unknown) => void, reject, deadline: performance.now() + busyTimeoutMs });
      schedule();
    });

  return {
    dialect: 'sqlite',
    // A read needs the lock only while a batch holds a transaction open; otherwise it runs at once.
    all: (sql, params) => read(() => direct.all(sql, params)),
    get: (sql, params) => read(() => direct.get(sql, params)),
    run: (sql, params) => transaction((tx) => tx.run(sql, params)),
    accumulate: (sql, key, values) => transaction((tx) => tx.accumulate(sql, key, values)),
    append: (table, columns, values) => transaction((tx) => tx.append(table, columns, values)),
    put: (sql, key, values) => transaction((tx) => tx.put(sql, key, values)),
    transaction,
    async exec(script, tx) {
      if (tx) {
        (tx as Partial<ItemExecutor>)[BEFORE_WRITE]?.();
        db.exec(script);
      } else await lock.run(() => db.exec(script));
    },
    async lockForMigrations() {
      // BEGIN IMMEDIATE already holds SQLite's single write lock.
    },
    observe: (observer) => observers.add(observer),
    async close() {
      // Writes already queued are committed first; later ones are refused.
      while (flushing) await flushing;
      await checkpointer?.close();
      await lock.run(() => {
        closed = true;
        statements.clear();
        db.close();
      });
    },
  };
}

export interface SqliteOptions {
  /**
   * How long a transaction waits for another connection to release the write lock before it fails with
   * DatabaseBusyError. Waiting never blocks the event loop.
   * @default 5000
   */
  busyTimeoutMs?: number;
}

/** The delay before the next try at a lock: short at first, as most locks are brief, then every 50 ms. */
const backoff = (attempt: number): number => Math.min(2 ** attempt, 50);

/** SQLITE_BUSY and its extended codes (SQLITE_BUSY_RECOVERY, SQLITE_BUSY_SNAPSHOT…). */
const isBusy = (error: unknown): boolean => String((error as { code?: unknown } | undefined)?.code).startsWith('SQLITE_BUSY');

/**
 * Switches the file to WAL. When two connections open a new file at once, both may hold a shared lock as they switch
 * it, and SQLite then refuses one at once instead of calling its busy handler (waiting could deadlock): that one tries
 * again, sleeping without spinning. Only at open, before anything is served.
 */
function enableWal(db: { pragma(source: string): unknown }, timeoutMs: number): void {
  const deadline = performance.now() + timeoutMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if (!isBusy(error) || performance.now() >= deadline) throw error;
      Atomics.wait(pause, 0, 0, 10);
    }
  }
}

/** A transaction's executor inside a batch, and how a script run through it (a migration) opens its savepoint. */
const BEFORE_WRITE = Symbol('beforeWrite');
type ItemExecutor = SqlExecutor & { [BEFORE_WRITE]: () => void };

function toSqlite(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value === undefined) return null;
  return value;
}

function toRow(columns: readonly string[], values: readonly unknown[]): Row {
  const row: Row = {};
  for (let i = 0; i < columns.length; i++) row[columns[i]!] = values[i];
  return row;
}

/** Runs a statement; a refusal becomes our error types. Busy is reported by whoever gives up waiting, not here. */
function translate<T>(observers: DriverObservers, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
      const match = /UNIQUE constraint failed: \w+\.(\w+)/.exec((error as Error).message);
      throw new UniqueViolationError(match?.[1], { cause: error });
    }
    if (isBusy(error)) throw new DatabaseBusyError({ cause: error });
    observers.failed(error);
    throw error;
  }
}
