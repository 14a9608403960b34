import { fileURLToPath } from 'node:url';
import { spawnWorker, type WorkerHandle } from '../lib/worker-rpc';
import type { HolderStats, OpenParams } from '../workers/connection-holder';

const HOLDER = fileURLToPath(new URL('../workers/connection-holder.ts', import.meta.url));

/** Several connection-holder processes, each bound to its own 127.0.0.x source address. */
export class HolderPool {
  private readonly holders: WorkerHandle[];
  private total = 0;

  constructor(size: number) {
    this.holders = Array.from({ length: size }, () => spawnWorker(HOLDER));
  }

  get held(): number {
    return this.total;
  }

  async ready(): Promise<void> {
    await Promise.all(this.holders.map((holder) => holder.ready));
  }

  /**
   * Opens `count` more connections, spread evenly over the holders; with `bindSource` each holder binds
   * its own 127.0.0.x source address (spreads ephemeral ports over 10k connections).
   */
  async add(count: number, base: Omit<OpenParams, 'firstIndex' | 'count' | 'localAddress'>, bindSource = true): Promise<HolderStats> {
    const share = Math.ceil(count / this.holders.length);
    const calls = this.holders.map((holder, i) => {
      const n = Math.max(0, Math.min(share, count - i * share));
      const params: OpenParams = { ...base, firstIndex: this.total + i * share, count: n, ...(bindSource ? { localAddress: `127.0.0.${10 + i}` } : {}) };
      return n > 0 ? holder.call<HolderStats>('open', params, 10 * 60_000) : holder.call<HolderStats>('stats');
    });
    const results = await Promise.all(calls);
    this.total += count;
    return sumStats(results);
  }

  list(): readonly WorkerHandle[] {
    return this.holders;
  }

  async stats(): Promise<HolderStats> {
    return sumStats(await Promise.all(this.holders.map((holder) => holder.call<HolderStats>('stats'))));
  }

  async each(method: 'resetCounters' | 'markRestart' | 'closeAll'): Promise<HolderStats> {
    return sumStats(await Promise.all(this.holders.map((holder) => holder.call<HolderStats>(method))));
  }

  async stop(): Promise<void> {
    await Promise.all(this.holders.map((holder) => holder.stop()));
  }
}

export function sumStats(all: HolderStats[]): HolderStats {
  return all.reduce<HolderStats>(
    (sum, s) => ({
      open: sum.open + s.open,
      opened: sum.opened + s.opened,
      failed: sum.failed + s.failed,
      firstError: sum.firstError ?? s.firstError,
      disconnects: sum.disconnects + s.disconnects,
      heartbeats: sum.heartbeats + s.heartbeats,
      minHeartbeats: sum.minHeartbeats < 0 ? s.minHeartbeats : s.minHeartbeats < 0 ? sum.minHeartbeats : Math.min(sum.minHeartbeats, s.minHeartbeats),
      registrations: sum.registrations + s.registrations,
      lastRegistrationAt: Math.max(sum.lastRegistrationAt, s.lastRegistrationAt),
      reRegistered: sum.reRegistered + s.reRegistered,
      reconnectErrors: Object.fromEntries(
        [...new Set([...Object.keys(sum.reconnectErrors), ...Object.keys(s.reconnectErrors)])].map((k) => [k, (sum.reconnectErrors[k] ?? 0) + (s.reconnectErrors[k] ?? 0)]),
      ),
    }),
    { open: 0, opened: 0, failed: 0, firstError: null, disconnects: 0, heartbeats: 0, minHeartbeats: -1, registrations: 0, lastRegistrationAt: 0, reRegistered: 0, reconnectErrors: {} },
  );
}
