import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { MemorySample } from './memory-probe';

/**
 * A tiny request/response protocol over the Node IPC channel, so the benchmark can drive servers and
 * load generators that run in their own processes. One place for spawning, timeouts and teardown.
 */

interface RpcRequest {
  rpc: 'request';
  id: number;
  method: string;
  params: unknown;
}
interface RpcResponse {
  rpc: 'response';
  id: number;
  result?: unknown;
  error?: string;
}
interface RpcReady {
  rpc: 'ready';
  info: Record<string, unknown>;
}
type RpcMessage = RpcRequest | RpcResponse | RpcReady;

function isRpcMessage(value: unknown): value is RpcMessage {
  return typeof value === 'object' && value !== null && 'rpc' in value;
}

export interface WorkerHandle {
  readonly pid: number;
  readonly process: ChildProcess;
  /** Resolves with the info the worker sent when it was ready. */
  readonly ready: Promise<Record<string, unknown>>;
  call<T>(method: string, params?: unknown, timeoutMs?: number): Promise<T>;
  /** The process's memory after a full GC (answered by the preloaded memory probe). */
  memory(): Promise<MemorySample>;
  /** Asks the worker to exit (SIGTERM), then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL now. */
  kill9(): Promise<void>;
}

export interface SpawnOptions {
  env?: Record<string, string | undefined>;
  args?: string[];
  /** Extra node flags (the TypeScript loader and --expose-gc are always added). */
  execArgv?: string[];
  /** Whether the process reports readiness itself (serveRpc does). Otherwise `ready` resolves at once. */
  waitForReady?: boolean;
  readyTimeoutMs?: number;
  /** Where the child's stdout goes: inherited (default), discarded, or an open file descriptor. */
  stdout?: 'inherit' | 'ignore' | number;
}

export const MEMORY_PROBE = fileURLToPath(new URL('./memory-probe.ts', import.meta.url));

/** Forks a TypeScript module as a separate Node process with an IPC channel. */
export function spawnWorker(modulePath: string, options: SpawnOptions = {}): WorkerHandle {
  const child = fork(modulePath, options.args ?? [], {
    execArgv: ['--import', 'tsx', '--expose-gc', '--import', MEMORY_PROBE, ...(options.execArgv ?? [])],
    env: { ...process.env, ...options.env },
    stdio: ['ignore', options.stdout ?? 'inherit', typeof options.stdout === 'number' ? options.stdout : 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  let exited = false;
  const exitPromise = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const ready = new Promise<Record<string, unknown>>((resolve, reject) => {
    if (options.waitForReady === false) return resolve({});
    const timer = setTimeout(() => reject(new Error(`${modulePath}: not ready within ${options.readyTimeoutMs ?? 30_000} ms`)), options.readyTimeoutMs ?? 30_000);
    child.on('message', (message) => {
      if (isRpcMessage(message) && message.rpc === 'ready') {
        clearTimeout(timer);
        resolve(message.info);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${modulePath}: exited before ready (code ${code}, signal ${signal})`));
    });
  });
  ready.catch(() => undefined);

  child.on('message', (message) => {
    if (!isRpcMessage(message) || message.rpc !== 'response') return;
    const entry = pending.get(message.id);
    if (!entry) return;
    pending.delete(message.id);
    clearTimeout(entry.timer);
    if (message.error !== undefined) entry.reject(new Error(message.error));
    else entry.resolve(message.result);
  });
  child.once('exit', (code, signal) => {
    exited = true;
    for (const entry of pending.values()) {
      clearTimeout(entry.timer);
      entry.reject(new Error(`${modulePath}: exited (code ${code}, signal ${signal}) with a call pending`));
    }
    pending.clear();
  });

  return {
    pid: child.pid ?? -1,
    process: child,
    ready,
    call<T>(method: string, params?: unknown, timeoutMs = 120_000): Promise<T> {
      if (exited) return Promise.reject(new Error(`${modulePath}: has exited`));
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${modulePath}: ${method} timed out after ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
        const request: RpcRequest = { rpc: 'request', id, method, params };
        child.send(request);
      });
    },
    memory() {
      return this.call<MemorySample>('__memory', undefined, 30_000);
    },
    async stop(graceMs = 5_000) {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exitPromise;
      clearTimeout(timer);
    },
    async kill9() {
      if (exited) return;
      child.kill('SIGKILL');
      await exitPromise;
    },
  };
}

type Handler = (params: never) => unknown;

/** Worker side: answers requests with the handlers, announces readiness, exits when the parent goes away. */
export function serveRpc(handlers: Record<string, Handler>, readyInfo: Record<string, unknown> = {}): void {
  if (!process.send) throw new Error('serveRpc: this process has no IPC channel (start it with spawnWorker)');
  const send = process.send.bind(process);
  process.on('message', (message: unknown) => {
    if (!isRpcMessage(message) || message.rpc !== 'request' || message.method.startsWith('__')) return; // `__` = the memory probe
    const handler = handlers[message.method];
    const respond = (response: Omit<RpcResponse, 'rpc' | 'id'>) => send({ rpc: 'response', id: message.id, ...response } satisfies RpcResponse);
    if (!handler) return respond({ error: `unknown method ${message.method}` });
    Promise.resolve()
      .then(() => handler(message.params as never))
      .then(
        (result) => respond({ result }),
        (error: unknown) => respond({ error: error instanceof Error ? `${error.message}` : String(error) }),
      );
  });
  process.on('disconnect', () => process.exit(0));
  process.channel?.ref(); // the memory probe unrefs the channel; a worker lives as long as its parent
  send({ rpc: 'ready', info: readyInfo } satisfies RpcReady);
}
