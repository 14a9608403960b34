import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the checkpointer copies the WAL into the database file. */
export const CHECKPOINT_EVERY_MS = 1_000;
/**
 * The service's own connection still checkpoints when the WAL reaches this many pages (~40 MiB): a safety net
 * should the checkpointer fall behind. SQLite's default, 1,000 pages, checkpointed several times a second under
 * load, on the event loop.
 */
export const WAL_AUTOCHECKPOINT_PAGES = 10_000;

// The worker's code: CommonJS, evaluated (the server is one bundled file; better-sqlite3 stays external).
const CHECKPOINTER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // A full disk or a busy lock: the WAL keeps every commit; the next tick tries again.
  }
};
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * Checkpoints the SQLite WAL from a worker thread with a connection of its own. A checkpoint copies the WAL's
 * pages into the database file and fsyncs both (synchronous NORMAL); left to the service's connection, it runs
 * inside whichever commit crossed the WAL size limit, on the event loop, several times a second under load.
 * From here it runs once a second in passive mode: writers go on meanwhile, and a page changed many times in a
 * second is copied once. Durability does not change: every commit is in the WAL before it returns either way.
 * `stop()` resolves once the worker's connection is closed.
 */
export function startWalCheckpointer(file: string, onError: (error: Error) => void): { stop(): Promise<void> } {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(CHECKPOINTER, { eval: true, workerData: { driver, file, everyMs: CHECKPOINT_EVERY_MS } });
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  // A worker that cannot start (or dies) only costs speed: the service's own connection still checkpoints.
  worker.on('error', onError);
  return {
    async stop() {
      // Unref'd, the worker would not keep the process alive while its exit is awaited: with nothing else left
      // (a server that could not bind its port, the end of a shutdown) the loop ran empty and Node exited with 13.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
