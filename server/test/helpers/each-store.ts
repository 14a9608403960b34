import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe } from 'vitest';
import { startPostgres, type PostgresServer } from '../../../test/support/infra';
import { createLogger } from '../../src/logger';
import { openStore, type Store } from '../../src/db/database';
import type { SchemaStep } from '../../src/db/migrations';
import type { Dialect } from '../../src/db/schema';

export interface StoreFixture {
  readonly dialect: Dialect;
  /** A fresh, migrated store for each test (SQLite: a new DATA_DIR; Postgres: a new database on the file's server). */
  readonly store: Store;
  /** Closes the store and opens the same data again (a restart), optionally with only some schema steps. */
  reopen(steps?: readonly SchemaStep[]): Promise<Store>;
  /** Starts over with an empty database (nothing migrated yet): then reopen(steps) builds an older release's schema. */
  empty(): Promise<void>;
}

const logger = createLogger('silent');
let databases = 0;

/**
 * Runs `body` once per dialect: SQLite in a temporary DATA_DIR, and Postgres on a real server from the rig
 * (one per file, a new database per test). The same tests, so both dialects must mean the same.
 */
export function describeEachStore(title: string, body: (fixture: StoreFixture) => void): void {
  describe.each<Dialect>(['sqlite', 'postgres'])(`${title} (%s)`, (dialect) => {
    let server: PostgresServer | undefined;
    let dir = '';
    let url: string | undefined;
    let store: Store | undefined;
    const open = (steps?: readonly SchemaStep[]) => openStore({ dataDir: dir, databaseUrl: url, logger, steps });
    const fresh = async () => {
      dir = mkdtempSync(join(tmpdir(), 'store-'));
      url = server ? await server.createDatabase(`t${process.pid}_${(databases += 1)}`) : undefined;
    };

    beforeAll(async () => {
      if (dialect === 'postgres') server = await startPostgres();
    }, 60_000);
    afterAll(async () => {
      await server?.stop();
    });
    beforeEach(async () => {
      await fresh();
      store = await open();
    });
    afterEach(async () => {
      await store?.close();
      store = undefined;
      rmSync(dir, { recursive: true, force: true });
    });

    body({
      dialect,
      get store() {
        if (!store) throw new Error('no store outside a test');
        return store;
      },
      async reopen(steps) {
        await store?.close();
        store = await open(steps);
        return store;
      },
      async empty() {
        await store?.close();
        store = undefined;
        rmSync(dir, { recursive: true, force: true });
        await fresh();
      },
    });
  });
}
