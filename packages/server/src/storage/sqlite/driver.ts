import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'libsql';
import { insertSql, Mutex, type Row, type SqlDriver, type SqlExecutor, UniqueViolationError } from '../driver.js';
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
 * neighbours; one that only reads, accumulates and appends (a click) needs none, as what it holds is simply dropped.
 * Every call goes through one FIFO lock, so an async transaction never interleaves with another request's queries.
 */
export function openSqlite(path: string): SqlDriver {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
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

  const open = () => {
    if (closed) throw new Error('the database is closed');
  };
  const direct: SqlExecutor = {
    async all<T>(sql: string, params: readonly unknown[] = []) {
      return translate(() => {
        const { statement, columns } = prepare(sql);
        return (statement.all(params.map(toSqlite)) as unknown[][]).map((values) => toRow(columns, values)) as T[];
      });
    },
    async get<T>(sql: string, params: readonly unknown[] = []) {
      return translate(() => {
        const { statement, columns } = prepare(sql);
        const values = statement.get(params.map(toSqlite)) as unknown[] | undefined;
        return (values ? toRow(columns, values) : undefined) as T | undefined;
      });
    },
    async run(sql: string, params: readonly unknown[] = []) {
      return translate(() => {
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
  }
  let queue: Pending[] = [];
  let scheduled = false;
  let closed = false;

  const flush = async () => {
    await checkpointer?.beforeCommit();
    await commitBatch();
  };
  const commitBatch = () =>
    lock.run(async () => {
      scheduled = false;
      const batch = queue;
      queue = [];
      if (closed) {
        for (const item of batch) item.reject(new Error('the database is closed'));
        return;
      }
      const settled: (() => void)[] = [];
      const batchHeld: Held = new Map();
      const batchAppended: Appended = new Map();
      db.exec('BEGIN IMMEDIATE');
      try {
        for (const item of batch) {
          const itemDeltas: Delta[] = [];
          const itemAppended: { table: string; columns: readonly string[]; values: readonly unknown[] }[] = [];
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
        for (const [sql, rows] of batchHeld) {
          for (const { key, values } of rows.values()) if (values.some((value) => value !== 0)) await direct.run(sql, [...key, ...values]);
        }
        db.exec('COMMIT');
        checkpointer?.committed();
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK');
        for (const item of batch) item.reject(error);
        return;
      }
      // Acknowledge only after the commit is on disk.
      for (const settle of settled) settle();
    });

  const transaction = <T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      queue.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      if (!scheduled) {
        scheduled = true;
        setImmediate(() => void flush());
      }
    });

  return {
    dialect: 'sqlite',
    // A read needs the lock only while a batch holds a transaction open; otherwise it runs at once.
    all: (sql, params) => (lock.busy ? lock.run(() => (open(), direct.all(sql, params))) : (open(), direct.all(sql, params))),
    get: (sql, params) => (lock.busy ? lock.run(() => (open(), direct.get(sql, params))) : (open(), direct.get(sql, params))),
    run: (sql, params) => transaction((tx) => tx.run(sql, params)),
    accumulate: (sql, key, values) => transaction((tx) => tx.accumulate(sql, key, values)),
    append: (table, columns, values) => transaction((tx) => tx.append(table, columns, values)),
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
    async close() {
      // Writes already queued are committed first; later ones are refused.
      if (scheduled) await flush();
      await checkpointer?.close();
      await lock.run(() => {
        closed = true;
        statements.clear();
        db.close();
      });
    },
  };
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

function translate<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
      const match = /UNIQUE constraint failed: \w+\.(\w+)/.exec((error as Error).message);
      throw new UniqueViolationError(match?.[1], { cause: error });
    }
    throw error;
  }
}
