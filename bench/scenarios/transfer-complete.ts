import type { Page } from '@playwright/test';
import { launchChromium } from '../../test/support/chromium';
import { bench, openBenchPage } from '../browser/chromium';
import { buildBenchPage } from '../browser/build-page';
import { serveDirectory } from '../browser/static-server';
import type { TransferCompleteResults } from '../lib/results';
import { percentile, summarize } from '../lib/stats';
import { startOurServer } from './our-server';
import { registerUsers, type BenchUser } from './user-pool';

/**
 * Benchmark 10 (issue 15): consult transfer, Complete -> the customer <-> expert media connected, against a
 * fresh direct call customer -> expert (invite -> media connected) in the same run. Three pages (customer,
 * agent, expert) of one headless Chromium, each a PhoneCore on our server with simple-peer and the fake
 * microphone; every page answers at once (no Playwright round trip inside a measured span). "Media connected"
 * on a side: its peer `connect` (ICE and DTLS up, data channel open) and its first inbound audio RTP packet
 * (the remote track's `unmute`, see watchFirstAudio in the page); the span ends when both sides have both.
 */

export interface TransferCompleteConfig {
  samples: number;
  warmupSamples: number;
}

interface Parties {
  customer: Page;
  agent: Page;
  expert: Page;
  users: { agent: BenchUser; expert: BenchUser };
}

interface MediaUp {
  /** Both sides' peer `connect` and first inbound audio. */
  upAt: number;
  /** The later of the two sides' peer `connect`. */
  connectAt: number;
  /** When each side created its peer (the caller's: once the signalling told it to). */
  peerStartedAt: { a: number; b: number };
  dialAt: number | null;
  acceptAt: number | null;
}

