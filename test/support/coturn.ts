import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './server';

/** A real coturn on 127.0.0.1 checking TURN REST API credentials (use-auth-secret). */
export interface Coturn {
  /** UDP and TCP listening port on 127.0.0.1. */
  port: number;
  /** Everything coturn logged so far. */
  logs(): string;
  /** SIGTERM (SIGKILL after 5 s), wait for the exit, remove the temp dir. */
  stop(): Promise<void>;
}

export const COTURN_REALM = 'softphone.test';
/** Relay endpoints are allocated in this range (coturn tries another port when one is taken). */
const RELAY_PORTS = { min: 51_000, max: 51_199 };

function coturnArgs(port: number, secret: string, dir: string): string[] {
  return [
    '-n', // no config file: only these flags
    '-v', // log each TURN request with its username and result
    '--listening-ip=127.0.0.1',
    '--relay-ip=127.0.0.1',
    `--listening-port=${port}`,
    `--min-port=${RELAY_PORTS.min}`,
    `--max-port=${RELAY_PORTS.max}`,
    '--use-auth-secret',
    `--static-auth-secret=${secret}`,
    `--realm=${COTURN_REALM}`,
    '--allow-loopback-peers', // the peers' relay addresses are 127.0.0.1
    '--no-cli',
    '--no-tls',
    '--no-dtls',
    '--no-rfc5780', // no alternate listening port
    '--log-file=stdout',
    '--simple-log',
    `--pidfile=${join(dir, 'turnserver.pid')}`, // default is /var/tmp or /var/run
    `--userdb=${join(dir, 'turndb')}`, // default is /var/lib/turn/turndb
  ];
}

/** Sends a STUN Binding request over UDP; resolves when coturn answers with a Binding success. */
function stunBinding(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const transactionId = randomBytes(12);
    const request = Buffer.concat([Buffer.from([0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42]), transactionId]);
    const finish = (answered: boolean) => {
      clearTimeout(timer);
      socket.close();
      resolve(answered);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on('error', () => finish(false));
    socket.on('message', (reply) => {
      if (reply.readUInt16BE(0) === 0x0101 && reply.subarray(8, 20).equals(transactionId)) finish(true);
    });
    socket.bind(0, '127.0.0.1', () => socket.send(request, port, '127.0.0.1'));
  });
}

export async function startCoturn(secret: string, startTimeoutMs = 10_000): Promise<Coturn> {
  const dir = mkdtempSync(join(tmpdir(), 'coturn-'));
  const port = await freePort();
  const proc = spawn('/usr/bin/turnserver', coturnArgs(port, secret, dir), { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  proc.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const running = () => proc.exitCode === null && proc.signalCode === null;

  const stop = async () => {
    if (running()) {
      proc.kill('SIGTERM');
      const killer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + startTimeoutMs;
  while (!(await stunBinding(port, 200))) {
    if (!running() || Date.now() > deadline) {
      await stop();
      throw new Error(`coturn did not answer STUN on 127.0.0.1:${port} within ${startTimeoutMs} ms:\n${output}`);
    }
  }
  return { port, logs: () => output, stop };
}
