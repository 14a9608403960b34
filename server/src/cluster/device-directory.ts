import type { Redis } from 'ioredis';
import { NODES_KEY } from './node-liveness';

/** Where each connected (user, device) has its one socket, across nodes: `dir:devices:<userId>` maps deviceId to an entry. */
export interface DirectoryEntry {
  node: string;
  socket: string;
  /** Rises with every connect of the device (`dir:gen:<userId>`): the highest one is the device's socket. */
  gen: number;
}

/** The user's connected devices, every node's (exported for scripts that must read it atomically, e.g. presence). */
export const devicesKey = (userId: string) => `dir:devices:${userId}`;
const genKey = (userId: string) => `dir:gen:${userId}`;
const nodeKey = (nodeId: string) => `dir:node:${nodeId}`;
const member = (userId: string, deviceId: string) => JSON.stringify([userId, deviceId]);

/**
 * KEYS: devices, gen, node set, the liveness list. ARGV: deviceId, node, socket, member, now, cap (0: none).
 * Returns the new generation, or, when the device is new and the user already has `cap` devices, minus that
 * count and changes nothing (the cap, checked and taken in one step, so two nodes cannot both admit the last
 * place). The node joins the liveness list if missing (Redis lost its data), so its death is noticed even if
 * it dies before its next heartbeat.
 */
const ATTACH = `
local cap = tonumber(ARGV[6])
if cap > 0 and redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then
  local connected = redis.call('HLEN', KEYS[1])
  if connected >= cap then return -connected end
end
local gen = redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode({node = ARGV[2], socket = ARGV[3], gen = gen}))
redis.call('SADD', KEYS[3], ARGV[4])
redis.call('ZADD', KEYS[4], 'NX', ARGV[5], ARGV[2])
return gen`;

/** KEYS: devices, node set. ARGV: deviceId, field to compare ('socket' or 'node'), expected value, member. 1 if the entry was removed. */
const DETACH_IF = `
redis.call('SREM', KEYS[2], ARGV[4])
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current and cjson.decode(current)[ARGV[2]] == ARGV[3] then
  redis.call('HDEL', KEYS[1], ARGV[1])
  return 1
end
return 0`;

/**
 * The cluster-wide registry of connected devices (cluster profile), in Redis: which devices of a user
 * are connected anywhere (to ring them all and count them against the device cap), and which socket
 * is a device's current one (one socket per (user, device) across nodes: a connect raises the
 * device's generation, and a socket with a lower one is dropped wherever it is). Each node also
 * lists its own entries, so when a node dies the survivor that owns the death removes exactly the
 * entries still pointing at it.
 */
export class DeviceDirectory {
  constructor(
    private readonly redis: Redis,
    private readonly nodeId: string,
  ) {}

  /** Runs `listener` each time the connection is ready again after it was lost. */
  onReconnected(listener: () => void): void {
    let lost = false;
    this.redis.on('close', () => (lost = true));
    this.redis.on('ready', () => {
      if (!lost) return;
      lost = false;
      listener();
    });
  }

  /**
   * This node's socket now stands for the device; returns its generation. With `cap`, a device not yet
   * connected anywhere is admitted only while the user has fewer than `cap` devices: otherwise nothing
   * changes and the result is minus the number connected.
   */
  async attach(userId: string, deviceId: string, socketId: string, cap = 0): Promise<number> {
    const gen = await this.redis.eval(
      ATTACH,
      4,
      devicesKey(userId),
      genKey(userId),
      nodeKey(this.nodeId),
      NODES_KEY,
      deviceId,
      this.nodeId,
      socketId,
      member(userId, deviceId),
      Date.now(),
      cap,
    );
    return Number(gen);
  }

  /** The socket is gone; the entry goes only if it is still this socket's (a newer connect elsewhere keeps its own). */
  async detach(userId: string, deviceId: string, socketId: string): Promise<boolean> {
    return (await this.redis.eval(DETACH_IF, 2, devicesKey(userId), nodeKey(this.nodeId), deviceId, 'socket', socketId, member(userId, deviceId))) === 1;
  }

  async devicesOf(userId: string): Promise<string[]> {
    return this.redis.hkeys(devicesKey(userId));
  }

  /** For each user, the nodes their connected devices are on (one pipeline). */
  async nodesOf(userIds: readonly string[]): Promise<Map<string, string[]>> {
    const pipeline = this.redis.pipeline();
    userIds.forEach((userId) => pipeline.hvals(devicesKey(userId)));
    const replies = (await pipeline.exec()) ?? [];
    return new Map(
      userIds.map((userId, index) => {
        const [error, entries] = replies[index] ?? [new Error('no reply'), null];
        if (error) throw error;
        return [userId, (entries as string[]).map((raw) => (JSON.parse(raw) as DirectoryEntry).node)];
      }),
    );
  }

  async entryOf(userId: string, deviceId: string): Promise<DirectoryEntry | null> {
    const raw = await this.redis.hget(devicesKey(userId), deviceId);
    return raw ? (JSON.parse(raw) as DirectoryEntry) : null;
  }

  /** A dead node's devices: removes the entries still pointing at it and returns those (they are offline now). */
  async sweepNode(deadNode: string): Promise<Array<{ userId: string; deviceId: string }>> {
    const members = await this.redis.smembers(nodeKey(deadNode));
    const lost: Array<{ userId: string; deviceId: string }> = [];
    for (const raw of members) {
      const [userId, deviceId] = JSON.parse(raw) as [string, string];
      const removed = await this.redis.eval(DETACH_IF, 2, devicesKey(userId), nodeKey(deadNode), deviceId, 'node', deadNode, raw);
      if (removed === 1) lost.push({ userId, deviceId });
    }
    await this.redis.del(nodeKey(deadNode));
    return lost;
  }
}
