import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProtocolError } from '../../shared/protocol';
import { inviteLimiter } from '../../server/src/calls/invite-limiter';
import { closeRedis, createRedis, redisReady } from '../../server/src/cluster/redis';
import { LoginThrottle, registrationLimiter } from '../../server/src/limits/account-limits';
import { memoryLimiters, redisLimiters } from '../../server/src/limits/rate-limiter-factory';
import { startRedis, type RedisServer } from '../support/infra';

/**
 * The cluster profile's rate limits, against a real redis-server: two "nodes" (two connections, two
 * sets of limiters, as two processes would have) share one budget; while Redis is down each falls
 * back to its own in-process budget at once; after Redis returns the shared budget is back.
 */

const logger = pino({ level: 'silent' });

async function refusal(work: Promise<unknown>): Promise<string | undefined> {
  try {
    await work;
    return undefined;
  } catch (error) {
    if (error instanceof ProtocolError) return error.code;
    throw error;
  }
}

describe('shared rate limits (RateLimiterRedis through the one factory)', () => {
  let redis: RedisServer;
  let node1: Redis;
  let node2: Redis;

  beforeAll(async () => {
    redis = await startRedis();
    node1 = createRedis(redis.url, 'limits', logger);
    node2 = createRedis(redis.url, 'limits', logger);
    await Promise.all([redisReady(node1, 5_000), redisReady(node2, 5_000)]);
  });
  afterAll(async () => {
    await Promise.all([node1, node2].filter(Boolean).map((connection) => closeRedis(connection)));
    await redis?.stop();
  });

  it('invites: a caller who spent the budget on node 1 is refused on node 2 (the per-process limiter would not)', async () => {
    const limits = { perCaller: 3, perCallee: 100, windowS: 60 };
    const onNode1 = inviteLimiter(limits, redisLimiters(node1));
    const onNode2 = inviteLimiter(limits, redisLimiters(node2));
    for (let i = 0; i < 3; i++) await onNode1.outgoing('alice');
    expect(await refusal(onNode2.outgoing('alice'))).toBe('RATE_LIMITED');
    expect(await refusal(onNode2.outgoing('bob'))).toBeUndefined();
    // The same sequence on two in-process limiters: node 2 has its own budget (what the cluster must not do).
    const local1 = inviteLimiter(limits, memoryLimiters);
    const local2 = inviteLimiter(limits, memoryLimiters);
    for (let i = 0; i < 3; i++) await local1.outgoing('alice');
    expect(await refusal(local2.outgoing('alice'))).toBeUndefined();
  });

  it('per-callee invites and registrations are shared too', async () => {
    const onNode1 = inviteLimiter({ perCaller: 100, perCallee: 2, windowS: 60 }, redisLimiters(node1));
    const onNode2 = inviteLimiter({ perCaller: 100, perCallee: 2, windowS: 60 }, redisLimiters(node2));
    await onNode1.incoming('carol');
    await onNode2.incoming('carol');
    expect(await refusal(onNode1.incoming('carol'))).toBe('RATE_LIMITED');

    const register1 = registrationLimiter(2, 3_600, redisLimiters(node1));
    const register2 = registrationLimiter(2, 3_600, redisLimiters(node2));
    await register1('10.0.0.7');
    await register2('10.0.0.7');
    expect(await refusal(register1('10.0.0.7'))).toBe('RATE_LIMITED');
  });

  it('login: failures counted on one node delay the next try on another', async () => {
    const settings = { freeFailures: 2, maxDelayS: 60, addressFailures: 100, addressWindowS: 3_600 };
    const throttle1 = new LoginThrottle(settings, redisLimiters(node1));
    const throttle2 = new LoginThrottle(settings, redisLimiters(node2));
    for (let i = 0; i < 4; i++) await throttle1.failed('dave', '10.0.0.8');
    expect(await refusal(throttle2.check('dave', '10.0.0.8'))).toBe('RATE_LIMITED');
    await throttle2.succeeded('dave', '10.0.0.8');
    expect(await refusal(throttle1.check('dave', '10.0.0.8'))).toBeUndefined();
  });

  it('the counts live in Redis under rl:<limiter>:<key>', async () => {
    await inviteLimiter({ perCaller: 5, perCallee: 5, windowS: 60 }, redisLimiters(node1)).outgoing('erin');
    expect(await node2.get('rl:invite:erin')).toBe('1');
    expect(await node2.ttl('rl:invite:erin')).toBeGreaterThan(0);
  });

  it('while Redis is down: no error and no wait, the node limits on its own budget; once Redis is back the shared budget holds again', async () => {
    const limits = { perCaller: 2, perCallee: 100, windowS: 60 };
    const onNode1 = inviteLimiter(limits, redisLimiters(node1));
    const onNode2 = inviteLimiter(limits, redisLimiters(node2));
    await redis.kill9();
    const started = Date.now();
    // Node 1 falls back to its insurance limiter: two allowed, the third refused, none an error.
    expect(await refusal(onNode1.outgoing('frank'))).toBeUndefined();
    expect(await refusal(onNode1.outgoing('frank'))).toBeUndefined();
    expect(await refusal(onNode1.outgoing('frank'))).toBe('RATE_LIMITED');
    // Node 2 has its own insurance budget meanwhile.
    expect(await refusal(onNode2.outgoing('frank'))).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(1_000); // no request waits for a Redis that is down

    await redis.restart();
    await Promise.all([redisReady(node1, 10_000), redisReady(node2, 10_000)]);
    await onNode1.outgoing('grace');
    await onNode1.outgoing('grace');
    expect(await refusal(onNode2.outgoing('grace'))).toBe('RATE_LIMITED');
    expect(await node2.get('rl:invite:grace')).toBe('3'); // the shared count, the refused try included
  }, 30_000);
});
