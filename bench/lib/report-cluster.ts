import type { ClusterResults, ClusterThroughputRun } from './results';
import { ratio } from './stats';

const ms = (value: number) => (Number.isFinite(value) ? `${value < 10 ? value.toFixed(2) : value.toFixed(0)} ms` : 'n/a');
const x = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : 'n/a');
/** Cycles per second one core gives at this CPU cost per cycle. */
const perCore = (cpuMsPerCycle: number) => (Number.isFinite(cpuMsPerCycle) && cpuMsPerCycle > 0 ? (1000 / cpuMsPerCycle).toFixed(0) : 'n/a');
const table = (header: string[], rows: string[][]) => [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');

const median = (values: number[]) => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length === 0 ? Number.NaN : sorted.length % 2 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

/** The median over rounds of each process's CPU per cycle. */
function cpuPerCycle(runs: ClusterThroughputRun[]): Record<string, number> {
  const names = [...new Set(runs.flatMap((run) => Object.keys(run.cpuMsPerCycle)))];
  return Object.fromEntries(names.map((name) => [name, median(runs.map((run) => run.cpuMsPerCycle[name] ?? Number.NaN))]));
}

export function clusterSection(cluster: ClusterResults): string {
  const { latency, throughput, storm } = cluster;
  const singleRate = median(throughput.single.map((run) => run.cyclesPerSecond));
  const clusterRate = median(throughput.cluster.map((run) => run.cyclesPerSecond));
  const singleCpu = cpuPerCycle(throughput.single);
  const clusterCpu = cpuPerCycle(throughput.cluster);
  const nodeNames = Object.keys(clusterCpu).filter((name) => /^n\d+$/.test(name));
  const nodesCpu = nodeNames.reduce((sum, name) => sum + (clusterCpu[name] ?? 0), 0);
  const totalCpu = Object.values(clusterCpu).reduce((sum, value) => sum + value, 0);
  return [
    '## 9. Cluster profile (Postgres, Redis, three nodes, HAProxy on this machine)',
    '',
    'The rig of the cluster tests (test/support/infra): Debian\'s Postgres 15, redis-server and HAProxy, three compiled nodes (`dist/server/main.js`), all on 127.0.0.1. Full run only (`npm run bench`, or `npm run bench -- --only=storm,cluster`): the cluster and its clients cost minutes that the quick run in CI cannot spend.',
    '',
    '### Invite latency across nodes',
    '',
    `Invite sent → \`call:incoming\` at the callee, the callee's device on the caller's node (baseline) and on another node (the invite crosses Redis: the directory read, the room emit through the streams adapter), alternating, ${latency.sameNode.count} samples each.`,
    '',
    table(
      ['', 'p50', 'p99', 'mean'],
      [
        ['same node', ms(latency.sameNode.p50), ms(latency.sameNode.p99), ms(latency.sameNode.mean)],
        ['cross node', ms(latency.crossNode.p50), ms(latency.crossNode.p99), ms(latency.crossNode.mean)],
      ],
    ),
    '',
    `cross ÷ same: **p50 ${x(latency.p50Ratio)}, p99 ${x(latency.p99Ratio)}**.`,
    '',
    '### Throughput: cluster against single',
    '',
    `${throughput.pairs} caller/callee pairs loop answered call cycles (section 6's loop), once against one single-profile process (SQLite) and once through HAProxy against the three nodes (HAProxy places each device, so most pairs span two nodes), ${throughput.single.length} round(s) each, alternating. CPU is user + system time of each process (and its children: Postgres backends) in the measured window, divided by the cycles.`,
    '',
    table(
      ['', 'cycles/s (median)', 'CPU per cycle'],
      [
        ['single (one process)', singleRate.toFixed(0), ms(singleCpu.server ?? Number.NaN)],
        ['cluster (all processes)', clusterRate.toFixed(0), ms(totalCpu)],
        ...Object.entries(clusterCpu).map(([name, value]) => [`&nbsp;&nbsp;${name}`, '', ms(value)]),
      ],
    ),
    '',
    `cluster ÷ single: **${x(ratio(clusterRate, singleRate))}** cycles/s; CPU per cycle **${x(ratio(totalCpu, singleCpu.server ?? Number.NaN))}** (nodes alone ${x(ratio(nodesCpu, singleCpu.server ?? Number.NaN))}).`,
    '',
    `**Two cores limit what this shows**: three nodes, Redis, Postgres, HAProxy and the load generators share the same two cores, so the cluster cannot run faster here than the work per cycle allows. Read the scaling from the CPU per cycle instead: the nodes together spend ${ms(nodesCpu)} of CPU per cycle (about ${ms(nodeNames.length ? nodesCpu / nodeNames.length : Number.NaN)} each, as each carries a share), so with one core per node N nodes carry about N × ${perCore(nodesCpu)} cycles/s; Redis (${ms(clusterCpu.redis ?? Number.NaN)} per cycle) and Postgres (${ms(clusterCpu.postgres ?? Number.NaN)}, its backends included) cap the cluster at about ${perCore(clusterCpu.redis ?? Number.NaN)} and ${perCore(clusterCpu.postgres ?? Number.NaN)} cycles/s per core they get.`,
    '',
    '### Reconnect storm: kill -9 of one node',
    '',
    `${storm.clients.toLocaleString('en')} PhoneCores connected through HAProxy; kill -9 of ${storm.killedNode}, the node holding the most (${storm.displaced.toLocaleString('en')}). Its clients reconnect through HAProxy (which retries a refused connection on another node at once) to the two survivors; the others stay connected. Baseline: section 4's single-profile storm of the same run (kill -9 and restart of the one server, every client reconnecting).`,
    '',
    table(
      ['', 'clients', 'reconnected', 'all online again after'],
      [
        ['single (section 4)', '', '', ms(storm.singleAllBackMs)],
        ['cluster, one node killed', storm.clients.toLocaleString('en'), storm.reRegistered.toLocaleString('en'), ms(storm.allBackMs)],
      ],
    ),
    '',
    `cluster ÷ single: **${x(ratio(storm.allBackMs, storm.singleAllBackMs))}**. Missed calls placed right after the kill: ${storm.missedCalls.recorded} (${storm.missedCalls.calleeReconnecting} found the callee's only device still reconnecting: \`unavailable\`), **${storm.missedCalls.lost} lost** (target 0).`,
  ].join('\n');
}
