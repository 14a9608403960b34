import { connectOurs, type OurSocket } from '../clients/our-protocol-client';
import { requestOk } from '../lib/protocol-calls';
import type { StormResults, StormRun } from '../lib/results';
import type { OpenParams } from '../workers/connection-holder';
import { HolderPool } from './holder-pool';
import { startOurServer } from './our-server';
import { startBareRelay, type ServerUnderTest } from './servers';
import { registerUsers } from './user-pool';

/**
 * Benchmark 4: N connected clients, kill -9 of the server, start again; time until every client is
 * registered again. For ours the clients are PhoneCores, and missed calls are recorded around the
 * outage: calls ringing when the server dies (they ring on after the restart; the caller cancels them once
 * back) and calls placed
 * right after the restart while the callees are still reconnecting. Every one must reach its callee.
 */

export interface StormConfig {
  clients: number;
  users: number;
  holders: number;
  /** Users with exactly one device in the storm who receive the missed calls. */
  missedCallees: number;
  ringingAtRestart: number;
  duringOutage: number;
}

const STORM_TIMEOUT_MS = 180_000;

async function waitUntilAllBack(pool: HolderPool, clients: number, log: (line: string) => void): Promise<{ reRegistered: number; lastAt: number }> {
  const deadline = Date.now() + STORM_TIMEOUT_MS;
  let nextLog = Date.now() + 10_000;
  for (;;) {
    const stats = await pool.stats();
    if (Date.now() > nextLog) {
      nextLog += 10_000;
      log(`    ... ${stats.reRegistered}/${clients} registered again; failed attempts: ${JSON.stringify(stats.reconnectErrors)}`);
    }
    if (stats.reRegistered >= clients || Date.now() > deadline) return { reRegistered: stats.reRegistered, lastAt: stats.lastRegistrationAt };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface StormHooks {
  beforeKill?: () => Promise<void>;
  afterRestart?: () => Promise<void>;
}

async function storm(
  server: ServerUnderTest,
  pool: HolderPool,
  params: Omit<OpenParams, 'firstIndex' | 'count' | 'localAddress'>,
  clients: number,
  hooks: StormHooks,
  log: (line: string) => void,
): Promise<StormRun> {
  const started = Date.now();
  // No source-address binding: PhoneCore's transport cannot bind one, so neither do the bare relay's clients.
  const opened = await pool.add(clients, params, false);
  const connectMs = Date.now() - started;
  log(`  ${server.label}: ${opened.opened} clients connected in ${connectMs} ms (${opened.failed} failed${opened.firstError ? `: ${opened.firstError}` : ''})`);
  await hooks.beforeKill?.();
  await pool.each('markRestart');
  const killedAt = Date.now();
  const { downMs } = await server.restart();
  await hooks.afterRestart?.();
  const back = await waitUntilAllBack(pool, opened.opened, log);
  const run: StormRun = { clients: opened.opened, connectMs, allBackMs: back.lastAt - killedAt, serverDownMs: downMs, reRegistered: back.reRegistered, failed: opened.failed };
  log(`  ${server.label}: server down ${downMs} ms; ${back.reRegistered}/${opened.opened} registered again ${run.allBackMs} ms after the kill`);
  return run;
}

async function placeMissedCall(caller: OurSocket, callee: string): Promise<{ callId: string; status: 'ringing' | 'unavailable' | 'queued' }> {
  const invited = await requestOk(caller, 'call:invite', { to: callee, media: 'audio' });
  if (invited.status === 'ringing') await requestOk(caller, 'call:cancel', { callId: invited.callId });
  return { callId: invited.callId, status: invited.status };
}

export async function runReconnectStorm(config: StormConfig, log: (line: string) => void): Promise<StormResults> {
  let bare: StormRun;
  {
    const server = await startBareRelay();
    const pool = new HolderPool(config.holders);
    try {
      await pool.ready();
      bare = await storm(server, pool, { kind: 'bare', url: server.url, port: server.port, concurrency: 50, reconnect: true }, config.clients, {}, log);
    } finally {
      await pool.each('closeAll').catch(() => undefined);
      await Promise.all([pool.stop(), server.stop()]);
    }
  }

  const server = await startOurServer();
  const pool = new HolderPool(config.holders);
  try {
    await pool.ready();
    const [caller] = await registerUsers(server.url, 'storm-caller', 1);
    const callees = await registerUsers(server.url, 'storm-callee', config.missedCallees);
    const users = await registerUsers(server.url, 'storm-user', config.users);
    if (!caller) throw new Error('no caller');
    // Connection i < missedCallees is the only device of callee i; the rest are devices of the pool users.
    const tokens = Array.from({ length: config.clients }, (_, i) => (i < callees.length ? callees[i] : users[i % users.length])?.token ?? '');
    const deviceOf = (calleeIndex: number) => `bench-device-${calleeIndex}`;
    const recorded: { callId: string; device: string }[] = [];
    const ringingAtKill: string[] = [];
    let ringingAtRestart = 0;
    let unavailableDuringOutage = 0;

    let socket = await connectOurs(server.url, caller.token, 'storm-caller-device');
    const hooks: StormHooks = {
      beforeKill: async () => {
        for (let i = 0; i < config.ringingAtRestart; i++) {
          const callee = callees[i % callees.length];
          if (!callee) continue;
          const invited = await requestOk(socket, 'call:invite', { to: callee.username, media: 'audio' });
          if (invited.status === 'ringing') {
            ringingAtRestart++;
            ringingAtKill.push(invited.callId);
          }
          recorded.push({ callId: invited.callId, device: deviceOf(i % callees.length) });
        }
        socket.close();
      },
      afterRestart: async () => {
        socket = await connectOurs(server.url, caller.token, 'storm-caller-device');
        // They survived the restart and still ring (their deadline is stored): the caller gives up on them now.
        for (const callId of ringingAtKill) await requestOk(socket, 'call:cancel', { callId });
        for (let i = 0; i < config.duringOutage; i++) {
          const calleeIndex = (config.ringingAtRestart + i) % callees.length;
          const callee = callees[calleeIndex];
          if (!callee) continue;
          const placed = await placeMissedCall(socket, callee.username);
          if (placed.status === 'unavailable') unavailableDuringOutage++;
          recorded.push({ callId: placed.callId, device: deviceOf(calleeIndex) });
        }
      },
    };
    const ours = await storm(server, pool, { kind: 'ours-phone', url: server.url, port: server.port, concurrency: 50, tokens }, config.clients, hooks, log);
    socket.close();
    // Live deliveries may trail the last registration by a moment.
    let lost = recorded.length;
    for (let attempt = 0; attempt < 50 && lost > 0; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const maps = await Promise.all(pool.list().map((holder) => holder.call<Record<string, string[]>>('missed')));
      const delivered = Object.assign({}, ...maps) as Record<string, string[]>;
      lost = recorded.filter((call) => !delivered[call.device]?.includes(call.callId)).length;
    }
    log(`  missed calls: ${recorded.length} recorded (${ringingAtRestart} ringing at the kill, ${unavailableDuringOutage} of ${config.duringOutage} placed after the restart found the callee still offline), ${lost} lost`);
    return {
      bare,
      ours,
      missedCalls: { recorded: recorded.length, delivered: recorded.length - lost, lost, ringingAtRestart, duringOutage: config.duringOutage, calleeStillOffline: unavailableDuringOutage },
    };
  } finally {
    await pool.each('closeAll').catch(() => undefined);
    await Promise.all([pool.stop(), server.stop()]);
  }
}
