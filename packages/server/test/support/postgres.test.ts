import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { createTestDatabase } from './postgres.js';

const adminUrl = inject('pgAdminUrl');

describe('throwaway PostgreSQL cluster', () => {
  // Under CI the cluster must be there: a missing globalSetup or PostgreSQL must fail, not skip.
  it.runIf(process.env.CI === 'true')('is provided under CI', () => {
    expect(adminUrl).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
  });

  it.skipIf(!adminUrl)('creates distinct databases that accept connections', async () => {
    const first = await createTestDatabase(adminUrl);
    const second = await createTestDatabase(adminUrl);
    expect(first).not.toBe(second);

    for (const url of [first, second]) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const { rows } = await client.query<{ one: number; db: string }>('SELECT 1 AS one, current_database() AS db');
        expect(rows[0]?.one).toBe(1);
        expect(url.endsWith(`/${rows[0]?.db}`)).toBe(true);
      } finally {
        await client.end();
      }
    }
  });
});
