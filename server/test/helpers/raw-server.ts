import type { AuthResponse } from '../../../shared/protocol';
import type { TestServer } from '../../../test/support/server';
import { useServer } from '../../../test/support/use-server';
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
  const opened: RawDevice[] = [];
  const running = useServer(env, () => opened.splice(0).forEach((device) => device.close()));
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
