import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Database from 'libsql';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../src/storage/index.js';
import { startCheckpointer } from '../src/storage/sqlite/checkpointer.js';
import { clickRecord } from './support/fixtures.js';
import { freshDatabaseUrl } from './support/harness.js';

// The WAL is checkpointed by a worker thread (storage/sqlite/checkpointer.ts), not inside commits.
describe('the SQLite write-ahead log', () => {
  const open: Store[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((store) => store.close().catch(() => {})));
  });

  it('is copied into the database and started over while writes go on, so it stays short', async () => {
    const url = await freshDatabaseUrl('sqlite');
    const path = fileURLToPath(url.replace(/^file:/, 'file://'));
    const store = openStore(url);
    open.push(store);
    await store.migrate();
    // About 90 MB of rows, one batch at a time: without the restart the WAL would hold all of them (about 130 MB).
    // It restarts once a checkpoint reports 16 MB; what is written before the next report comes on top.
    const ids: string[] = [];
    for (let batch = 0; batch < 450; batch++) {
      await store.transaction(async (tx) => {
        for (let i = 0; i < 50; i++) {
          const click = clickRecord({ landingUrl: `https://shop.example/${'x'.repeat(4000)}` });
          ids.push(click.id);
          await tx.clicks.insert(click);
        }
      });
    }
    expect(statSync(`${path}-wal`).size).toBeLessThan(56 * 1024 * 1024);
    await store.close();
    open.length = 0;

    // Everything is in the database file, read by a connection of its own.
    const db = new Database(path, { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) AS n FROM clicks').get()).toMatchObject({ n: ids.length });
    } finally {
      db.close();
    }
  });

  it('hands checkpoints back to SQLite when its worker cannot run, and never leaves a commit waiting', async () => {
    let fellBack = 0;
    // The worker's own connection cannot open a database in a folder that does not exist.
    const checkpointer = startCheckpointer('/nonexistent/waypost/waypost.db', () => fellBack++);
    await new Promise<void>((resolve) => {
      const wait = () => (fellBack > 0 ? resolve() : setTimeout(wait, 10));
      wait();
    });
    checkpointer.committed();
    expect(await checkpointer.beforeCommit()).toBeUndefined();
    await checkpointer.close();
    expect(fellBack).toBe(1);
  });
});
