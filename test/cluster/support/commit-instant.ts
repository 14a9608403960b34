import pg from 'pg';
import { redisCommand, type Cluster } from '../../support/infra';
import { waitUntil } from '../../support/infra/managed-process';

/**
 * Holds open, from outside, the instant right after a node committed a transaction and before anything it writes next
 * reaches Redis, and kills the node (kill -9) in it. The rows `lock` selects are locked (FOR UPDATE) while `start`
 * makes the node begin its transaction, so the node waits in Postgres; Redis then holds every write (CLIENT PAUSE
 * WRITE), the lock is released, and once `committed` says the commit is in, the node is killed and Redis resumes: it
 * drops the writes a closed connection left waiting, so nothing the node did after the commit is carried out.
 */
export class CommitInstant {
  readonly db: pg.Client;

  constructor(private readonly cluster: Cluster) {
    this.db = new pg.Client({ connectionString: cluster.postgres!.url });
  }

  async open(): Promise<this> {
    await this.db.connect();
    return this;
  }

  async killRightAfterCommit(node: string, options: { lock: string; params: unknown[]; start: () => unknown; committed: () => Promise<boolean> }): Promise<void> {
    await this.db.query('BEGIN');
    await this.db.query(options.lock, options.params);
    await options.start();
    await waitUntil(`${node} waiting for the locked rows`, async () => (await this.db.query('SELECT 1 FROM pg_locks WHERE NOT granted')).rowCount! > 0, { timeoutMs: 10_000 });
    await this.redis('CLIENT PAUSE 20000 WRITE');
    await this.db.query('ROLLBACK');
    await waitUntil(`${node}'s commit`, options.committed, { timeoutMs: 5_000 });
    await this.cluster.node(node).kill9();
    await this.redis('CLIENT UNPAUSE');
  }

  /** In a `finally`: Redis takes writes again, the connection ends, and `node` runs again (later tests use it). */
  async close(node: string): Promise<void> {
    await this.redis('CLIENT UNPAUSE');
    await this.db.end();
    if (!this.cluster.node(node).running()) await this.cluster.node(node).start();
  }

  private redis(command: string): Promise<string> {
    return redisCommand(this.cluster.redis!.port, command);
  }
}
