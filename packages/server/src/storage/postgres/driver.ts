import pg from 'pg';
import { DriverObservers, insertSql, type SqlDriver, type SqlExecutor, UniqueViolationError } from '../driver.js';

// BIGINT (int8) and NUMERIC sums come back as strings by default; every value we store fits a JS number exactly.
pg.types.setTypeParser(20, (value) => Number(value));
pg.types.setTypeParser(1700, (value) => Number(value));

/**
 * A host that drops packets would otherwise hold a connect (and so the server's start) until the OS gives up. The
 * timeout is the client's, not the pool's: the pool would apply it to waiting for a free connection too, and so fail
 * requests with a 500 whenever more than its ten connections' worth of transactions queue up under load.
 */
class TimedClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super({ ...(typeof config === 'string' ? { connectionString: config } : config), connectionTimeoutMillis: 5_000 });
  }
}

/**
 * PostgreSQL through a `pg` pool. Each transaction commits on its own connection, so there is no group commit: its
 * observers see every transaction as a batch of one, with its latency from BEGIN to COMMIT.
 */
export function openPostgres(connectionString: string): SqlDriver {
  const pool = new pg.Pool({ connectionString, max: 10, Client: TimedClient });
  const observers = new DriverObservers();
  // An idle client that loses its connection must not crash the process; it is still a database error.
  pool.on('error', (error) => observers.failed(error));

  const executor = (client: pg.Pool | pg.PoolClient): SqlExecutor => ({
    async all<T>(sql: string, params: readonly unknown[] = []) {
      return (await query(client, sql, params, observers)).rows as T[];
    },
    async get<T>(sql: string, params: readonly unknown[] = []) {
      return (await query(client, sql, params, observers)).rows[0] as T | undefined;
    },
    async run(sql: string, params: readonly unknown[] = []) {
      return (await query(client, sql, params, observers)).rowCount ?? 0;
    },
    async accumulate(sql, key, values) {
      await query(client, sql, [...key, ...values], observers);
    },
    async append(table, columns, values) {
      await query(client, insertSql(table, columns), values, observers);
    },
    async put(sql, key, values) {
      await query(client, sql, [...key, ...values], observers);
    },
  });

  return {
    dialect: 'postgres',
    ...executor(pool),
    async transaction(fn) {
      const client = await pool.connect().catch((error: unknown) => {
        observers.failed(error);
        throw error;
      });
      try {
        const started = performance.now();
        await query(client, 'BEGIN', [], observers);
        const result = await fn(executor(client));
        await query(client, 'COMMIT', [], observers);
        observers.committed(1, (performance.now() - started) / 1000);
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async exec(script, tx) {
      if (tx) await tx.run(script);
      else await pool.query(script);
    },
    async lockForMigrations(tx) {
      // Two processes starting at once must not both apply the same migration.
      await tx.run('SELECT pg_advisory_xact_lock(?)', [4_242_001]);
    },
    observe: (observer) => observers.add(observer),
    async close() {
      await pool.end();
    },
  };
}

const numbered = new Map<string, string>();

/** Rewrites `?` placeholders into `$1, $2…` (our SQL never has a literal `?`). */
function toPostgres(sql: string): string {
  let text = numbered.get(sql);
  if (text === undefined) {
    let index = 0;
    text = sql.replace(/\?/g, () => `$${++index}`);
    numbered.set(sql, text);
  }
  return text;
}

async function query(client: pg.Pool | pg.PoolClient, sql: string, params: readonly unknown[], observers: DriverObservers) {
  try {
    return await client.query(toPostgres(sql), params as unknown[]);
  } catch (error) {
    if ((error as { code?: string }).code === '23505') {
      const detail = (error as { detail?: string }).detail ?? '';
      const match = /Key \((?:lower\()?"?(\w+)/.exec(detail);
      throw new UniqueViolationError(match?.[1], { cause: error });
    }
    observers.failed(error);
    throw error;
  }
}
