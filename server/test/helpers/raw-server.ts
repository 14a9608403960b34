import { afterAll, beforeAll } from 'vitest';
import type { AuthResponse } from '../../../shared/protocol';
import { removeDataDir, startServer, type TestServer } from '../../../test/support/server';
import { deviceId, RawDevice } from './raw-device';

export interface RawServer {
  /** The spawned server (available inside tests). */
  readonly server: TestServer;
  readonly url: string;
  /** A raw device of `user` with the stable id deviceId(name); closed after the file. */
  connect(user: AuthResponse, name: string): Promise<RawDevice>;
}

/**
 * One real server for a test file (started in beforeAll with `env`, stopped and its DATA_DIR removed
 * in afterAll) and the raw devices the tests open on it.
 */
export function useRawServer(env: Record<string, string> = {}): RawServer {
  let server: TestServer | undefined;
  const opened: RawDevice[] = [];
  const running = () => {
    if (!server) throw new Error('the server is not running (use it inside a test)');
    return server;
  };
  beforeAll(async () => {
    server = await startServer({ env });
  });
  afterAll(async () => {
    opened.splice(0).forEach((device) => device.close());
    if (!server) return;
    await server.stop();
    removeDataDir(server);
  });
  return {
    get server() {
      return running();
    },
    get url() {
      return running().url;
    },
    async connect(user, name) {
      const device = await RawDevice.connect(running().url, user.accessToken, deviceId(name));
      opened.push(device);
      return device;
    },
  };
}
