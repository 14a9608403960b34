import { connectClient, stopAll, uniqueName, type ClientOptions, type TestClient } from './clients';
import type { TestServer } from './server';
import { useServer } from './use-server';

export interface ServerWithClients {
  /** The spawned server (available inside tests). */
  readonly server: TestServer;
  /** A PhoneCore client of a new user named uniquely after `base`; stopped after the file. */
  client(base: string, options?: ClientOptions): Promise<TestClient>;
  /** A PhoneCore client of exactly `username` (pass register: false for another device of an existing user). */
  named(username: string, options?: ClientOptions): Promise<TestClient>;
}

/**
 * One real server per integration test file (started in beforeAll with `env`; stopped, with its
 * DATA_DIR removed, in afterAll) and the PhoneCore clients the tests connect to it.
 */
export function useServerWithClients(env: Record<string, string> = {}): ServerWithClients {
  const clients: TestClient[] = [];
  const running = useServer(env, () => stopAll(...clients.splice(0)));
  const named = async (username: string, options?: ClientOptions) => {
    const client = await connectClient(running().url, username, options);
    clients.push(client);
    return client;
  };
  return {
    get server() {
      return running();
    },
    client: (base, options) => named(uniqueName(base), options),
    named,
  };
}
