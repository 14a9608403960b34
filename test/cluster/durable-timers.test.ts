import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../server/src/calls/call-context';
import { closeRedis, createRedis, redisReady } from '../../server/src/cluster/redis';
import { BullTimers } from '../../server/src/timers/bullmq-timers';
import type { DurableTimers } from '../../server/src/timers/durable-timers';
import { InProcessTimers } from '../../server/src/timers/in-process-timers';
import { startRedis, type RedisServer } from '../support/infra';

/**
 * The durable timers against a real redis-server: two BullTimers instances stand for two nodes (their
 * own connections, as two processes would have), and a child process stands for a node killed with
 * kill -9 after arming a timer. The in-process implementation passes the same behaviour checks.
 */

const logger = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Fired {
  node: string;
  id: string;
  dueAt: number;
  at: number;
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await sleep(20);
  }
}

let redis: RedisServer;
const connections: Redis[] = [];
const open: DurableTimers[] = [];

function connect(blocking = false): Redis {
  const connection = createRedis(redis.url, 'timers', logger, { blocking });
  connections.push(connection);
  return connection;
}

async function clusterNode(name: string, fired: Fired[], kind = 'ring'): Promise<BullTimers> {
  const commands = connect();
  await redisReady(commands, 5_000);
  const timers = new BullTimers({ commands, blocking: connect(true), logger });
  timers.handle(kind, (id, dueAt) => {
    fired.push({ node: name, id, dueAt, at: Date.now() });
  });
  open.push(timers);
  return timers;
}

beforeAll(async () => {
  redis = await startRedis();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((timers) => timers.close()));
  await Promise.all(connections.splice(0).map((connection) => closeRedis(connection)));
});
afterAll(() => redis?.stop());

describe.each([
  ['in process', async (fired: Fired[]) => {
    const timers = new InProcessTimers(systemClock, logger);
    timers.handle('ring', (id, dueAt) => void fired.push({ node: 'local', id, dueAt, at: Date.now() }));
    open.push(timers);
    return timers;
  }],
  ['BullMQ', (fired: Fired[]) => clusterNode('n1', fired)],
] as const)('timers %s: the behaviour both profiles share', (_name, make) => {
  it('fires once, at its due time, with its id and due time', async () => {
    const fired: Fired[] = [];
    const timers = await make(fired);
    const dueAt = Date.now() + 300;
    timers.schedule('ring', 'call-1', dueAt);
    await waitFor(() => fired.length > 0, 5_000);
    await sleep(300);
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatchObject({ id: 'call-1', dueAt });
    expect(fired[0]!.at).toBeGreaterThanOrEqual(dueAt - 5);
  });

  it('scheduling the same (kind, id) again replaces the pending timer', async () => {
    const fired: Fired[] = [];
    const timers = await make(fired);
    timers.schedule('ring', 'call-2', Date.now() + 200);
    const later = Date.now() + 600;
    timers.schedule('ring', 'call-2', later);
    await waitFor(() => fired.length > 0, 5_000);
    await sleep(400);
    expect(fired.map((entry) => entry.dueAt)).toEqual([later]);
  });

  it('a cancelled timer does not fire', async () => {
    const fired: Fired[] = [];
    const timers = await make(fired);
    timers.schedule('ring', 'call-3', Date.now() + 300);
    timers.schedule('ring', 'call-4', Date.now() + 400);
    timers.cancel('ring', 'call-3');
    await waitFor(() => fired.length > 0, 5_000);
    await sleep(400);
    expect(fired.map((entry) => entry.id)).toEqual(['call-4']);
  });

  it('a handler that throws (storage down, a commit not landed yet) is retried until it succeeds', async () => {
    const timers = await make([]);
    let attempts = 0;
    timers.handle('flaky', () => {
      attempts += 1;
      if (attempts < 3) throw new Error('STORAGE_UNAVAILABLE');
    });
    timers.schedule('flaky', 'flaky-1', Date.now() + 100);
    await waitFor(() => attempts >= 3, 10_000);
    await sleep(1_500);
    expect(attempts).toBe(3);
  }, 20_000);
});

