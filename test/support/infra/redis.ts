import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort } from '../server';
import { launch, makeTempDir, readLog, removeTempDir, waitUntil, type ManagedProcess } from './managed-process';

/** A real redis-server (Debian's) on 127.0.0.1, in a temporary folder of its own. */
export interface RedisServer {
  /** redis://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  /** Its --dir: the AOF or RDB files live here and survive restart(). */
  readonly dir: string;
  /** Process id of the current run. */
  pid(): number;
  running(): boolean;
  /** Sends PING over a fresh connection; resolves with the reply line ('+PONG'). */
  ping(): Promise<string>;
  /** Stop (SIGTERM: redis flushes the AOF) unless already down, then start again on the same port and --dir. */
  restart(options?: { appendonly?: boolean }): Promise<void>;
  /** kill -9: no flush, no goodbye to clients. Start it again with restart(). */
  kill9(): Promise<void>;
  /** Everything redis logged, all runs. */
  logs(): string;
  /** Stop and remove the folder. */
  stop(): Promise<void>;
}

export interface RedisOptions {
  /** appendonly yes with appendfsync everysec: writes survive a restart (default: no persistence at all). */
  appendonly?: boolean;
  /** Extra redis-server arguments, e.g. ['--notify-keyspace-events', 'Ex']. */
  args?: string[];
  startTimeoutMs?: number;
}

/** Sends one inline command and resolves with the first reply line (e.g. '+PONG', '-ERR ...'). */
export function redisCommand(port: number, command: string, timeoutMs = 2_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    const fail = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    socket.setTimeout(timeoutMs, () => fail(new Error(`redis ${command}: no reply within ${timeoutMs} ms`)));
    socket.once('error', fail);
    socket.once('connect', () => socket.write(`${command}\r\n`));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString();
      const end = reply.indexOf('\r\n');
      if (end >= 0) {
        socket.end();
        resolve(reply.slice(0, end));
      }
    });
  });
}

function redisArgs(port: number, dir: string, options: RedisOptions): string[] {
  const persistence = options.appendonly ? ['--appendonly', 'yes', '--appendfsync', 'everysec'] : ['--appendonly', 'no'];
  return [
    '--bind', '127.0.0.1',
    '--port', String(port),
    '--dir', dir,
    '--save', '', // no RDB snapshots: persistence is the AOF or nothing
    ...persistence,
    '--daemonize', 'no',
    '--protected-mode', 'yes',
    '--logfile', '', // stdout, which goes to redis.log
    ...(options.args ?? []),
  ];
}

export async function startRedis(options: RedisOptions = {}): Promise<RedisServer> {
  const dir = makeTempDir('rig-redis-');
  const port = await freePort();
  const logFile = join(dir, 'redis.log');
  let settings: RedisOptions = options;
  let proc: ManagedProcess | undefined;
  const current = () => {
    if (!proc) throw new Error('redis was never started');
    return proc;
  };

  const start = async () => {
    const started = launch({ name: 'redis', command: 'redis-server', args: redisArgs(port, dir, settings), logFile });
    proc = started;
    await waitUntil(`redis on 127.0.0.1:${port} answering PING`, async () => (await redisCommand(port, 'PING', 500)) === '+PONG', {
      timeoutMs: options.startTimeoutMs ?? 20_000,
      alive: () => started.running(),
      log: () => readLog(logFile),
    });
  };
  try {
    await start();
  } catch (error) {
    await proc?.stop('SIGKILL');
    removeTempDir(dir);
    throw error;
  }

  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    pid: () => current().pid,
    running: () => current().running(),
    ping: () => redisCommand(port, 'PING'),
    async restart(restartOptions = {}) {
      await current().stop('SIGTERM');
      settings = { ...settings, ...restartOptions };
      await start();
    },
    kill9: () => current().kill9(),
    logs: () => readLog(logFile),
    async stop() {
      await current().stop('SIGTERM');
      removeTempDir(dir);
    },
  };
}
