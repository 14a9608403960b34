import type { BenchResults, BundleResults, CallSetupResults, RelayResults, StormResults } from './results';
import { clusterSection } from './report-cluster';
import { lineOfferSection } from './report-lines';
import { heartbeatSection, startupSection, throughputSection } from './report-server';
import { transferCompleteSection } from './report-transfer';
import { ratio } from './stats';
import { DEFAULT_BACKOFF } from '../../shared/phone';
import type { LadderResult, ProbeName } from '../scenarios/relay-capacity';

/** Renders docs/benchmarks.md from the results of one run (plus the hand-written analysis, if any). */

/** socket.io's default pingInterval, which our server and the bare relay keep. */
const SOCKET_IO_PING_INTERVAL_MS = 25_000;

export const TARGETS = { relayLatency: 1.3, memoryPerConnection: 1.5, callSetup: 1.2 } as const;

const ms = (value: number) => (Number.isFinite(value) ? `${value < 10 ? value.toFixed(2) : value.toFixed(0)} ms` : 'n/a');
const x = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : 'n/a');
const kib = (bytes: number) => (Number.isFinite(bytes) ? `${(bytes / 1024).toFixed(1)} KiB` : 'n/a');
const verdict = (value: number, target: number) => (!Number.isFinite(value) ? 'not measured' : value <= target ? 'met' : 'MISSED');

function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

function rungOf(ladder: LadderResult, connections: number) {
  return ladder.rungs.find((rung) => rung.connections === connections);
}

function relaySection(relay: RelayResults): string {
  const probeLabel: Record<Exclude<ProbeName, 'invite-wire' | 'signal-wire'>, string> = {
    invite: `invite → incoming at the callee (${relay.messageBytes.invite} B message)`,
    signal: `signal relay, one way (${relay.messageBytes.signal} B message)`,
  };
  const rows: string[][] = [];
  for (const rung of relay.ours.rungs.filter((r) => Object.keys(r.latency).length > 0)) {
    for (const probe of ['invite', 'signal'] as const) {
      const ours = rung.latency[probe];
      const bare = rungOf(relay.bare, rung.connections)?.latency[probe];
      const peer = rungOf(relay.peerjs, rung.connections)?.latency[probe];
      if (!ours || !bare) continue;
      const p50 = ratio(ours.p50, bare.p50);
      const p99 = ratio(ours.p99, bare.p99);
      rows.push([
        rung.connections.toLocaleString('en'),
        probeLabel[probe],
        `${ms(bare.p50)} / ${ms(bare.p99)}`,
        peer ? `${ms(peer.p50)} / ${ms(peer.p99)}` : 'n/a',
        `${ms(ours.p50)} / ${ms(ours.p99)}`,
        `**${x(p50)} / ${x(p99)}**`,
        peer ? `${x(ratio(peer.p50, bare.p50))} / ${x(ratio(peer.p99, bare.p99))}` : 'n/a',
        `${ours.count} (${ours.errors} errors)`,
        verdict(Math.max(p50, p99), TARGETS.relayLatency),
      ]);
    }
  }
  const attribution = relay.ours.rungs.flatMap((rung) =>
    (['invite', 'signal'] as const).flatMap((probe) => {
      const wire = rung.latency[`${probe}-wire`];
      const full = rung.latency[probe];
      const bare = rungOf(relay.bare, rung.connections)?.latency[probe];
      if (!wire || !full || !bare) return [];
      return [
        `${probe} at ${rung.connections.toLocaleString('en')} idle: bare relay ${ms(bare.p50)} / ${ms(bare.p99)}; our server with bare protocol sockets (no PhoneCore) ${ms(wire.p50)} / ${ms(wire.p99)} (${x(ratio(wire.p50, bare.p50))} / ${x(ratio(wire.p99, bare.p99))}); with PhoneCore on both ends ${ms(full.p50)} / ${ms(full.p99)}`,
      ];
    }),
  );
  const c = relay.commitCost;
  return [
    '## 1. Relay latency',
    '',
    `Target: ours within ${TARGETS.relayLatency}× of the bare socket.io relay at p50 and p99. Cells are p50 / p99. Each sample is one message sent and awaited before the next, timed in one client process (both ends share a clock). "invite" for ours is PhoneCore \`call()\` on the caller → \`incoming\` at the callee's PhoneCore (the server validates, rate-limits, resolves the callee, commits the call row to SQLite, then emits); for the baselines it is a relay of a message of the same size and shape as \`call:incoming\`. "signal" for ours is PhoneCore \`sendSignal()\` → \`signal\` at the other PhoneCore in an answered call.`,
    '',
    table(['idle conns', 'what', 'bare relay', 'PeerJS', 'ours', 'ours ÷ bare', 'PeerJS ÷ bare', 'samples', 'target'], rows),
    '',
    'Attribution (p50 / p99): the same rounds against our server with bare protocol sockets instead of PhoneCore split the gap into server and client-library parts.',
    '',
    ...attribution.map((line) => `- ${line}`),
    `- one small SQLite commit on this disk: synchronous=NORMAL (the server's call row at invite) ${ms(c.normal.p50)} / ${ms(c.normal.p99)}; synchronous=FULL (fsync per commit: the server's missed-call commit) ${ms(c.full.p50)} / ${ms(c.full.p99)}`,
  ].join('\n');
}

