import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureServerBundle } from '../server-bundle';
import { freePort } from '../server';
import { startHaproxy, type Haproxy, type HaproxyOptions } from './haproxy';
import { launch, makeTempDir, readLog, removeTempDir, waitUntil, type ManagedProcess } from './managed-process';
import { startPostgres, type PostgresOptions, type PostgresServer } from './postgres';
import { startRedis, type RedisOptions, type RedisServer } from './redis';

const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

/** What the rig tells each node about itself and the shared stores. */
export interface NodeContext {
  index: number;
  /** n1, n2, ...: also its server name in HAProxy. */
  name: string;
  port: number;
  /** A folder of its own (DATA_DIR of a signalling node). */
  dir: string;
  redisUrl?: string;
  databaseUrl?: string;
  /** One secret for the whole cluster: a token issued by one node must be accepted by every other. */
  jwtSecret: string;
  /** The front's address (what clients use). */
  frontUrl: string;
}

export interface NodeSpec {
  command: string;
  args: string[];
  env: Record<string, string>;
}

/**
 * The default node: the compiled signalling service (dist/server/main.js, built when stale) with its own
 * DATA_DIR, the shared JWT secret, and REDIS_URL / DATABASE_URL (read by the cluster profile once it exists).
 */
export async function signallingNode(extraEnv: Record<string, string> = {}): Promise<(ctx: NodeContext) => NodeSpec> {
  const bundle = await ensureServerBundle();
  return (ctx) => ({
    command: process.execPath,
    args: ['--enable-source-maps', bundle],
    env: {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      PORT: String(ctx.port),
      HOST: '127.0.0.1',
      DATA_DIR: join(ctx.dir, 'data'),
      WEB_ROOT: join(ctx.dir, 'no-web-root'),
      JWT_SECRET: ctx.jwtSecret,
      ...(ctx.redisUrl ? { REDIS_URL: ctx.redisUrl } : {}),
      ...(ctx.databaseUrl ? { DATABASE_URL: ctx.databaseUrl } : {}),
      ...extraEnv,
    },
  });
}

export interface ClusterNode {
  readonly name: string;
  readonly port: number;
  /** http://127.0.0.1:PORT: the node itself, bypassing the front. */
  readonly url: string;
  readonly dir: string;
  pid(): number;
  /** False before the first start and after an exit. */
  running(): boolean;
  /** Exit of the current run: resolves when it ends. */
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Starts the node (after stop or kill9) and waits for its /healthz. */
  start(): Promise<void>;
  /** SIGTERM (the graceful path, drain included) and wait for the exit; SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  kill9(): Promise<void>;
  /** stop() then start(). */
  restart(): Promise<void>;
  /** Everything it wrote to stdout and stderr, all runs. */
  logs(): string;
}

export interface Cluster {
  /** The front (HAProxy): the one address clients use. */
  readonly url: string;
  readonly nodes: ClusterNode[];
  readonly haproxy: Haproxy;
  readonly redis?: RedisServer;
  readonly postgres?: PostgresServer;
  node(name: string): ClusterNode;
  /** Stops everything (nodes first, then the front and the stores) and removes every folder. */
  stop(): Promise<void>;
}

export interface ClusterOptions {
  /** Number of nodes (default 3). */
  nodes?: number;
  /** How to run node i (default: signallingNode()). */
  node?: (ctx: NodeContext) => NodeSpec;
  /** Start a Redis (default true), optionally with options. */
  redis?: boolean | RedisOptions;
  /** Start a Postgres (default true), optionally with options. */
  postgres?: boolean | PostgresOptions;
  haproxy?: Omit<HaproxyOptions, 'nodes'>;
  nodeStartTimeoutMs?: number;
}

const options = <T extends object>(value: boolean | T | undefined): T | undefined => (value === false ? undefined : value === true || value === undefined ? ({} as T) : value);

async function nodeHealthy(url: string): Promise<boolean> {
  const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1_000) });
  await response.body?.cancel();
  return response.status === 200;
}

function clusterNode(spec: NodeSpec, ctx: NodeContext, startTimeoutMs: number): ClusterNode {
  const url = `http://127.0.0.1:${ctx.port}`;
  const logFile = join(ctx.dir, 'node.log');
  let proc: ManagedProcess | undefined;
  const current = () => {
    if (!proc) throw new Error(`${ctx.name} was never started`);
    return proc;
  };
  const stop = async (graceMs = 15_000) => current().stop('SIGTERM', graceMs);
  const start = async () => {
    if (proc?.running()) throw new Error(`${ctx.name} is already running`);
    const started = launch({ name: ctx.name, command: spec.command, args: spec.args, env: { ...process.env, ...spec.env }, cwd: ROOT, logFile });
    proc = started;
    await waitUntil(`${ctx.name} answering /healthz on ${url}`, () => nodeHealthy(url), {
      timeoutMs: startTimeoutMs,
      alive: () => started.running(),
      log: () => readLog(logFile),
    });
  };
  return {
    name: ctx.name,
    port: ctx.port,
    url,
    dir: ctx.dir,
    pid: () => current().pid,
    running: () => proc?.running() ?? false,
    exited: () => current().exited,
    start,
    stop,
    kill9: () => current().kill9(),
    async restart() {
      await stop();
      await start();
    },
    logs: () => readLog(logFile),
  };
}

/** Postgres + Redis + N nodes + HAProxy in front, all on 127.0.0.1, all in temporary folders. */
export async function startCluster(opts: ClusterOptions = {}): Promise<Cluster> {
  const count = opts.nodes ?? 3;
  const root = makeTempDir('rig-cluster-');
  const jwtSecret = randomBytes(32).toString('hex');
  let redis: RedisServer | undefined;
  let postgres: PostgresServer | undefined;
  let haproxy: Haproxy | undefined;
  const nodes: ClusterNode[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((node) => (node.running() ? node.stop() : undefined)));
    await Promise.all([haproxy?.stop(), redis?.stop(), postgres?.stop()]);
    removeTempDir(root);
  };
  try {
    const redisOptions = options(opts.redis);
    const postgresOptions = options(opts.postgres);
    [redis, postgres] = await Promise.all([redisOptions && startRedis(redisOptions), postgresOptions && startPostgres(postgresOptions)]);
    const ports = await Promise.all(Array.from({ length: count }, () => freePort()));
    const names = ports.map((_, i) => `n${i + 1}`);
    haproxy = await startHaproxy({ ...opts.haproxy, nodes: names.map((name, i) => ({ name, address: `127.0.0.1:${ports[i]}` })) });
    const nodeSpec = opts.node ?? (await signallingNode());
    for (const [index, name] of names.entries()) {
      const dir = join(root, name);
      mkdirSync(dir);
      const ctx: NodeContext = { index, name, port: ports[index] ?? 0, dir, redisUrl: redis?.url, databaseUrl: postgres?.url, jwtSecret, frontUrl: haproxy.url };
      nodes.push(clusterNode(nodeSpec(ctx), ctx, opts.nodeStartTimeoutMs ?? 30_000));
    }
    await Promise.all(nodes.map((node) => node.start()));
    const front = haproxy;
    await Promise.all(names.map((name) => front.waitFor(name, 'UP')));
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  return {
    url: haproxy.url,
    nodes,
    haproxy,
    redis,
    postgres,
    node(name) {
      const found = nodes.find((node) => node.name === name);
      if (!found) throw new Error(`no node ${name} (nodes: ${nodes.map((node) => node.name).join(', ')})`);
      return found;
    },
    stop,
  };
}
