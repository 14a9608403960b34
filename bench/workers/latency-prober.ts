/**
 * A load-generating process that measures one-way relay latency between two clients it holds itself
 * (so both timestamps come from one clock): send, wait until the other client has it, repeat.
 */
import { performance } from 'node:perf_hooks';
import { connectBareRelay, connectPeerJs } from '../clients/baseline-clients';
import { serveRpc } from '../lib/worker-rpc';
import { openOurRelayPair, type OurPairParams } from './our-relay-pair';
import { openOurWirePair } from './our-wire-pair';

export interface RelayPair {
  /** Sends one message and resolves when the receiving client has it. */
  roundOne(): Promise<void>;
  /** Clean-up after a round, outside the timed part (e.g. cancel the call an invite created). */
  afterRound?(): Promise<void>;
  close(): Promise<void>;
}

export type ProbeParams =
  | { kind: 'bare'; url: string; payload: unknown }
  | { kind: 'peerjs'; port: number; payload: unknown }
  | OurPairParams;

export interface ProbeResult {
  samples: number[];
  errors: number;
  firstError: string | null;
}

let pairCounter = 0;

/** Resolves when `subscribe`'s callback fires once after `send()`, or rejects after `timeoutMs`. */
export function once(subscribe: (deliver: () => void) => void, send: () => void, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not delivered within ${timeoutMs} ms`)), timeoutMs);
    subscribe(() => {
      clearTimeout(timer);
      resolve();
    });
    send();
  });
}

async function openPair(params: ProbeParams): Promise<RelayPair> {
  const tag = `probe-${process.pid}-${pairCounter++}`;
  if (params.kind === 'bare') {
    const [a, b] = await Promise.all([connectBareRelay(params.url, `${tag}-a`), connectBareRelay(params.url, `${tag}-b`)]);
    let deliver: (() => void) | undefined;
    b.on('relay', () => deliver?.());
    return {
      roundOne: () => once((d) => (deliver = d), () => a.emit('relay', { to: `${tag}-b`, payload: params.payload })),
      close: async () => {
        a.close();
        b.close();
      },
    };
  }
  if (params.kind === 'peerjs') {
    const [a, b] = await Promise.all([connectPeerJs(params.port, `${tag}-a`), connectPeerJs(params.port, `${tag}-b`)]);
    let deliver: (() => void) | undefined;
    b.socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { type: string };
      if (message.type === 'OFFER') deliver?.();
    });
    return {
      roundOne: () => once((d) => (deliver = d), () => a.send(`${tag}-b`, params.payload)),
      close: async () => {
        a.close();
        b.close();
      },
    };
  }
  return params.kind === 'ours-invite-wire' || params.kind === 'ours-signal-wire' ? openOurWirePair(params) : openOurRelayPair(params);
}

interface InterleavedParams {
  pairs: { key: string; params: ProbeParams }[];
  samples: number;
  warmup: number;
}

/** Every pair takes one round per turn, in a rotating order, so drift on the machine hits all alike. */
async function measureInterleaved({ pairs, samples, warmup }: InterleavedParams): Promise<Record<string, ProbeResult>> {
  const open: { key: string; pair: RelayPair; result: ProbeResult; consecutiveErrors: number }[] = [];
  for (const { key, params } of pairs) open.push({ key, pair: await openPair(params), result: { samples: [], errors: 0, firstError: null }, consecutiveErrors: 0 });
  const deadline = Date.now() + 15 * 60_000;
  try {
    for (let i = 0; i < warmup + samples && Date.now() < deadline; i++) {
      for (let k = 0; k < open.length; k++) {
        const entry = open[(i + k) % open.length];
        if (!entry || entry.consecutiveErrors >= 5) continue;
        const started = performance.now();
        try {
          await entry.pair.roundOne();
          if (i >= warmup) entry.result.samples.push(performance.now() - started);
          await entry.pair.afterRound?.();
          entry.consecutiveErrors = 0;
        } catch (error) {
          entry.consecutiveErrors++;
          entry.result.errors++;
          entry.result.firstError ??= error instanceof Error ? error.message : String(error);
        }
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    }
  } finally {
    for (const entry of open) await entry.pair.close();
  }
  return Object.fromEntries(open.map((entry) => [entry.key, entry.result]));
}

serveRpc({ measureInterleaved });
