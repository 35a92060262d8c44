// vitest globalSetup: one throwaway PostgreSQL cluster for the whole run. Test files get its superuser URL with
// `inject('pgAdminUrl')` ('' when PostgreSQL is missing outside CI) and make their own database with
// `createTestDatabase(url)` from ./postgres.js.
import type { TestProject } from 'vitest/node';
import { startPostgres } from './postgres.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  const cluster = await startPostgres();
  if (cluster) console.log(`[postgres] throwaway cluster up in ${Date.now() - started} ms: ${cluster.adminUrl}`);
  project.provide('pgAdminUrl', cluster?.adminUrl ?? '');
  return async () => {
    await cluster?.stop();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the run's throwaway PostgreSQL cluster, or '' when it could not be started outside CI. */
    pgAdminUrl: string;
  }
}
