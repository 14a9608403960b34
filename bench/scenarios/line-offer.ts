import { buildServer } from '../../scripts/build-server.mjs';
import type { AgentStatus, CreateLineRequest, Line } from '../../shared/protocol';
import { connectOurs, type OurSocket } from '../clients/our-protocol-client';
import { requestOk } from '../lib/protocol-calls';
import type { LineOfferResults } from '../lib/results';
import { summarize } from '../lib/stats';
import { startOurServer } from './our-server';
import { registerUsers, type BenchUser } from './user-pool';

/**
 * Benchmark 10: a caller's invite to a service line → the first agent device's `call:incoming`, with every
 * agent of the line connected and available, for each routing strategy; the baseline is a direct call
 * (invite → the callee's `call:incoming`) on the same server in the same run. The three kinds take turns in
 * a rotating order; every call is cancelled, and the next starts only once every offered agent is available
 * again (its `agent:status` has no offer), so each sample meets the whole line idle.
 */

export interface LineOfferConfig {
  agents: number;
  samples: number;
  warmup: number;
}

type Kind = 'direct' | 'ring-all' | 'longest-idle';
const KINDS: Kind[] = ['direct', 'ring-all', 'longest-idle'];
const ADMIN_PREFIX = 'lo-admin';
const ADMIN = `${ADMIN_PREFIX}-00000`; // registerUsers' naming

/** What every agent and callee socket saw, by call id: when its first `call:incoming` came, who got it, who heard the end. */
class Observer {
  readonly firstIncoming = new Map<string, number>();
  readonly offered = new Map<string, Set<OurSocket>>();
  readonly ended = new Map<string, Set<OurSocket>>();
  readonly status = new Map<OurSocket, AgentStatus>();
  private wake: (() => void) | null = null;

  watch(socket: OurSocket): void {
    socket.on('call:incoming', ({ callId }) => {
      if (!this.firstIncoming.has(callId)) this.firstIncoming.set(callId, performance.now());
      this.add(this.offered, callId, socket);
    });
    socket.on('call:ended', ({ callId }) => this.add(this.ended, callId, socket));
    socket.on('agent:status', (status) => {
      this.status.set(socket, status);
      this.poke();
    });
  }

  private add(map: Map<string, Set<OurSocket>>, callId: string, socket: OurSocket): void {
    const set = map.get(callId) ?? new Set<OurSocket>();
    set.add(socket);
    map.set(callId, set);
    this.poke();
  }

