/**
 * Baseline (b): the PeerJS signalling server (npm `peer`), as its README starts it. Its clients speak its
 * WebSocket protocol: ws://host:port/peerjs?key=peerjs&id=ID&token=TOKEN, then JSON messages
 * {type: 'OFFER'|'ANSWER'|'CANDIDATE'|'HEARTBEAT', dst, payload}; the server sets `src` and forwards.
 * Run as its own process: `tsx bench/baselines/peerjs-server.ts` (prints the port) or forked by the bench.
 */
import type { AddressInfo } from 'node:net';
import { PeerServer } from 'peer';
import { serveRpc } from '../lib/worker-rpc';

let connections = 0;
const peerServer = PeerServer(
  {
    host: '127.0.0.1',
    port: Number(process.env.PORT ?? 0),
    path: '/',
    // The default cap is 5,000 concurrent peers; the benchmark holds 10,000.
    concurrent_limit: 50_000,
  },
  (server) => {
    const { port } = server.address() as AddressInfo;
    if (process.send) serveRpc({ connections: () => connections }, { port });
    else console.log(`PeerJS server listening on ws://127.0.0.1:${port}/peerjs`);
  },
);
peerServer.on('connection', () => connections++);
peerServer.on('disconnect', () => connections--);
process.on('SIGTERM', () => process.exit(0));
