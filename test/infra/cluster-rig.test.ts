import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leftovers, SERVED_BY_HEADER, signallingNode, startCluster, type Cluster } from '../support/infra';
import { isAlive, portIsFree, processTree } from './support/leftovers';
import { openTunnel, type Tunnel } from './support/tunnel';

/**
 * The cluster rig: Postgres + Redis + three signalling nodes (today's single profile, each with its own
 * DATA_DIR) + HAProxy rendered from deploy/'s template. Proves the front's routing, health checks, failover,
 * restart and drain against real processes, and that stop() leaves nothing behind.
 */

const DRAIN_MS = 3_000;
let cluster: Cluster;
const tunnels: Tunnel[] = [];

/** `count` GETs of /healthz through the front: the node that served each, and every status seen. */
async function spread(count: number): Promise<{ nodes: string[]; statuses: number[] }> {
  const nodes: string[] = [];
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${cluster.url}/healthz`);
    await response.body?.cancel();
    statuses.push(response.status);
    nodes.push(response.headers.get(SERVED_BY_HEADER) ?? '(none)');
  }
  return { nodes, statuses };
}

const sessionsPerNode = async () => Object.fromEntries(Object.entries(await cluster.haproxy.servers()).map(([name, server]) => [name, server.sessions]));

beforeAll(async () => {
  cluster = await startCluster({ nodes: 3, node: await signallingNode({ DRAIN_MS: String(DRAIN_MS) }) });
}, 120_000);

afterAll(async () => {
  for (const tunnel of tunnels) tunnel.close();
  await cluster?.stop();
}, 60_000);

describe('cluster rig', () => {
  it('starts Redis, Postgres, three nodes and the front, all on 127.0.0.1; requests through the front reach every node', async () => {
    expect(cluster.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(cluster.redis && (await cluster.redis.ping())).toBe('+PONG');
    expect(cluster.postgres?.url).toMatch(/^postgresql:\/\/postgres@127\.0\.0\.1:\d+\/softphone_test$/);
    expect(Object.values(await cluster.haproxy.servers()).map((server) => server.status)).toEqual(['UP', 'UP', 'UP']);
    const { nodes, statuses } = await spread(9);
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(new Set(nodes)).toEqual(new Set(['n1', 'n2', 'n3']));
  });

  it('the front passes WebSockets and refuses long-polling, which a node alone would accept', async () => {
    const polling = '/socket.io/?EIO=4&transport=polling';
    const atFront = await fetch(`${cluster.url}${polling}`);
    expect(atFront.status).toBe(400);
    const atNode = await fetch(`${cluster.node('n1').url}${polling}`);
    expect(atNode.status).toBe(200);
    await Promise.all([atFront.body?.cancel(), atNode.body?.cancel()]);
    const tunnel = await openTunnel(cluster.url);
    expect(tunnel.sid).toMatch(/\S{10,}/);
    tunnel.close();
    await tunnel.closed;
  });

  it('long-lived connections spread evenly: six WebSockets through the front, two per node', async () => {
    for (let i = 0; i < 6; i++) tunnels.push(await openTunnel(cluster.url));
    expect(await sessionsPerNode()).toEqual({ n1: 2, n2: 2, n3: 2 });
  });

  it('kill -9 of a node: requests keep succeeding (retried on another node), HAProxy marks it DOWN, only its connections close', async () => {
    const n2 = cluster.node('n2');
    await n2.kill9();
    // Before the health check notices, a request sent to n2 is refused and redispatched.
    const rightAfter = await spread(6);
    expect(rightAfter.statuses.filter((status) => status !== 200)).toEqual([]);
    expect(rightAfter.nodes).not.toContain('n2');
    await cluster.haproxy.waitFor('n2', 'DOWN');
    await Promise.race([Promise.all(tunnels.map((tunnel) => tunnel.closed.then(() => undefined))), new Promise((resolve) => setTimeout(resolve, 1_000))]);
    expect(tunnels.filter((tunnel) => tunnel.open())).toHaveLength(4);
    const afterDown = await spread(12);
    expect(afterDown.statuses.filter((status) => status !== 200)).toEqual([]);
    expect(new Set(afterDown.nodes)).toEqual(new Set(['n1', 'n3']));
  });

  it('a restarted node is marked UP again and takes traffic', async () => {
    const n2 = cluster.node('n2');
    await n2.start();
    await cluster.haproxy.waitFor('n2', 'UP');
    expect((await spread(9)).nodes).toContain('n2');
  });

  it('SIGTERM drains: /healthz answers 503 while the node still serves, HAProxy takes it out before its connections close, then it exits 0', async () => {
    const n3 = cluster.node('n3');
    const direct = await openTunnel(n3.url);
    const stopping = n3.stop();
    await expect.poll(async () => (await fetch(`${n3.url}/healthz`)).status, { timeout: 2_000, interval: 50 }).toBe(503);
    // Everything else is still served during the drain: the API answers, new and existing sockets stay up.
    const login = await fetch(`${n3.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username":"nobody","password":"x"}' });
    expect(login.status).toBe(401);
    await cluster.haproxy.waitFor('n3', 'DOWN', DRAIN_MS);
    expect(n3.running()).toBe(true);
    expect(direct.open()).toBe(true);
    expect((await openTunnel(n3.url)).open()).toBe(true);
    expect((await spread(6)).nodes).not.toContain('n3');
    await stopping;
    expect(await n3.exited()).toEqual({ code: 0, signal: null });
    await direct.closed;
    expect(n3.logs()).toContain('"event":"draining"');
  }, 30_000);

  it('the front itself: kill -9 takes the address down, restart() brings it back on the same port with every node UP', async () => {
    const before = cluster.haproxy.pid();
    await cluster.haproxy.kill9();
    await expect(fetch(`${cluster.url}/healthz`)).rejects.toThrow();
    await cluster.haproxy.restart();
    expect(cluster.haproxy.pid()).not.toBe(before);
    await Promise.all(['n1', 'n2'].map((node) => cluster.haproxy.waitFor(node, 'UP')));
    expect((await spread(4)).statuses).toEqual([200, 200, 200, 200]);
  });

  it('stop() ends every process (children included), removes every folder and frees every port', async () => {
    const pids = [
      ...cluster.nodes.filter((node) => node.running()).map((node) => node.pid()),
      cluster.haproxy.pid(),
      cluster.redis?.pid() ?? -1,
      cluster.postgres?.pid() ?? -1,
    ].flatMap(processTree);
    const dirs = [...cluster.nodes.map((node) => node.dir), cluster.redis?.dir ?? '', cluster.postgres?.dataDir ?? ''];
    const ports = [...cluster.nodes.map((node) => node.port), cluster.haproxy.port, cluster.redis?.port ?? 0, cluster.postgres?.port ?? 0];
    expect(pids.length).toBeGreaterThan(8);
    await cluster.stop();
    expect(pids.filter(isAlive)).toEqual([]);
    expect(dirs.filter((dir) => existsSync(dir))).toEqual([]);
    expect((await Promise.all(ports.map(portIsFree))).every(Boolean)).toBe(true);
    expect(leftovers()).toEqual({ processes: [], dirs: [] });
  }, 60_000);
});