describe('BullMQ timers across nodes', () => {
  it('a due time with a fraction of a millisecond (a jittered backoff) is stored in Redis, not kept in process, and fires on another node', async () => {
    const fired: Fired[] = [];
    const [n1] = await Promise.all([clusterNode('n1', fired), clusterNode('n2', fired)]);
    const dueAt = Date.now() + 300.4;
    await n1.schedule('ring', 'fraction', dueAt);
    expect(n1.unstoredCount).toBe(0);
    await n1.close(); // this node stops: the timer is in Redis for the other
    await waitFor(() => fired.length === 1, 10_000);
    expect(fired[0]).toMatchObject({ node: 'n2', id: 'fraction' });
  });

  it('a node closed right after it starts and arms a timer (its worker connection still starting) closes without an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      for (let round = 0; round < 10; round++) {
        const node = await clusterNode(`quick-${round}`, []);
        await node.schedule('ring', `quick-${round}`, Date.now() + 60_000);
        await node.close();
      }
      await sleep(200); // a rejection from a connection closed mid-start surfaces after its close
    } finally {
      process.off('unhandledRejection', record);
    }
    expect(unhandled).toEqual([]);
  });

  it('two nodes, each with the handler: a timer fires on exactly one of them, once', async () => {
    const fired: Fired[] = [];
    const [n1] = await Promise.all([clusterNode('n1', fired), clusterNode('n2', fired)]);
    for (let i = 0; i < 20; i++) n1.schedule('ring', `race-${i}`, Date.now() + 200);
    await waitFor(() => fired.length >= 20, 10_000);
    await sleep(500);
    expect(fired).toHaveLength(20);
    expect(new Set(fired.map((entry) => entry.id)).size).toBe(20);
  });

  it('two nodes arming the same deadline add one timer (one job id per kind, id and due time)', async () => {
    const fired: Fired[] = [];
    const [n1, n2] = await Promise.all([clusterNode('n1', fired), clusterNode('n2', fired)]);
    const dueAt = Date.now() + 300;
    n1.schedule('ring', 'shared', dueAt);
    n2.schedule('ring', 'shared', dueAt);
    await waitFor(() => fired.length > 0, 5_000);
    await sleep(500);
    expect(fired).toHaveLength(1);
  });

  it('a node cancels a timer another node armed', async () => {
    const fired: Fired[] = [];
    const [n1, n2] = await Promise.all([clusterNode('n1', fired), clusterNode('n2', fired)]);
    n1.schedule('ring', 'call-9', Date.now() + 400);
    await sleep(100); // n1's schedule has reached Redis
    n2.cancel('ring', 'call-9');
    await sleep(800);
    expect(fired).toEqual([]);
  });

  it('kill -9 of the node that armed the timer: another node fires it on time', async () => {
    const fired: Fired[] = [];
    await clusterNode('survivor', fired);
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'support', 'arm-timer.ts'), redis.url, 'ring', 'call-killed', '1500'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = once(child, 'exit');
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    let dueAt = 0;
    try {
      await waitFor(() => output.includes('armed'), 20_000);
      dueAt = Number(/armed (\d+)/.exec(output)?.[1]);
    } finally {
      child.kill('SIGKILL'); // in any case: a live child would run the later tests' timers
      await exited;
    }
    expect(Date.now()).toBeLessThan(dueAt); // killed before the timer was due
    await waitFor(() => fired.length > 0, 10_000);
    expect(fired).toEqual([expect.objectContaining({ node: 'survivor', id: 'call-killed', dueAt })]);
    expect(fired[0]!.at - dueAt).toBeLessThan(1_000);
    expect(output).not.toContain('fired-here');
  }, 30_000);

  it('kill -9 between the two writes of arming a timer (its job and its index entry): the timer still fires on another node', async () => {
    const fired: Fired[] = [];
    await clusterNode('survivor', fired);
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'support', 'arm-timer.ts'), redis.url, 'ring', 'call-half-armed', '300', 'die-after-first-write'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const [, signal] = (await once(child, 'exit')) as [number | null, string | null];
    expect(signal).toBe('SIGKILL');
    expect(output).toMatch(/dying after (set|evalsha|eval)/);
    await waitFor(() => fired.length > 0, 10_000);
    expect(fired).toEqual([expect.objectContaining({ node: 'survivor', id: 'call-half-armed' })]);
  }, 30_000);

  it('while Redis is down a timer is kept in process (and fires); once Redis is back it is stored there', async () => {
    const fired: Fired[] = [];
    const n1 = await clusterNode('n1', fired);
    await redis.kill9();
    try {
      n1.schedule('ring', 'outage', Date.now() + 300);
      n1.schedule('ring', 'outage-later', Date.now() + 60_000);
      await waitFor(() => fired.length > 0, 5_000);
      expect(fired.map((entry) => entry.id)).toEqual(['outage']);
      expect(n1.unstoredCount).toBe(2);
    } finally {
      await redis.restart();
    }
    await waitFor(() => n1.unstoredCount === 0, 10_000);
    const check = connect();
    await redisReady(check, 5_000);
    expect(await check.exists('timers:armed:ring:outage-later')).toBe(1);
  }, 30_000);
});
