import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { HAPROXY_BACKEND, renderHaproxyConfig, type HaproxyConfigOptions, type HaproxyNode } from '../../../scripts/haproxy-config';
import { freePort } from '../server';
import { makeTempDir, waitUntil } from './managed-process';
import { startRigServer, type RigServer } from './rig-server';

const run = promisify(execFile);

/** Debian puts it in /usr/sbin, which is not on a normal user's PATH. Override with HAPROXY_BIN. */
export const HAPROXY_BIN = process.env.HAPROXY_BIN ?? (existsSync('/usr/sbin/haproxy') ? '/usr/sbin/haproxy' : 'haproxy');

/** Debian's haproxy, in the foreground (-db), with the config rendered from deploy/haproxy's template. */
export interface Haproxy extends RigServer {
  /** http://127.0.0.1:PORT, the address clients use. */
  readonly url: string;
  readonly port: number;
  readonly configFile: string;
  /**
   * Each node as the runtime API (`show stat`) sees it: status 'UP', 'DOWN', 'UP 1/2' (going down),
   * 'DOWN 1/2' (coming up), 'MAINT', ...; sessions = connections open through the front right now.
   */
  servers(): Promise<Record<string, ServerState>>;
  /** Waits until the node's state is exactly `state` ('UP' or 'DOWN'). */
  waitFor(node: string, state: 'UP' | 'DOWN', timeoutMs?: number): Promise<void>;
  /** Sends one runtime API command (e.g. `set server signalling/n1 state drain`) and resolves with the answer. */
  command(line: string): Promise<string>;
}

export interface ServerState {
  status: string;
  sessions: number;
}

export interface HaproxyOptions {
  nodes: HaproxyNode[];
  /** Health check timing; default 500ms / 250ms, so a test sees a node go down within about a second. */
  checkInter?: string;
  checkFastinter?: string;
  /** Host header of the health check (default: the front's own host:port). */
  healthHost?: string;
  /** Extra backend lines. */
  backendExtra?: string[];
  /** Connections the front accepts (default 8000; HAProxy needs about two file descriptors each, within `ulimit -n`). */
  maxconn?: number;
  startTimeoutMs?: number;
}

/**
 * Rig-only additions to the template: logs to stdout (the log file), and the name of the node that served
 * each response in `x-served-by`, so a test can tell where traffic went.
 */
const RIG_GLOBAL = ['log stdout format raw local0'];
export const SERVED_BY_HEADER = 'x-served-by';
const RIG_BACKEND = [`http-response set-header ${SERVED_BY_HEADER} %[srv_name]`];

/** `haproxy -c -f file`: resolves with the output when the configuration is valid, rejects with it when not. */
export async function checkHaproxyConfig(file: string): Promise<string> {
  try {
    const { stdout, stderr } = await run(HAPROXY_BIN, ['-c', '-f', file]);
    return `${stdout}${stderr}`;
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`haproxy -c -f ${file} failed:\n${failed.stdout ?? ''}${failed.stderr ?? failed.message}`);
  }
}

function runtimeApi(socketPath: string, line: string, timeoutMs = 2_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    let answer = '';
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new Error(`haproxy runtime API: no answer to "${line}" within ${timeoutMs} ms`));
    });
    socket.once('error', reject);
    socket.once('connect', () => socket.write(`${line}\n`));
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.once('end', () => resolve(answer));
  });
}

/** Parses `show stat` CSV into { node name: state } for the signalling backend's servers. */
export function parseServers(csv: string): Record<string, ServerState> {
  const [header, ...rows] = csv.trim().split('\n');
  const columns = (header ?? '').replace(/^# /, '').split(',');
  const at = (name: string) => columns.indexOf(name);
  const servers: Record<string, ServerState> = {};
  for (const row of rows) {
    const cells = row.split(',');
    const server = cells[at('svname')];
    if (cells[at('pxname')] !== HAPROXY_BACKEND || !server || server === 'BACKEND' || server === 'FRONTEND') continue;
    servers[server] = { status: cells[at('status')] ?? '', sessions: Number(cells[at('scur')] ?? Number.NaN) };
  }
  return servers;
}

export async function startHaproxy(options: HaproxyOptions): Promise<Haproxy> {
  const dir = makeTempDir('rig-haproxy-');
  const port = await freePort();
  const socketPath = join(dir, 'admin.sock');
  const configFile = join(dir, 'haproxy.cfg');
  const logFile = join(dir, 'haproxy.log');
  const config: HaproxyConfigOptions = {
    binds: [`127.0.0.1:${port}`],
    nodes: options.nodes,
    statsSocket: socketPath,
    healthHost: options.healthHost ?? `127.0.0.1:${port}`,
    checkInter: options.checkInter ?? '500ms',
    checkFastinter: options.checkFastinter ?? '250ms',
    maxconn: options.maxconn ?? 8_000,
    globalExtra: RIG_GLOBAL,
    backendExtra: [...RIG_BACKEND, ...(options.backendExtra ?? [])],
  };
  writeFileSync(configFile, renderHaproxyConfig(config));
  const command = (line: string) => runtimeApi(socketPath, line);
  const server = await startRigServer({
    process: () => ({ name: 'haproxy', command: HAPROXY_BIN, args: ['-f', configFile, '-db'], logFile, cwd: dir }),
    ready: { what: `haproxy on 127.0.0.1:${port} answering its runtime API`, probe: async () => (await command('show info')).includes('Name: HAProxy'), timeoutMs: options.startTimeoutMs ?? 20_000 },
    stopSignal: 'SIGTERM',
    dir,
    before: () => checkHaproxyConfig(configFile),
  });

  const servers = async () => parseServers(await command('show stat'));
  return {
    ...server,
    url: `http://127.0.0.1:${port}`,
    port,
    configFile,
    servers,
    waitFor: (node, state, timeoutMs = 15_000) =>
      waitUntil(`haproxy marking ${node} ${state}`, async () => (await servers())[node]?.status === state, { timeoutMs, log: server.logs }),
    command,
  };
}
