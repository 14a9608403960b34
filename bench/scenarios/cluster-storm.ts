import type { Cluster } from '../../test/support/infra';
import { connectOurs } from '../clients/our-protocol-client';
import { requestOk } from '../lib/protocol-calls';
import type { ClusterResults } from '../lib/results';
import { HolderPool } from './holder-pool';
import { registerUsers } from './user-pool';

export interface ClusterStormConfig {
  clients: number;
  users: number;
  holders: number;
  /** Users with exactly one device among the clients; each gets one call right after the kill. */
  missedCallees: number;
}

const STORM_TIMEOUT_MS = 180_000;

/**
 * PhoneCores connected through HAProxy, then kill -9 of one node (the one holding the most of them): time
 * from the kill until every client is online again (PhoneCore's backoff, HAProxy's retry and health check),
 * and the missed calls placed right after the kill (from a caller on a surviving node) to callees whose only
 * device may be among those reconnecting: each must reach its callee.
 */
export async function runClusterStorm(cluster: Cluster, config: ClusterStormConfig, singleAllBackMs: number | undefined, log: (line: string) => void): Promise<ClusterResults['storm']> {
  const pool = new HolderPool(config.holders);
  try {
    await pool.ready();
    const [caller] = await registerUsers(cluster.url, 'cl-storm-caller', 1);
    const callees = await registerUsers(cluster.url, 'cl-storm-callee', config.missedCallees);
    const users = await registerUsers(cluster.url, 'cl-storm-user', config.users);
    if (!caller) throw new Error('no caller');
    const tokens = Array.from({ length: config.clients }, (_, i) => (i < callees.length ? callees[i] : users[i % users.length])?.token ?? '');
    const connectStarted = Date.now();
    const opened = await pool.add(config.clients, { kind: 'ours-phone', url: cluster.url, port: cluster.haproxy.port, concurrency: 50, tokens }, false);
    log(`  cluster storm: ${opened.opened} clients connected through HAProxy in ${Date.now() - connectStarted} ms (${opened.failed} failed)`);
    const servers = await cluster.haproxy.servers();
    const [victim] = Object.entries(servers).sort(([, a], [, b]) => b.sessions - a.sessions);
    if (!victim) throw new Error('no node to kill');
    const victimNode = cluster.node(victim[0]);
    const survivor = cluster.nodes.find((node) => node !== victimNode)!;
    const socket = await connectOurs(survivor.url, caller.token, 'cl-storm-caller-device');
    await pool.each('markRestart');
    const killedAt = Date.now();
    await victimNode.kill9();
    const recorded: Array<{ callId: string; device: string }> = [];
    let unavailable = 0;
    for (const [i, callee] of callees.entries()) {
      const invited = await requestOk(socket, 'call:invite', { to: callee.username, media: 'audio' });
      if (invited.status === 'ringing') await requestOk(socket, 'call:cancel', { callId: invited.callId });
      else unavailable += 1;
      recorded.push({ callId: invited.callId, device: `bench-device-${i}` });
    }
    let stats = await pool.stats();
    while (stats.open < stats.opened && Date.now() - killedAt < STORM_TIMEOUT_MS) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      stats = await pool.stats();
    }
    const allBackMs = stats.open >= stats.opened ? stats.lastRegistrationAt - killedAt : Number.NaN;
    socket.close();
    let lost = recorded.length;
    for (let attempt = 0; attempt < 50 && lost > 0; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const maps = await Promise.all(pool.list().map((holder) => holder.call<Record<string, string[]>>('missed')));
      const delivered = Object.assign({}, ...maps) as Record<string, string[]>;
      lost = recorded.filter((call) => !delivered[call.device]?.includes(call.callId)).length;
    }
    log(`  cluster storm: killed ${victimNode.name} (${victim[1].sessions} connections); ${stats.reRegistered} reconnected, all ${stats.open} online ${allBackMs} ms after the kill; missed calls ${recorded.length} placed (${unavailable} found the callee reconnecting), ${lost} lost`);
    await victimNode.start();
    return {
      clients: opened.opened,
      killedNode: victimNode.name,
      displaced: victim[1].sessions,
      reRegistered: stats.reRegistered,
      allBackMs,
      singleAllBackMs: singleAllBackMs ?? Number.NaN,
      missedCalls: { recorded: recorded.length, lost, calleeReconnecting: unavailable },
    };
  } finally {
    await pool.each('closeAll').catch(() => undefined);
    await pool.stop();
  }
}
