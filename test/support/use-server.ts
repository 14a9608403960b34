import { afterAll, beforeAll } from 'vitest';
import { removeDataDir, startServer, type TestServer } from './server';

/**
 * One real server for a test file: started in beforeAll with `env`; in afterAll `beforeStop` runs
 * (close clients), then the server stops and its DATA_DIR is removed. Returns a getter for tests.
 */
export function useServer(env: Record<string, string>, beforeStop: () => void | Promise<void>): () => TestServer {
  let server: TestServer | undefined;
  beforeAll(async () => {
    server = await startServer({ env });
  });
  afterAll(async () => {
    await beforeStop();
    if (!server) return;
    await server.stop();
    removeDataDir(server);
  });
  return () => {
    if (!server) throw new Error('the server is not running (use it inside a test)');
    return server;
  };
}
