import { startPostgres, type PostgresServer } from './infra';

/** vitest globalSetup of the `postgres` project: one real Postgres (the rig's) for the whole run, on loopback. */
let server: PostgresServer | undefined;

export async function setup(): Promise<void> {
  server = await startPostgres({ database: 'softphone_admin' });
  process.env.TEST_POSTGRES_URL = server.url;
}

export async function teardown(): Promise<void> {
  await server?.stop();
}
