import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { SIGNAL_BUFFER_LIMIT } from '../../../shared/protocol';
import { deviceKey, type LiveCall } from '../calls/live-call';
import type { RelayedSignal, ResumeState, SignalBody } from '../calls/resume-state';
import { storageUnavailable } from '../db/storage-failure';
import type { Logger } from '../logger';

/** How long the resume state outlives its last write beyond the grace (a call whose end no node saw leaves nothing behind). */
const TTL_SLACK_MS = 5 * 60_000;

/** `resume:<callId>:away`: deviceKey → when it was last heard from (ms). */
const awayKey = (callId: string) => `resume:${callId}:away`;
/** `resume:<callId>:box:<deviceKey>`: the device's numbering (`stream`, `next`). */
const boxKey = (callId: string, key: string) => `resume:${callId}:box:${key}`;
/** `resume:<callId>:unacked:<deviceKey>`: its unacknowledged signals, scored by seq, members `<seq>:<body json>`. */
const unackedKey = (callId: string, key: string) => `resume:${callId}:unacked:${key}`;

/** KEYS: box, unacked, away. ARGV: a new stream id, body, limit, ttl, field. Returns seq, stream, away (0/1), dropped. */
const ENQUEUE = `
redis.call('HSETNX', KEYS[1], 'stream', ARGV[1])
local seq = redis.call('HINCRBY', KEYS[1], 'next', 1)
local stream = redis.call('HGET', KEYS[1], 'stream')
redis.call('ZADD', KEYS[2], seq, seq .. ':' .. ARGV[2])
local over = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[3])
if over > 0 then redis.call('ZREMRANGEBYRANK', KEYS[2], 0, over - 1) else over = 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return {seq, stream, redis.call('HEXISTS', KEYS[3], ARGV[5]), over}`;

/** KEYS: away, box, unacked. ARGV: field, value, ttl, only-if-absent (1/0). The device's outbox lives at least as long. */
const MARK_AWAY = `
if ARGV[4] == '1' then redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) else redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
redis.call('PEXPIRE', KEYS[3], ARGV[3])
return 1`;

/** KEYS: away, box, unacked. ARGV: field. One step, so a signal is either kept for this resume or sent live after it. */
const RESUME = `
local was = redis.call('HDEL', KEYS[1], ARGV[1])
return {was, redis.call('HGET', KEYS[2], 'stream') or '', redis.call('ZRANGE', KEYS[3], 0, -1)}`;

/**
 * The cluster profile's resume state (see calls/resume-state.ts), in Redis: the away devices of a call and
 * each receiving device's outbox, every key with a TTL of the resume grace plus TTL_SLACK_MS, refreshed by
 * each write. Any node numbers a signal (one script: the next seq of the device, kept until acknowledged,
 * and whether the device is away); the node a device comes back to takes, in one script, the away mark off
 * and the unacknowledged signals, and sends them before anything newer can reach the device.
 */
export class RedisResumeState implements ResumeState {
  private readonly ttlMs: number;

  constructor(
    private readonly redis: Redis,
    resumeGraceMs: number,
    private readonly logger: Logger,
  ) {
    this.ttlMs = resumeGraceMs + TTL_SLACK_MS;
  }

  async markAway(call: LiveCall, key: string, lastSeenAt: number): Promise<void> {
    call.disconnected.add(key);
    call.lastSeen.set(key, lastSeenAt);
    await this.redis.eval(MARK_AWAY, 3, awayKey(call.callId), boxKey(call.callId, key), unackedKey(call.callId, key), key, String(lastSeenAt), this.ttlMs, '0');
  }

  async holdForResume(call: LiveCall, key: string): Promise<void> {
    await unavailableWhileDown(this.redis.eval(MARK_AWAY, 3, awayKey(call.callId), boxKey(call.callId, key), unackedKey(call.callId, key), key, String(Date.now()), this.ttlMs, '1'));
  }

  async resume(call: LiveCall, key: string): Promise<{ wasAway: boolean; unacked: RelayedSignal[] }> {
    const wasCached = call.disconnected.delete(key);
    call.lastSeen.delete(key);
    const [was, stream, members] = (await this.redis.eval(RESUME, 3, awayKey(call.callId), boxKey(call.callId, key), unackedKey(call.callId, key), key)) as [
      number,
      string,
      string[],
    ];
    const unacked = members.map((member) => {
      const colon = member.indexOf(':');
      return { ...(JSON.parse(member.slice(colon + 1)) as SignalBody), seq: Number(member.slice(0, colon)), stream };
    });
    return { wasAway: was === 1 || wasCached, unacked };
  }

  async load(call: LiveCall): Promise<void> {
    const away = await unavailableWhileDown(this.redis.hgetall(awayKey(call.callId)));
    call.disconnected.clear();
    call.lastSeen.clear();
    for (const [key, at] of Object.entries(away)) {
      call.disconnected.add(key);
      call.lastSeen.set(key, Number(at));
    }
  }

  async enqueue(call: LiveCall, key: string, body: SignalBody): Promise<{ signal: RelayedSignal; away: boolean; dropped: number }> {
    const reply = (await unavailableWhileDown(
      this.redis.eval(
        ENQUEUE,
        3,
        boxKey(call.callId, key),
        unackedKey(call.callId, key),
        awayKey(call.callId),
        randomUUID(),
        JSON.stringify(body),
        SIGNAL_BUFFER_LIMIT,
        this.ttlMs,
        key,
      ),
    )) as [number, string, number, number];
    const [seq, stream, away, dropped] = reply;
    return { signal: { ...body, seq, stream }, away: away === 1, dropped };
  }

  acknowledge(call: LiveCall, key: string, seq: number): void {
    this.redis
      .zremrangebyscore(unackedKey(call.callId, key), seq, seq)
      .catch((error: unknown) => this.logger.warn({ event: 'signal-ack-unstored', callId: call.callId, seq, err: (error as Error).message }, 'could not record a signal acknowledgement (it may be sent again)'));
  }

  forget(call: LiveCall): void {
    const keys = [awayKey(call.callId)];
    for (const key of [deviceKey(call.caller.userId, call.callerDeviceId), ...(call.answeredDeviceId ? [deviceKey(call.callee.userId, call.answeredDeviceId)] : [])]) {
      keys.push(boxKey(call.callId, key), unackedKey(call.callId, key));
    }
    this.redis.del(...keys).catch(() => undefined); // the TTL removes them otherwise
  }
}

/** A Redis command failing (Redis down) is the client's STORAGE_UNAVAILABLE: nothing was kept or sent, it may retry. */
async function unavailableWhileDown<T>(command: Promise<T>): Promise<T> {
  try {
    return await command;
  } catch {
    throw storageUnavailable();
  }
}