/** Waits until the call `key` has media both ways between pages `a` and `b`. */
async function mediaUp(a: Page, b: Page, key: string, timeoutMs = 20_000): Promise<MediaUp> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [ra, rb] = await Promise.all([bench(a, 'result', key), bench(b, 'result', key)]);
    if (ra.error || rb.error) throw new Error(`call ${key}: ${ra.error ?? rb.error}`);
    if (ra.connectAt !== null && rb.connectAt !== null && ra.firstAudioAt !== null && rb.firstAudioAt !== null && ra.peerStartedAt !== null && rb.peerStartedAt !== null) {
      const connectAt = Math.max(ra.connectAt, rb.connectAt);
      return {
        upAt: Math.max(connectAt, ra.firstAudioAt, rb.firstAudioAt),
        connectAt,
        peerStartedAt: { a: ra.peerStartedAt, b: rb.peerStartedAt },
        dialAt: ra.dialAt,
        acceptAt: rb.acceptAt,
      };
    }
    if (Date.now() > deadline) throw new Error(`call ${key}: no media both ways within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function closeAll(pages: Page[], keys: string[]): Promise<void> {
  await Promise.all(pages.flatMap((page) => keys.map((key) => bench(page, 'closePeer', key))));
}

interface TransferSample {
  totalMs: number;
  /** Complete sent -> the customer's new peer created (the ack and call:replaced crossing the server). */
  signallingMs: number;
  /** Complete sent -> both new peers `connect`. */
  connectMs: number;
  /** The customer (the offerer) creates its new peer -> both peers `connect`: WebRTC alone. */
  webrtcMs: number;
}

/** Customer calls agent, agent consults expert, agent completes: the span from Complete to media up. */
async function transferSample({ customer, agent, expert, users }: Parties): Promise<TransferSample> {
  const original = await bench(customer, 'oursDial', users.agent.username);
  await mediaUp(customer, agent, original);
  const transfer = await bench(agent, 'oursTransfer', original, users.expert.username, 'consult');
  if (!transfer.legCallId) throw new Error('consult without a leg');
  await mediaUp(agent, expert, transfer.legCallId);
  const complete = await bench(agent, 'oursTransferAction', transfer.transferId, 'complete');
  const newCallId = complete.view.newCallId;
  if (complete.view.state !== 'completed' || !newCallId) throw new Error(`complete answered ${complete.view.state}`);
  // Both pages start a peer on this call id only once PhoneCore took it from call:replaced.
  const up = await mediaUp(customer, expert, newCallId);
  await bench(customer, 'oursHangup', newCallId);
  await closeAll([customer, agent, expert], [original, transfer.legCallId, newCallId]);
  return { totalMs: up.upAt - complete.at, signallingMs: up.peerStartedAt.a - complete.at, connectMs: up.connectAt - complete.at, webrtcMs: up.connectAt - up.peerStartedAt.a };
}

interface DirectSample {
  /** Invite -> media up. */
  totalMs: number;
  /** The callee's answer -> media up (what section 3 times, plus the first audio). */
  fromAcceptMs: number;
  /** The customer (the offerer) creates its peer -> both peers `connect`: WebRTC alone. */
  webrtcMs: number;
}

/** The baseline: a fresh direct call customer -> expert, invite -> media up. */
async function directSample({ customer, expert, users }: Parties): Promise<DirectSample> {
  const callId = await bench(customer, 'oursDial', users.expert.username);
  const up = await mediaUp(customer, expert, callId);
  await bench(customer, 'oursHangup', callId);
  await closeAll([customer, expert], [callId]);
  if (up.dialAt === null || up.acceptAt === null) throw new Error(`call ${callId}: no dial or accept time`);
  return { totalMs: up.upAt - up.dialAt, fromAcceptMs: up.upAt - up.acceptAt, webrtcMs: up.connectAt - up.peerStartedAt.a };
}

export async function runTransferComplete(config: TransferCompleteConfig, log: (line: string) => void): Promise<TransferCompleteResults> {
  const started = Date.now();
  const site = await serveDirectory(await buildBenchPage());
  const ours = await startOurServer({ CORS_ORIGINS: site.url });
  const browser = await launchChromium();
  try {
    const [customerUser, agentUser, expertUser] = await registerUsers(ours.url, 'xfer', 3);
    if (!customerUser || !agentUser || !expertUser) throw new Error('users missing');
    const pages = await Promise.all([0, 1, 2].map(() => openBenchPage(browser, site.url)));
    const [customer, agent, expert] = pages;
    if (!customer || !agent || !expert) throw new Error('pages missing');
    const joined = [
      [customer, customerUser],
      [agent, agentUser],
      [expert, expertUser],
    ] as const;
    await Promise.all(joined.map(([page, user]) => bench(page, 'oursJoin', ours.url, user.token, `xfer-${user.username}-device`)));
    await Promise.all(pages.map((page) => bench(page, 'transferBenchMode')));
    const parties: Parties = { customer, agent, expert, users: { agent: agentUser, expert: expertUser } };
    log(`  three parties online after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const transfer: TransferSample[] = [];
    const direct: DirectSample[] = [];
    let failures = 0;
    for (let i = 0; i < config.warmupSamples + config.samples; i++) {
      // Alternate which flow goes first, so drift on the machine hits both alike.
      for (const flow of i % 2 === 0 ? (['transfer', 'direct'] as const) : (['direct', 'transfer'] as const)) {
        try {
          if (flow === 'transfer') {
            const sample = await transferSample(parties);
            if (i >= config.warmupSamples) transfer.push(sample);
          } else {
            const sample = await directSample(parties);
            if (i >= config.warmupSamples) direct.push(sample);
          }
        } catch (error) {
          failures++;
          log(`  sample ${i} (${flow}) failed: ${error instanceof Error ? error.message : String(error)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    }
    if (transfer.length === 0 || direct.length === 0) throw new Error(`no sample of ${transfer.length === 0 ? 'the transfer' : 'the direct call'} succeeded (${failures} failures)`);
    const withP90 = (samples: number[]) => ({ ...summarize(samples), p90: percentile([...samples].sort((a, b) => a - b), 90), samples });
    const result: TransferCompleteResults = {
      samples: config.samples,
      transfer: withP90(transfer.map((s) => s.totalMs)),
      direct: withP90(direct.map((s) => s.totalMs)),
      transferSignalling: summarize(transfer.map((s) => s.signallingMs)),
      transferConnect: summarize(transfer.map((s) => s.connectMs)),
      directFromAccept: summarize(direct.map((s) => s.fromAcceptMs)),
      webrtc: { transfer: summarize(transfer.map((s) => s.webrtcMs)), direct: summarize(direct.map((s) => s.webrtcMs)) },
      failures,
    };
    log(`  complete -> media p50 ${result.transfer.p50.toFixed(1)} ms; direct invite -> media p50 ${result.direct.p50.toFixed(1)} ms (${failures} failures)`);
    return result;
  } finally {
    await browser.close();
    await Promise.all([ours.stop(), site.close()]);
  }
}
