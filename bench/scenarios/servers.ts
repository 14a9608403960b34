import { fileURLToPath } from 'node:url';
import { spawnWorker, type WorkerHandle } from '../lib/worker-rpc';
import type { ServerKind } from '../workers/connection-holder';

/** A server under test, running in its own process, with a handle to sample its memory. */
export interface ServerUnderTest {
  kind: ServerKind;
  label: string;
  url: string;
  port: number;
  /** The current process (a restart replaces it). */
  readonly process: WorkerHandle;
  /** kill -9, then start again on the same port (and, for ours, the same DATA_DIR). */
  restart(): Promise<{ downMs: number }>;
  stop(): Promise<void>;
}

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

async function startBaseline(kind: 'bare' | 'peerjs', label: string, modulePath: string): Promise<ServerUnderTest> {
  const launch = async (port?: number) => {
    const handle = spawnWorker(modulePath, port ? { env: { PORT: String(port) } } : {});
    return { handle, port: ((await handle.ready) as { port: number }).port };
  };
  let { handle, port } = await launch();
  return {
    kind,
    label,
    url: `http://127.0.0.1:${port}`,
    port,
    get process() {
      return handle;
    },
    async restart() {
      const killed = Date.now();
      await handle.kill9();
      ({ handle, port } = await launch(port));
      return { downMs: Date.now() - killed };
    },
    stop: () => handle.stop(),
  };
}

export const startBareRelay = () => startBaseline('bare', 'bare socket.io relay', here('../baselines/bare-relay-server.ts'));
export const startPeerJs = () => startBaseline('peerjs', 'PeerJS server', here('../baselines/peerjs-server.ts'));