function capacitySection(relay: RelayResults): string {
  const rows: string[][] = [];
  const perConnection = (ladder: LadderResult, connections: number, field: 'rss' | 'heapUsed') => {
    const zero = rungOf(ladder, 0);
    const rung = rungOf(ladder, connections);
    return zero && rung && connections > 0 ? (rung.memory[field] - zero.memory[field]) / connections : Number.NaN;
  };
  for (const rung of relay.ours.rungs.filter((r) => r.connections > 0)) {
    const n = rung.connections;
    const rss = ratio(perConnection(relay.ours, n, 'rss'), perConnection(relay.bare, n, 'rss'));
    const heap = ratio(perConnection(relay.ours, n, 'heapUsed'), perConnection(relay.bare, n, 'heapUsed'));
    rows.push([
      n.toLocaleString('en'),
      `${kib(perConnection(relay.bare, n, 'rss'))} / ${kib(perConnection(relay.bare, n, 'heapUsed'))}`,
      `${kib(perConnection(relay.peerjs, n, 'rss'))} / ${kib(perConnection(relay.peerjs, n, 'heapUsed'))}`,
      `${kib(perConnection(relay.ours, n, 'rss'))} / ${kib(perConnection(relay.ours, n, 'heapUsed'))}`,
      `**${x(rss)} / ${x(heap)}**`,
      `${(rung.memory.rss / 2 ** 20).toFixed(0)} MiB / ${(rung.memory.heapUsed / 2 ** 20).toFixed(0)} MiB`,
      verdict(Math.max(rss, heap), TARGETS.memoryPerConnection),
    ]);
  }
  const holdRows = [relay.bare, relay.peerjs, relay.ours].map((ladder) => [
    ladder.label,
    ladder.hold.connections.toLocaleString('en'),
    `${(ladder.hold.durationMs / 1000).toFixed(0)} s`,
    String(ladder.hold.failedToConnect),
    String(ladder.hold.disconnects),
    `${ladder.hold.heartbeats.toLocaleString('en')} (min ${ladder.hold.minHeartbeatsPerConnection} per connection)`,
  ]);
  const top = relay.ours.hold;
  const expected = Math.floor(top.durationMs / SOCKET_IO_PING_INTERVAL_MS);
  const held = top.failedToConnect === 0 && top.disconnects === 0 && top.minHeartbeatsPerConnection >= expected;
  return [
    '## 2. Capacity and memory',
    '',
    `Server memory per idle authenticated connection = (memory at N − memory at 0) ÷ N, sampled after a full GC in the server process. Cells are RSS / heap used. Target: ours at most ${TARGETS.memoryPerConnection}× the bare relay.`,
    '',
    table(['connections', 'bare relay', 'PeerJS', 'ours', 'ours ÷ bare (RSS / heap)', 'our server total (RSS / heap)', 'target'], rows),
    '',
    `Holding the top rung (heartbeats: socket.io pings the server sent and the client answered; PeerJS: HEARTBEAT messages the clients sent). Target: ${top.connections.toLocaleString('en')} held with no errors, no disconnects and every connection seeing at least ${expected} heartbeat(s) (one per ${SOCKET_IO_PING_INTERVAL_MS / 1000} s ping interval) — **${held ? 'met' : 'MISSED'}**.`,
    '',
    table(['server', 'held', 'for', 'failed to connect', 'disconnects', 'heartbeats'], holdRows),
  ].join('\n');
}

function callSetupSection(calls: CallSetupResults): string {
  const r = ratio(calls.ours.p50, calls.bare.p50);
  return [
    '## 3. Call setup in Chromium',
    '',
    `Accept → both peers \`connect\` (simple-peer), ${calls.calls} calls each, two pages of one headless Chromium with fake media devices. Baseline: a bare simple-peer pair signalled through the bare socket.io relay, same pages, same run. Target: at most ${TARGETS.callSetup}×.`,
    '',
    table(
      ['', 'p50', 'p99', 'mean', 'samples'],
      [
        ['bare simple-peer via bare relay', ms(calls.bare.p50), ms(calls.bare.p99), ms(calls.bare.mean), String(calls.bare.count)],
        ['ours (PhoneCore + our server)', ms(calls.ours.p50), ms(calls.ours.p99), ms(calls.ours.mean), String(calls.ours.count)],
      ],
    ),
    '',
    `**ours ÷ bare (p50): ${x(r)} — ${verdict(r, TARGETS.callSetup)}** (${calls.failures} failed calls)`,
    '',
    `Attribution (p50): accept → the caller starts its peer (the accept crossing the signalling path) ${ms(calls.acceptToCallerPeer.bare.p50)} bare vs ${ms(calls.acceptToCallerPeer.ours.p50)} ours; the rest is the WebRTC negotiation (offer, answer, ICE candidates relayed through the same path) and ICE/DTLS.`,
  ].join('\n');
}

