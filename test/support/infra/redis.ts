import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort } from '../server';
import { makeTempDir } from './managed-process';
import { startRigServer, type RigServer } from './rig-server';

/** A real redis-server (Debian's) on 127.0.0.1, in a temporary folder of its own. */
export interface RedisServer extends RigServer {
  /** redis://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  /** Its --dir: the AOF files live here and survive restart(). */
  readonly dir: string;
  /** Sends PING over a fresh connection; resolves with the reply line ('+PONG'). */
  ping(): Promise<string>;
  /** Stop (SIGTERM: redis flushes the AOF) unless already down, then start again on the same port and --dir, optionally switching appendonly. */
  restart(options?: { appendonly?: boolean }): Promise<void>;
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
  let settings: RedisOptions = options;
  const server = await startRigServer({
    process: () => ({ name: 'redis', command: 'redis-server', args: redisArgs(port, dir, settings), logFile: join(dir, 'redis.log') }),
    ready: { what: `redis on 127.0.0.1:${port} answering PING`, probe: async () => (await redisCommand(port, 'PING', 500)) === '+PONG', timeoutMs: options.startTimeoutMs ?? 20_000 },
    stopSignal: 'SIGTERM', // redis flushes the AOF
    dir,
  });
  return {
    ...server,
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    ping: () => redisCommand(port, 'PING'),
    async restart(restartOptions = {}) {
      settings = { ...settings, ...restartOptions };
      await server.restart();
    },
  };
}
