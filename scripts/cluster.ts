// `npm run cluster`: a local cluster on loopback from Debian's packages, for trying the cluster profile by
// hand: Postgres 15, redis-server, three signalling nodes (the compiled service, cluster profile) and HAProxy
// in front, each in a temporary folder (the test rig, test/support/infra). Prints the address to open; Ctrl-C
// (or SIGTERM) stops everything and removes the folders.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { signallingNode, startCluster } from '../test/support/infra';

const webRoot = resolve('dist/renderer');
const started = Date.now();
process.stdout.write('starting Postgres, Redis, three nodes and HAProxy on 127.0.0.1 ...\n');
const cluster = await startCluster({ nodes: 3, node: await signallingNode({ WEB_ROOT: webRoot, NODE_ENV: 'production', DRAIN_MS: '2000' }) });

const lines = [
  `cluster up in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  `open: ${cluster.url}${existsSync(join(webRoot, 'index.html')) ? '' : '   (no web client built: run `npm run build:renderer` first to get one there)'}`,
  ...cluster.nodes.map((node) => `node ${node.name}: ${node.url}   log: ${join(node.dir, 'node.log')}`),
  `redis: ${cluster.redis?.url}   postgres: ${cluster.postgres?.url}`,
  'Ctrl-C stops everything.',
];
process.stdout.write(`${lines.join('\n')}\n`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  process.stdout.write('\nstopping ...\n');
  await cluster.stop();
  process.stdout.write('stopped; nothing left behind\n');
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
