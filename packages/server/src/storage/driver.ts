/**
 * The thin seam between the SQL that Waypost writes once and the two databases it runs on.
 * SQL uses `?` placeholders; the PostgreSQL driver numbers them. Everything in here stays inside storage/.
 */
export type Row = Record<string, unknown>;

export interface SqlExecutor {
  all<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  get<T = Row>(sql: string, params?: readonly unknown[]): Promise<T | undefined>;
  /** Runs a write and returns the number of rows it changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
  /**
   * An additive upsert: `sql` takes the row's `key` and then `values` as parameters, and adds the values to the row's
   * counters. A driver may hold such writes until the commit and merge those of one row; the row ends the same.
   * Key values are strings and numbers (write an absent dimension as '').
   */
  accumulate(sql: string, key: readonly unknown[], values: readonly number[]): Promise<void>;
  /**
   * An insert of a row that nothing reads back in the same transaction and that cannot conflict (its key is a fresh
   * random id). A driver may hold it until the commit and write a table's held rows as multi-row INSERTs; it
   * commits or rolls back with the transaction either way.
   */
  append(table: string, columns: readonly string[], values: readonly unknown[]): Promise<void>;
  /**
   * An upsert that sets a row's values by its key, and that nothing reads back in the same transaction: `sql` takes
   * the `key` and then `values` as parameters. A driver may hold it until the commit, where the last one of each key
   * wins; it commits or rolls back with the transaction either way.
   */
  put(sql: string, key: readonly unknown[], values: readonly unknown[]): Promise<void>;
}

export interface SqlDriver extends SqlExecutor {
  readonly dialect: 'sqlite' | 'postgres';
  /** Runs `fn` in one write transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Runs a script of several statements (migrations). */
  exec(script: string, tx?: SqlExecutor): Promise<void>;
  /** Serialises migration runs between processes that share the database. */
  lockForMigrations(tx: SqlExecutor): Promise<void>;
  /** Tells `observer` about commits and failures from now on; returns the unsubscribe function. */
  observe(observer: DriverObserver): () => void;
  close(): Promise<void>;
}

/**
 * What a driver tells about its own work, for the metrics: storage reports, and never imports what listens. Calls
 * are made on the commit path, so an observer only counts.
 */
export interface DriverObserver {
  /**
   * A commit: SQLite's group commit of `transactions` queued transactions, or one PostgreSQL transaction (always 1,
   * as each commits on its own connection). `seconds` runs from BEGIN to the end of COMMIT.
   */
  committed(transactions: number, seconds: number): void;
  /**
   * The database refused an operation: a failed statement, BEGIN or COMMIT, a transaction refused as busy, a lost
   * connection. A unique key refusing a write is an answer, not a failure, and is not reported.
   */
  failed(error: unknown): void;
}

/** A driver's observers; with none, a report costs one loop over an empty set. */
export class DriverObservers implements DriverObserver {
  readonly #observers = new Set<DriverObserver>();

  add(observer: DriverObserver): () => void {
    this.#observers.add(observer);
    return () => void this.#observers.delete(observer);
  }

  committed(transactions: number, seconds: number): void {
    for (const observer of this.#observers) observer.committed(transactions, seconds);
  }

  failed(error: unknown): void {
    for (const observer of this.#observers) observer.failed(error);
  }
}

/** A unique key refused a write: a duplicate name, transaction id, code… */
export class UniqueViolationError extends Error {
  override readonly name = 'UniqueViolationError';
  constructor(
    /** The constrained column, as well as the driver can tell (`name`, `code`…). */
    readonly field: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(`unique constraint failed${field ? ` on ${field}` : ''}`, options);
  }
}

/**
 * Another connection held SQLite's write lock (or, rarely, a read lock) for longer than the driver waits. Nothing
 * of the refused work was written; it may be sent again.
 */
export class DatabaseBusyError extends Error {
  override readonly name = 'DatabaseBusyError';
  constructor(options?: { cause?: unknown }) {
    super('the database is busy', options);
  }
}

const insertSqlCache = new WeakMap<readonly string[], Map<string, string>>();
/**
 * The INSERT of `rows` rows that `append` stands for; made once per column list (pass a constant), table and row
 * count, as appends are on the hot path.
 */
export function insertSql(table: string, columns: readonly string[], rows = 1): string {
  let byTable = insertSqlCache.get(columns);
  if (!byTable) insertSqlCache.set(columns, (byTable = new Map()));
  const key = `${table}:${rows}`;
  let sql = byTable.get(key);
  if (sql === undefined) {
    const row = `(${columns.map(() => '?').join(', ')})`;
    sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array.from({ length: rows }, () => row).join(', ')}`;
    byTable.set(key, sql);
  }
  return sql;
}

/** A FIFO async lock. */
export class Mutex {
  #tail: Promise<void> = Promise.resolve();
  #pending = 0;

  /** Whether anyone holds or waits for the lock. */
  get busy(): boolean {
    return this.#pending > 0;
  }

  async run<T>(fn: () => Promise<T> | T): Promise<T> {
    this.#pending += 1;
    const previous = this.#tail;
    let release!: () => void;
    this.#tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    try {
      return await fn();
    } finally {
      this.#pending -= 1;
      release();
    }
  }
}