function stormSection(storm: StormResults): string {
  const r = ratio(storm.ours.allBackMs, storm.bare.allBackMs);
  const m = storm.missedCalls;
  return [
    '## 4. Reconnect storm',
    '',
    `${storm.ours.clients.toLocaleString('en')} connected clients, then kill -9 of the server and a start on the same port. Time from the kill until every client is registered again (ours: PhoneCore online again, i.e. \`session:ready\` received; bare relay: \`connect\`), both with PhoneCore's reconnect backoff (socket.io-client: ${DEFAULT_BACKOFF.delayMs / 1000} s base, ${DEFAULT_BACKOFF.maxDelayMs / 1000} s cap, jitter ${DEFAULT_BACKOFF.jitter}). Our server takes longer to start (TypeScript loader, SQLite open and migrations, call recovery), which is part of the figure.`,
    '',
    table(
      ['', 'clients', 'server down', 'all back after', 'registered again', 'failed'],
      [storm.bare, storm.ours].map((run, i) => [
        i === 0 ? 'bare socket.io relay' : 'ours',
        run.clients.toLocaleString('en'),
        ms(run.serverDownMs),
        ms(run.allBackMs),
        run.reRegistered.toLocaleString('en'),
        String(run.failed),
      ]),
    ),
    '',
    `ours ÷ bare: **${x(r)}**.`,
    '',
    `Missed calls: ${m.recorded} recorded — ${m.ringingAtRestart} ringing when the server was killed (still ringing after the restart, then cancelled by the caller) and ${m.duringOutage} placed right after the restart (${m.calleeStillOffline} of them found the callee's only device still reconnecting: \`unavailable\`; the rest rang and were cancelled). ${m.delivered} delivered to the callee's PhoneCore, **${m.lost} lost**.`,
  ].join('\n');
}

function bundleSection(bundle: BundleResults): string {
  const size = ratio(bundle.ours.gzipBytes, bundle.baseline.gzipBytes);
  const render = ratio(bundle.ours.firstRenderMs.p50, bundle.baseline.firstRenderMs.p50);
  return [
    '## 5. Renderer bundle',
    '',
    'Production build of dist/renderer (`npm run build:renderer`), gzip -9 of every emitted file. Baseline: a minimal React 19 app (one component) built by the same Vite in the same run. First render: navigation start → the app root has content, p50 over fresh page loads in headless Chromium.',
    '',
    table(
      ['', 'files', 'raw', 'gzipped', 'first render p50'],
      [
        ['minimal React app', String(bundle.baseline.files), kib(bundle.baseline.rawBytes), kib(bundle.baseline.gzipBytes), ms(bundle.baseline.firstRenderMs.p50)],
        ['our renderer', String(bundle.ours.files), kib(bundle.ours.rawBytes), kib(bundle.ours.gzipBytes), ms(bundle.ours.firstRenderMs.p50)],
      ],
    ),
    '',
    `ours ÷ baseline: gzipped size **${x(size)}**, first render **${x(render)}**.`,
  ].join('\n');
}

export function renderReport(results: BenchResults, analysis: string | undefined): string {
  const m = results.machine;
  const parts = [
    '# Benchmarks',
    '',
    '<!-- Generated by `npm run bench` (bench/run.ts). Do not edit by hand; the analysis section comes from bench/analysis.md. -->',
    '',
    `- Command: \`${results.command}\` (${results.mode} run, ${Math.round(results.durationS)} s)`,
    `- Date: ${results.startedAt}`,
    `- Machine: ${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB memory, ${m.os}, Node ${m.node}`,
    ...(results.laterRuns ?? []).map(
      (run) => `- Section${run.sections.length > 1 ? 's' : ''} ${run.sections.join(', ')} replaced by \`${run.command}\` (${Math.round(run.durationS)} s) on ${run.startedAt}, ${run.machine.cores} cores (${run.machine.cpuModel}), Node ${run.machine.node}`,
    ),
    '- Every server and every load generator runs in its own process on 127.0.0.1. Every result is a ratio against a baseline measured in the same run; raw figures are there for context only.',
    ...results.setup.map((line) => `- ${line}`),
    '',
  ];
  if (results.relay) parts.push(relaySection(results.relay), '', capacitySection(results.relay), '');
  if (results.callSetup) parts.push(callSetupSection(results.callSetup), '');
  if (results.storm) parts.push(stormSection(results.storm), '');
  if (results.bundle) parts.push(bundleSection(results.bundle), '');
  if (results.callThroughput) parts.push(throughputSection(results.callThroughput), '');
  if (results.startup) parts.push(startupSection(results.startup), '');
  if (results.heartbeat) parts.push(heartbeatSection(results.heartbeat), '');
  if (results.cluster) parts.push(clusterSection(results.cluster), '');
  if (results.transferComplete) parts.push(transferCompleteSection(results.transferComplete), '');
  if (results.lineOffer) parts.push(lineOfferSection(results.lineOffer), '');
  if (results.failures.length) {
    parts.push('## Scenarios that failed to run', '', ...results.failures.map((f) => `- **${f.scenario}**: ${f.error}`), '');
  }
  if (analysis) parts.push(analysis.trim(), '');
  return parts.join('\n');
}