  private poke(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /** Resolves once `done()` holds (checked after every event), or rejects after `timeoutMs`. */
  async until(what: string, done: () => boolean, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`line-offer: timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, 50);
      });
    }
  }

  /** All `expected` devices offered this call heard its end, and (agents) are free of any offer again. */
  settled(callId: string, expected: number, agents: boolean): boolean {
    const offered = this.offered.get(callId) ?? new Set();
    const ended = this.ended.get(callId) ?? new Set();
    return offered.size >= expected && [...offered].every((socket) => ended.has(socket) && (!agents || (this.status.get(socket)?.offer ?? null) === null));
  }
}

async function adminRequest(url: string, token: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}

/** The two lines (one per strategy), each with every agent as a member; no wrap-up (no call is ever answered). */
async function createLines(url: string, admin: BenchUser, agents: BenchUser[]): Promise<void> {
  for (const strategy of ['ring-all', 'longest-idle'] as const) {
    const request: CreateLineRequest = { name: `bench-${strategy}`, displayName: `Bench ${strategy}`, strategy, wrapUp: { mode: 'none', timeMs: 30_000 } };
    const { line } = (await adminRequest(url, admin.token, 'POST', '/api/lines', request)) as { line: Line };
    for (let i = 0; i < agents.length; i += 10) {
      await Promise.all(agents.slice(i, i + 10).map((agent) => adminRequest(url, admin.token, 'PUT', `/api/lines/${line.lineId}/members/${agent.username}`)));
    }
  }
}

/**
 * One call: invite → the first `call:incoming` (ms), then cancel and wait until all `expected` devices (ring-all:
 * every agent; longest-idle: one; direct: the callee) were offered it, heard its end and are free again.
 */
async function sample(caller: OurSocket, observer: Observer, to: string, expected: number, agents: boolean): Promise<number> {
  const started = performance.now();
  const invited = await requestOk(caller, 'call:invite', { to, media: 'audio' });
  await observer.until(`call:incoming of ${to}`, () => observer.firstIncoming.has(invited.callId));
  const ms = (observer.firstIncoming.get(invited.callId) ?? Number.NaN) - started;
  await requestOk(caller, 'call:cancel', { callId: invited.callId });
  await observer.until(`the end of ${to}'s offers`, () => observer.settled(invited.callId, expected, agents));
  return ms;
}

export async function runLineOffer(config: LineOfferConfig, log: (line: string) => void): Promise<LineOfferResults> {
  // The compiled bundle, as production (npm run serve) and the throughput benchmark run it.
  const ours = await startOurServer({ ADMIN_USERS: ADMIN }, { main: (await buildServer()).outfile });
  const sockets: OurSocket[] = [];
  try {
    const setupStarted = Date.now();
    const [[admin], [caller, callee], agents] = await Promise.all([registerUsers(ours.url, ADMIN_PREFIX, 1, 1), registerUsers(ours.url, 'lo-party', 2, 1), registerUsers(ours.url, 'lo-agent', config.agents)]);
    if (!admin || !caller || !callee) throw new Error('line-offer users missing');
    await createLines(ours.url, admin, agents);
    // A fresh process for the measurements: argon2's hashing leaves native memory and threads behind.
    await ours.restart({ graceful: true });
    const observer = new Observer();
    for (let i = 0; i < agents.length; i += 20) {
      const batch = await Promise.all(agents.slice(i, i + 20).map((agent, j) => connectOurs(ours.url, agent.token, `lo-agent-device-${i + j}`)));
      batch.forEach((socket) => observer.watch(socket));
      sockets.push(...batch);
    }
    const callerSocket = await connectOurs(ours.url, caller.token, 'lo-caller-device');
    const calleeSocket = await connectOurs(ours.url, callee.token, 'lo-callee-device');
    sockets.push(callerSocket, calleeSocket);
    observer.watch(calleeSocket);
    log(`  ${config.agents} agents on two lines, connected (set-up ${((Date.now() - setupStarted) / 1000).toFixed(0)} s)`);

    const times: Record<Kind, number[]> = { direct: [], 'ring-all': [], 'longest-idle': [] };
    for (let i = 0; i < config.warmup + config.samples; i++) {
      for (let k = 0; k < KINDS.length; k++) {
        const kind = KINDS[(i + k) % KINDS.length] ?? 'direct';
        const expected = kind === 'ring-all' ? config.agents : 1;
        const ms = await sample(callerSocket, observer, kind === 'direct' ? callee.username : `bench-${kind}`, expected, kind !== 'direct');
        if (i >= config.warmup) times[kind].push(ms);
      }
    }
    const direct = summarize(times.direct);
    const strategies = (['ring-all', 'longest-idle'] as const).map((strategy) => {
      const line = summarize(times[strategy]);
      return { strategy, line, p50Ratio: line.p50 / direct.p50, p99Ratio: line.p99 / direct.p99 };
    });
    for (const s of strategies) log(`  ${s.strategy}: p50 ${s.line.p50.toFixed(2)} ms (${s.p50Ratio.toFixed(2)}× direct ${direct.p50.toFixed(2)} ms), p99 ${s.line.p99.toFixed(2)} ms (${s.p99Ratio.toFixed(2)}×)`);
    return { agents: config.agents, direct, strategies };
  } finally {
    sockets.forEach((socket) => socket.close());
    await ours.stop();
  }
}
