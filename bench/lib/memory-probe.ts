/**
 * Preloaded (`--import`) into every process the benchmark forks, servers included, so memory is
 * measured the same way everywhere: answer the reserved `__memory` request with process.memoryUsage()
 * after a full garbage collection (and `__heapSnapshot` with a heap snapshot, for diagnosis). It does
 * nothing else and nothing at all without an IPC channel.
 */
import { setFlagsFromString, writeHeapSnapshot } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface MemorySample {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  cpuUserMs: number;
  cpuSystemMs: number;
}

function collectGarbage(): void {
  let gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
  gc();
}

export function sampleMemory(): MemorySample {
  collectGarbage();
  const usage = process.memoryUsage();
  const cpu = process.cpuUsage();
  return {
    rss: usage.rss,
    heapUsed: usage.heapUsed,
    heapTotal: usage.heapTotal,
    external: usage.external,
    arrayBuffers: usage.arrayBuffers,
    cpuUserMs: cpu.user / 1000,
    cpuSystemMs: cpu.system / 1000,
  };
}

if (process.send) {
  const send = process.send.bind(process);
  process.on('message', (message: unknown) => {
    if (typeof message !== 'object' || message === null) return;
    const request = message as { rpc?: string; id?: number; method?: string; params?: unknown };
    if (request.rpc !== 'request') return;
    if (request.method === '__memory') send({ rpc: 'response', id: request.id, result: sampleMemory() });
    // Diagnostics: a heap snapshot to the given path (for attributing memory per connection).
    if (request.method === '__heapSnapshot') send({ rpc: 'response', id: request.id, result: writeHeapSnapshot(String(request.params)) });
  });
  // A forked process lives no longer than the bench that forked it (even if the bench dies abruptly).
  process.on('disconnect', () => process.exit(0));
  // An IPC listener would keep the process alive; servers decide themselves when to exit.
  process.channel?.unref();
}
