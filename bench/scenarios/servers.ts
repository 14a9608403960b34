import { fileURLToPath } from 'node:url';
import { spawnWorker, type WorkerHandle } from '../lib/worker-rpc';
import type { ServerKind } from '../workers/connection-holder';

/** A server under test, running in its own process, with a handle to sample its memory. */
export interface ServerUnderTest {
  kind: ServerKind;
  label: string;
  url: string;
  port: number;
  process: WorkerHandle;
  stop(): Promise<void>;
}

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

async function startBaseline(kind: 'bare' | 'peerjs', label: string, modulePath: string): Promise<ServerUnderTest> {
  const handle = spawnWorker(modulePath);
  const { port } = (await handle.ready) as { port: number };
  return { kind, label, url: `http://127.0.0.1:${port}`, port, process: handle, stop: () => handle.stop() };
}

export const startBareRelay = () => startBaseline('bare', 'bare socket.io relay', here('../baselines/bare-relay-server.ts'));
export const startPeerJs = () => startBaseline('peerjs', 'PeerJS server', here('../baselines/peerjs-server.ts'));
