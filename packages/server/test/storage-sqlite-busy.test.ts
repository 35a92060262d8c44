import type { ChildProcess } from 'node:child_process';
import Database from 'libsql';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { createApiKey } from '../src/keys.js';
import { openStore } from '../src/storage/index.js';
import { freshDatabaseUrl, spawnServer } from './support/harness.js';

/** What a request got back, or the socket error in its place. */
interface Answer {
  name: string;
  status?: number;
  retryAfter?: string | null;
  contentType?: string | null;
  cookie?: string | null;
  body?: any;
  error?: string;
}

/**
 * A busy database (README, Security): another process holds SQLite's write lock (a backup, the CLI) for longer than the
 * server waits. The server is a process of its own, so that a crash or a blocked event loop shows.
 */
describe('a SQLite file whose write lock another process holds', () => {
  const children: ChildProcess[] = [];
  const holders: Database.Database[] = [];
  afterEach(() => {
    for (const holder of holders.splice(0)) if (holder.open) holder.close();
    for (const child of children.splice(0)) child.kill('SIGKILL');
  });

  it('keeps answering reads, answers each write with success or 503 and Retry-After, and keeps what it acknowledged', { timeout: 60_000 }, async () => {
    const databaseUrl = await freshDatabaseUrl('sqlite');
    const path = databaseUrl.slice('file:'.length);
    const setup = openStore(databaseUrl);
    await setup.migrate();
    const { key } = await createApiKey({ store: setup, clock: systemClock }, { role: 'admin', name: 'busy test' });
    await setup.close();

    const { child, url } = await spawnServer(databaseUrl);
    children.push(child);
    let exit: string | undefined;
    child.once('exit', (code, signal) => (exit = `exited with ${code ?? signal}`));

    const events: string[] = [];
    const send = async (name: string, path: string, init: RequestInit = {}): Promise<Answer> => {
      try {
        const response = await fetch(`${url}${path}`, {
          ...init,
          redirect: 'manual',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...init.headers },
        });
        const contentType = response.headers.get('content-type');
        const text = await response.text();
        events.push(name);
        return {
          name,
          status: response.status,
          retryAfter: response.headers.get('retry-after'),
          contentType,
          cookie: response.headers.get('set-cookie'),
          body: contentType?.includes('json') && text ? JSON.parse(text) : text,
        };
      } catch (error) {
        events.push(name);
        return { name, error: String((error as Error).cause ?? error) };
      }
    };
    const clickIdOf = (answer: Answer) => /waypost_cid=([^;]+)/.exec(answer.cookie ?? '')?.[1];

    const publisher = (await send('setup', '/v1/publishers', { method: 'POST', body: JSON.stringify({ name: 'Steady' }) })).body;
    const offer = (
      await send('setup', '/v1/offers', {
        method: 'POST',
        body: JSON.stringify({ name: 'Busy', url: 'https://shop.example/?c={click_id}', payout: { model: 'cpa', amount: '1.00' } }),
      })
    ).body;
    const clicksBefore: string[] = [];
    for (let i = 0; i < 12; i++) clicksBefore.push(clickIdOf(await send('setup', `/c/${offer.id}?pub=${publisher.id}`))!);
    expect(clicksBefore.every(Boolean)).toBe(true);

    // One kind of each write: a click, a postback (on a click made before), an API write.
    let postbacks = 0;
    const writes = (wave: string, count: number) =>
      Array.from({ length: count }, (_, i) => [
        send(`${wave} click`, `/c/${offer.id}?pub=${publisher.id}&sub1=${wave}`),
        send(`${wave} postback`, `/postback?click_id=${clicksBefore[postbacks++]}&transaction_id=${wave}-${i}&token=${offer.postbackToken}`),
        send(`${wave} publisher`, '/v1/publishers', { method: 'POST', body: JSON.stringify({ name: `${wave}-${i}` }) }),
      ]).flat();

    // The other process: a connection that takes the write lock and keeps it.
    const holder = new Database(path);
    holders.push(holder);
    holder.pragma('busy_timeout = 2000');
    holder.exec('BEGIN IMMEDIATE');
    const lockedAt = performance.now();

    const first = writes('first', 4);
    const pixel = send('first pixel', `/pixel.gif?click_id=${clicksBefore[11]}`);
    const health = send('healthz', '/healthz');
    const read = send('read', `/v1/offers/${offer.id}`, { headers: {} });
    const firstAnswers = await Promise.all(first);
    // Sent once the first writes have given up, and answered once the lock is free.
    const second = writes('second', 3);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 8_000 - (performance.now() - lockedAt))));
    holder.exec('COMMIT');
    events.push('released');
    const secondAnswers = await Promise.all(second);
    const third = await Promise.all(writes('third', 1));

    // Reads went on while the lock was held, before any write waiting for it had an answer.
    expect((await health).status).toBe(200);
    expect((await read).status).toBe(200);
    const firstWriteAnswered = events.findIndex((event) => event.startsWith('first'));
    expect(events.indexOf('healthz')).toBeLessThan(firstWriteAnswered);
    expect(events.indexOf('read')).toBeLessThan(firstWriteAnswered);

    // Every write got an answer: the first ones (the lock outlasted their wait) a 503 with Retry-After.
    for (const answer of firstAnswers) {
      expect(answer).toMatchObject({ status: 503, retryAfter: expect.stringMatching(/^\d+$/), body: { error: { code: 'database_busy' } } });
    }
    // A pixel always answers with the GIF, here with the 503 that says its conversion was not taken.
    expect(await pixel).toMatchObject({ contentType: 'image/gif', status: 503, retryAfter: expect.stringMatching(/^\d+$/) });
    const succeeded = (answer: Answer) => answer.status !== undefined && answer.status < 400;
    for (const answer of secondAnswers) {
      if (!succeeded(answer)) expect(answer).toMatchObject({ status: 503, retryAfter: expect.stringMatching(/^\d+$/) });
    }
    // Writes that waited for the lock went through once it was released, and new ones do.
    expect(secondAnswers.some(succeeded)).toBe(true);
    expect(third.map((answer) => answer.status)).toEqual([302, 200, 201]);
    expect(exit).toBeUndefined();
    expect((await send('healthz', '/healthz')).status).toBe(200);

    // Every acknowledged write is in the database, and nothing of a refused one.
    const acknowledged = [...secondAnswers, ...third].filter(succeeded);
    const db = new Database(path, { readonly: true });
    holders.push(db);
    const clicks = db.prepare('SELECT id FROM clicks').all().map((row: any) => row.id);
    const ackedClicks = acknowledged.filter((answer) => answer.name.endsWith('click')).map(clickIdOf);
    expect(clicks.sort()).toEqual([...clicksBefore, ...ackedClicks].sort());
    const conversions = db.prepare('SELECT transaction_id FROM conversions').all().map((row: any) => row.transaction_id);
    const ackedConversions = acknowledged.filter((answer) => answer.name.endsWith('postback')).map((answer) => answer.body.conversionId);
    expect(ackedConversions.every(Boolean)).toBe(true);
    expect(db.prepare(`SELECT id FROM conversions WHERE id IN (${ackedConversions.map(() => '?').join(', ')})`).all(ackedConversions)).toHaveLength(ackedConversions.length);
    expect(conversions.filter((id: string | null) => id?.startsWith('first-'))).toEqual([]);
    const publishers = db.prepare('SELECT id, name FROM publishers').all() as { id: string; name: string }[];
    const ackedPublishers = acknowledged.filter((answer) => answer.name.endsWith('publisher')).map((answer) => answer.body.id);
    expect(publishers.map((row) => row.id)).toEqual(expect.arrayContaining(ackedPublishers));
    expect(publishers.filter((row) => row.name.startsWith('first-'))).toEqual([]);
  });
});
