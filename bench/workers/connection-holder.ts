/**
 * A load-generating process that opens and holds many idle connections to one server (ours, the bare
 * relay or PeerJS) and counts what happens to them: disconnects, errors, heartbeats, re-registrations,
 * and (PhoneCore clients) the missed calls delivered to them.
 */
import { connectBareRelay, connectPeerJs } from '../clients/baseline-clients';
import { createBenchPhone, startOnline } from '../clients/bench-phone';
import { connectOurs } from '../clients/our-protocol-client';
import { serveRpc } from '../lib/worker-rpc';

/** `ours`: a bare authenticated socket speaking our protocol; `ours-phone`: a full PhoneCore. */
export type ServerKind = 'ours' | 'bare' | 'peerjs';
export type ClientKind = ServerKind | 'ours-phone';

export interface OpenParams {
  kind: ClientKind;
  url: string;
  port: number;
  /** Global index of the first connection (names and device ids are derived from it). */
  firstIndex: number;
  count: number;
  concurrency: number;
  localAddress?: string;
  /** ours: access tokens; connection i uses tokens[i mod length] (a user may have many devices). */
  tokens?: string[];
  /** bare, ours: reconnect automatically (reconnect storm) instead of counting a drop. ours-phone always does. */
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
  /** Registrations (ours: session:ready / PhoneCore online; bare: connect), including the first. */
  registrations: number;
  /** The time (epoch ms) of the latest registration. */
  lastRegistrationAt: number;
  /** Connections registered again since `markRestart`. */
  reRegistered: number;
  /** Failed reconnect attempts by error message (bare, ours). */
  reconnectErrors: Record<string, number>;
}

interface Held {
  deviceId: string;
  close(): void;
  isOpen(): boolean;
  heartbeats: number;
}

const held: Held[] = [];
const stats: HolderStats = { open: 0, opened: 0, failed: 0, firstError: null, disconnects: 0, heartbeats: 0, minHeartbeats: -1, registrations: 0, lastRegistrationAt: 0, reRegistered: 0, reconnectErrors: {} };
let restartMarked = false;
const reRegisteredDevices = new Set<string>();
/** deviceId -> callIds of the missed calls delivered to it (ours-phone). */
const missedByDevice = new Map<string, Set<string>>();

function heartbeat(connection: Held): void {
  connection.heartbeats++;
  stats.heartbeats++;
}

function dropped(): void {
  stats.open--;
  stats.disconnects++;
}

function reconnectFailed(error: Error): void {
  const key = error.message.slice(0, 80);
  stats.reconnectErrors[key] = (stats.reconnectErrors[key] ?? 0) + 1;
}

function registered(deviceId: string): void {
  stats.registrations++;
  stats.lastRegistrationAt = Date.now();
  if (restartMarked && !reRegisteredDevices.has(deviceId)) {
    reRegisteredDevices.add(deviceId);
    stats.reRegistered = reRegisteredDevices.size;
  }
}

function currentStats(): HolderStats {
  const open = held.filter((connection) => connection.isOpen());
  const minHeartbeats = open.length ? open.reduce((min, c) => Math.min(min, c.heartbeats), Number.POSITIVE_INFINITY) : -1;
  return { ...stats, minHeartbeats, reconnectErrors: { ...stats.reconnectErrors } };
}

function tokenFor(params: OpenParams, index: number): string {
  const tokens = params.tokens ?? [];
  const token = tokens[index % tokens.length];
  if (!token) throw new Error('ours: no tokens given');
  return token;
}

async function openOne(params: OpenParams, index: number): Promise<Held> {
  const options = params.localAddress ? { localAddress: params.localAddress } : {};
  const deviceId = `bench-device-${index}`;
  if (params.kind === 'bare') {
    const socket = await connectBareRelay(params.url, `idle-${index}`, { ...options, reconnect: params.reconnect ?? false });
    const connection: Held = { deviceId, close: () => socket.close(), isOpen: () => socket.connected, heartbeats: 0 };
    registered(deviceId);
    socket.io.on('ping', () => heartbeat(connection));
    socket.io.on('reconnect_error', reconnectFailed);
    socket.on('disconnect', dropped);
    socket.on('connect', () => {
      stats.open++;
      registered(deviceId);
    });
    return connection;
  }
  if (params.kind === 'peerjs') {
    const connection: Held = { deviceId, close: () => client.close(), isOpen: () => client.socket.readyState === client.socket.OPEN, heartbeats: 0 };
    const client = await connectPeerJs(params.port, `idle-${index}`, { ...options, onHeartbeat: () => heartbeat(connection) });
    client.socket.on('close', dropped);
    return connection;
  }
  if (params.kind === 'ours-phone') {
    const phone = createBenchPhone({ url: params.url, token: tokenFor(params, index), deviceId });
    const connection: Held = { deviceId, close: () => void phone.stop(), isOpen: () => phone.snapshot().connection.status === 'online', heartbeats: 0 };
    const missed = new Set<string>();
    missedByDevice.set(deviceId, missed);
    phone.on('missed', (calls) => calls.forEach((call) => missed.add(call.callId)));
    // open() counts the first connect; this counts every drop and every later reconnect.
    let online = false;
    let first = true;
    phone.on('connection', (state) => {
      if (state.status === 'online' && !online) {
        online = true;
        if (!first) stats.open++;
        first = false;
        registered(deviceId);
      } else if (state.status !== 'online' && online) {
        online = false;
        dropped();
      }
    });
    await startOnline(phone);
    return connection;
  }
  const socket = await connectOurs(params.url, tokenFor(params, index), deviceId, { ...options, reconnect: params.reconnect ?? false });
  const connection: Held = { deviceId, close: () => socket.close(), isOpen: () => socket.connected, heartbeats: 0 };
  registered(deviceId);
  socket.on('session:ready', () => registered(deviceId));
  socket.io.on('ping', () => heartbeat(connection));
  socket.io.on('reconnect_error', reconnectFailed);
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
  /** ours-phone: callIds of the missed calls each device received. */
  missed: () => Object.fromEntries([...missedByDevice].map(([deviceId, calls]) => [deviceId, [...calls]])),
  closeAll: () => {
    for (const connection of held.splice(0)) connection.close();
    return currentStats();
  },
});
