/**
 * A load-generating process that opens and holds many idle connections to one server (ours, the bare
 * relay or PeerJS) and counts what happens to them: disconnects, errors, heartbeats, re-registrations.
 */
import { connectBareRelay, connectPeerJs } from '../clients/baseline-clients';
import { connectOurs } from '../clients/our-protocol-client';
import { serveRpc } from '../lib/worker-rpc';

export type ServerKind = 'ours' | 'bare' | 'peerjs';

export interface OpenParams {
  kind: ServerKind;
  url: string;
  port: number;
  /** Global index of the first connection (names and device ids are derived from it). */
  firstIndex: number;
  count: number;
  concurrency: number;
  localAddress?: string;
  /** ours: one access token per connection, reused round-robin (a user may have many devices). */
  tokens?: string[];
  /** ours: reconnect automatically (reconnect storm) instead of counting a drop. */
  reconnect?: boolean;
}

export interface HolderStats {
  open: number;
  opened: number;
  failed: number;
  firstError: string | null;
  disconnects: number;
  heartbeats: number;
  /** The fewest heartbeats any open connection saw since the last reset (-1 with no connection). */
  minHeartbeats: number;
  /** ours: every session:ready received, including the first. */
  registrations: number;
  /** ours: the time (epoch ms) of the latest registration. */
  lastRegistrationAt: number;
  /** ours: devices registered again since `markRestart`. */
  reRegistered: number;
}

interface Held {
  close(): void;
  isOpen(): boolean;
  heartbeats: number;
}

const held: Held[] = [];
const stats: HolderStats = { open: 0, opened: 0, failed: 0, firstError: null, disconnects: 0, heartbeats: 0, minHeartbeats: -1, registrations: 0, lastRegistrationAt: 0, reRegistered: 0 };
let restartMarked = false;
const reRegisteredDevices = new Set<string>();

function heartbeat(connection: Held): void {
  connection.heartbeats++;
  stats.heartbeats++;
}

function dropped(): void {
  stats.open--;
  stats.disconnects++;
}

function currentStats(): HolderStats {
  const open = held.filter((connection) => connection.isOpen());
  const minHeartbeats = open.length ? Math.min(...open.map((connection) => connection.heartbeats)) : -1;
  return { ...stats, minHeartbeats };
}

async function openOne(params: OpenParams, index: number): Promise<Held> {
  const options = params.localAddress ? { localAddress: params.localAddress } : {};
  if (params.kind === 'bare') {
    const socket = await connectBareRelay(params.url, `idle-${index}`, options);
    const connection: Held = { close: () => socket.close(), isOpen: () => socket.connected, heartbeats: 0 };
    socket.io.on('ping', () => heartbeat(connection));
    socket.on('disconnect', dropped);
    return connection;
  }
  if (params.kind === 'peerjs') {
    const connection: Held = { close: () => client.close(), isOpen: () => client.socket.readyState === client.socket.OPEN, heartbeats: 0 };
    const client = await connectPeerJs(params.port, `idle-${index}`, { ...options, onHeartbeat: () => heartbeat(connection) });
    client.socket.on('close', dropped);
    return connection;
  }
  const tokens = params.tokens ?? [];
  const token = tokens[index % tokens.length];
  if (!token) throw new Error('ours: no tokens given');
  const deviceId = `bench-device-${index}`;
  const socket = await connectOurs(params.url, token, deviceId, { ...options, reconnect: params.reconnect ?? false });
  const registered = () => {
    stats.registrations++;
    stats.lastRegistrationAt = Date.now();
    if (restartMarked && !reRegisteredDevices.has(deviceId)) {
      reRegisteredDevices.add(deviceId);
      stats.reRegistered = reRegisteredDevices.size;
    }
  };
  registered();
  socket.on('session:ready', registered);
  const connection: Held = { close: () => socket.close(), isOpen: () => socket.connected, heartbeats: 0 };
  socket.io.on('ping', () => heartbeat(connection));
  socket.on('disconnect', dropped);
  socket.on('connect', () => stats.open++);
  return connection;
}

async function open(params: OpenParams): Promise<HolderStats> {
  let next = 0;
  const lane = async () => {
    while (next < params.count) {
      const index = params.firstIndex + next++;
      try {
        held.push(await openOne(params, index));
        stats.open++;
        stats.opened++;
      } catch (error) {
        stats.failed++;
        stats.firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, params.concurrency) }, lane));
  return currentStats();
}

serveRpc({
  open: (params: OpenParams) => open(params),
  stats: () => currentStats(),
  resetCounters: () => {
    stats.disconnects = 0;
    stats.heartbeats = 0;
    for (const connection of held) connection.heartbeats = 0;
    return currentStats();
  },
  markRestart: () => {
    restartMarked = true;
    reRegisteredDevices.clear();
    stats.reRegistered = 0;
    return currentStats();
  },
  closeAll: () => {
    for (const connection of held.splice(0)) connection.close();
    return currentStats();
  },
});
