/**
 * A load-generating process for the call-cycle throughput benchmark. It holds caller/callee pairs and
 * loops each pair as fast as it can through the six messages of an answered call:
 *   caller → invite, callee ← incoming, callee → accept, caller ← accepted, caller → hangup, callee ← ended.
 * Ours speaks the wire protocol with bare authenticated sockets (each request acknowledged by the server);
 * the bare relay forwards the same three messages, sized like our events, with no acknowledgement.
 */
import type { Socket } from 'socket.io-client';
import { connectBareRelay } from '../clients/baseline-clients';
import { connectOurs, type OurSocket } from '../clients/our-protocol-client';
import { ACCEPTED_SIZED_PAYLOAD, ENDED_SIZED_PAYLOAD, INVITE_SIZED_PAYLOAD } from '../lib/payloads';
import { requestOk } from '../lib/protocol-calls';
import { serveRpc } from '../lib/worker-rpc';

export interface CyclePairUser {
  token: string;
  deviceId: string;
  username: string;
}

export type CycleOpenParams = { kind: 'bare'; url: string; pairs: number; tag: string } | { kind: 'ours'; url: string; pairs: { caller: CyclePairUser; callee: CyclePairUser }[] };

export interface CycleRunParams {
  kind: 'bare' | 'ours';
  warmupMs: number;
  durationMs: number;
}

export interface CycleRunResult {
  /** Cycles completed inside the measured window. */
  cycles: number;
  windowMs: number;
  errors: number;
  firstError: string | null;
}

/** One pair: `cycle()` runs the six messages once and resolves when the callee has `ended`. */
interface CyclePair {
  cycle(): Promise<void>;
  close(): void;
}

const CYCLE_TIMEOUT_MS = 10_000;

/** Resolves with the next `event` whose payload has this callId (listeners are set before the request is sent). */
function waitFor<T extends { callId: string }>(socket: OurSocket, event: 'call:incoming' | 'call:accepted' | 'call:ended', match: (payload: T) => boolean): Promise<T> {
  return new Promise((resolve, reject) => {
    const on = socket.on.bind(socket) as (event: string, listener: (payload: T) => void) => void;
    const off = socket.off.bind(socket) as (event: string, listener: (payload: T) => void) => void;
    const timer = setTimeout(() => {
      off(event, listener);
      reject(new Error(`${event}: not received within ${CYCLE_TIMEOUT_MS} ms`));
    }, CYCLE_TIMEOUT_MS);
    const listener = (payload: T) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      off(event, listener);
      resolve(payload);
    };
    on(event, listener);
  });
}

async function openOurPair(url: string, caller: CyclePairUser, callee: CyclePairUser): Promise<CyclePair> {
  const [a, b] = await Promise.all([connectOurs(url, caller.token, caller.deviceId), connectOurs(url, callee.token, callee.deviceId)]);
  return {
    async cycle() {
      // The callee's incoming may arrive before the caller's acknowledgement: listen first.
      const incoming = waitFor<{ callId: string; from: { username: string } }>(b, 'call:incoming', (call) => call.from.username === caller.username);
      const { callId } = await requestOk(a, 'call:invite', { to: callee.username, media: 'audio' });
      await incoming;
      const accepted = waitFor(a, 'call:accepted', (event) => event.callId === callId);
      await requestOk(b, 'call:accept', { callId });
      await accepted;
      const ended = waitFor(b, 'call:ended', (event) => event.callId === callId);
      await requestOk(a, 'call:hangup', { callId });
      await ended;
    },
    close() {
      a.close();
      b.close();
    },
  };
}

async function openBarePair(url: string, name: string): Promise<CyclePair> {
  const [a, b] = await Promise.all([connectBareRelay(url, `${name}-caller`), connectBareRelay(url, `${name}-callee`)]);
  const next = (socket: Socket) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`relay: not received within ${CYCLE_TIMEOUT_MS} ms`)), CYCLE_TIMEOUT_MS);
      socket.once('relay', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  return {
    async cycle() {
      const incoming = next(b);
      a.emit('relay', { to: `${name}-callee`, payload: INVITE_SIZED_PAYLOAD });
      await incoming;
      const accepted = next(a);
      b.emit('relay', { to: `${name}-caller`, payload: ACCEPTED_SIZED_PAYLOAD });
      await accepted;
      const ended = next(b);
      a.emit('relay', { to: `${name}-callee`, payload: ENDED_SIZED_PAYLOAD });
      await ended;
    },
    close() {
      a.close();
      b.close();
    },
  };
}

const pairsOf: Record<'bare' | 'ours', CyclePair[]> = { bare: [], ours: [] };

async function open(params: CycleOpenParams): Promise<number> {
  pairsOf[params.kind] =
    params.kind === 'bare'
      ? await Promise.all(Array.from({ length: params.pairs }, (_, i) => openBarePair(params.url, `${params.tag}-${i}`)))
      : await Promise.all(params.pairs.map(({ caller, callee }) => openOurPair(params.url, caller, callee)));
  return pairsOf[params.kind].length;
}

/** Every pair loops until the window ends; only cycles that finish inside the window count. */
async function run({ kind, warmupMs, durationMs }: CycleRunParams): Promise<CycleRunResult> {
  const pairs = pairsOf[kind];
  const started = Date.now();
  const windowStart = started + warmupMs;
  const windowEnd = windowStart + durationMs;
  let cycles = 0;
  let errors = 0;
  let firstError: string | null = null;
  await Promise.all(
    pairs.map(async (pair) => {
      while (Date.now() < windowEnd) {
        try {
          await pair.cycle();
          const now = Date.now();
          if (now >= windowStart && now <= windowEnd) cycles++;
        } catch (error) {
          errors++;
          firstError ??= error instanceof Error ? error.message : String(error);
        }
      }
    }),
  );
  return { cycles, windowMs: durationMs, errors, firstError };
}

function close(kind: 'bare' | 'ours'): void {
  for (const pair of pairsOf[kind]) pair.close();
  pairsOf[kind] = [];
}

serveRpc({ open, run, close });
