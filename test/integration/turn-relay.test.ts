import type { Browser } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IceServersResponse, type IceServer } from '../../shared/protocol';
import { launchChromium } from '../support/chromium';
import { startCoturn, type Coturn } from '../support/coturn';
import { api, registerUser, removeDataDir, startServer, type TestServer } from '../support/server';

/**
 * The TURN credentials GET /api/ice-servers hands out are accepted by a real coturn
 * (use-auth-secret / static-auth-secret), and data is relayed through it between two
 * RTCPeerConnections in headless Chromium that may only use relay candidates.
 */

const COTURN_SECRET = 'coturn-shared-secret';
const GATHER_TIMEOUT_MS = 10_000;
const MESSAGE_TIMEOUT_MS = 5_000;
const MESSAGE = 'hello through coturn';

interface RelayOutcome {
  gatheringStates: RTCIceGatheringState[];
  relayAddresses: string[];
  received: string | null;
  selectedPair: { localType: string; remoteType: string; localAddress: string; relayProtocol: string } | null;
}

interface RelayInput {
  iceServers: RTCIceServer[];
  gatherMs: number;
  messageMs: number;
  message: string;
}

/** Runs inside the page: two relay-only peers, loopback signalling, one data channel message. */
async function relayLoopback({ iceServers, gatherMs, messageMs, message }: RelayInput): Promise<RelayOutcome> {
  const peers = [0, 1].map(() => new RTCPeerConnection({ iceServers, iceTransportPolicy: 'relay' })) as [RTCPeerConnection, RTCPeerConnection];
  const [offerer, answerer] = peers;
  const relayAddresses: string[] = [];
  const timeout = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));
  const gathered = peers.map((peer, index) => {
    peer.onicecandidate = ({ candidate }) => {
      if (candidate?.type === 'relay') relayAddresses.push(candidate.address ?? '');
      if (candidate) void peers[1 - index]!.addIceCandidate(candidate);
    };
    return new Promise<void>((resolve) => (peer.onicegatheringstatechange = () => peer.iceGatheringState === 'complete' && resolve()));
  });
  const received = new Promise<string>((resolve) => {
    answerer.ondatachannel = ({ channel }) => (channel.onmessage = ({ data }) => resolve(String(data)));
  });
  const channel = offerer.createDataChannel('probe');
  channel.onopen = () => channel.send(message);

  await offerer.setLocalDescription();
  await answerer.setRemoteDescription(offerer.localDescription!);
  await answerer.setLocalDescription();
  await offerer.setRemoteDescription(answerer.localDescription!);
  await Promise.race([Promise.all(gathered), timeout(gatherMs, undefined)]);
  const text = await Promise.race([received, timeout(messageMs, null)]);

  const stats = await offerer.getStats();
  const transport = [...stats.values()].find((report) => report.type === 'transport' && report.selectedCandidatePairId);
  const pair = transport ? stats.get(transport.selectedCandidatePairId) : undefined;
  const local = pair ? stats.get(pair.localCandidateId) : undefined;
  const remote = pair ? stats.get(pair.remoteCandidateId) : undefined;
  const outcome: RelayOutcome = {
    gatheringStates: peers.map((peer) => peer.iceGatheringState),
    relayAddresses,
    received: text,
    selectedPair:
      local && remote
        ? { localType: local.candidateType, remoteType: remote.candidateType, localAddress: local.address, relayProtocol: local.relayProtocol }
        : null,
  };
  peers.forEach((peer) => peer.close());
  return outcome;
}

let coturn: Coturn;
let browser: Browser;
const servers: TestServer[] = [];

/** A real service whose TURN_SECRET is `turnSecret`; returns what it hands out to a new user. */
async function handedOut(turnSecret: string, transports: ('udp' | 'tcp')[]): Promise<{ turn: IceServer; iceServers: IceServer[] }> {
  const turnUrls = transports.map((transport) => `turn:127.0.0.1:${coturn.port}?transport=${transport}`).join(',');
  const server = await startServer({ env: { TURN_URLS: turnUrls, TURN_SECRET: turnSecret, TURN_TTL: '600' } });
  servers.push(server);
  const { accessToken } = await registerUser(server.url, 'relay-user');
  const { iceServers } = IceServersResponse.parse(await api(server.url, 'GET', '/api/ice-servers', undefined, accessToken));
  const turn = iceServers.find((entry) => entry.username);
  if (!turn) throw new Error(`no TURN entry with credentials in ${JSON.stringify(iceServers)}`);
  return { turn, iceServers };
}

async function relayInChromium(iceServers: IceServer[]): Promise<RelayOutcome> {
  const page = await browser.newPage();
  try {
    return await page.evaluate(relayLoopback, { iceServers, gatherMs: GATHER_TIMEOUT_MS, messageMs: MESSAGE_TIMEOUT_MS, message: MESSAGE });
  } finally {
    await page.close();
  }
}

beforeAll(async () => {
  coturn = await startCoturn(COTURN_SECRET);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  for (const server of servers) {
    await server.stop();
    removeDataDir(server);
  }
  await coturn?.stop();
});

describe('TURN relay through a real coturn', () => {
  it.each(['udp', 'tcp'] as const)('coturn accepts the handed-out credentials over %s and relays a data channel message', async (transport) => {
    const { turn, iceServers } = await handedOut(COTURN_SECRET, [transport]);
    const outcome = await relayInChromium(iceServers);

    expect(outcome.gatheringStates).toEqual(['complete', 'complete']);
    expect(outcome.relayAddresses.length).toBeGreaterThanOrEqual(2);
    expect(new Set(outcome.relayAddresses)).toEqual(new Set(['127.0.0.1'])); // coturn's --relay-ip
    expect(outcome.received).toBe(MESSAGE);
    expect(outcome.selectedPair).toEqual({ localType: 'relay', remoteType: 'relay', localAddress: '127.0.0.1', relayProtocol: transport });
    expect(coturn.logs()).toContain(`user <${turn.username}>: incoming packet ALLOCATE processed, success`);
  });

  it('credentials signed with another secret are refused: no relay candidate, no connection', async () => {
    const { turn, iceServers } = await handedOut('not-the-coturn-secret', ['udp', 'tcp']);
    const outcome = await relayInChromium(iceServers);

    expect(outcome.gatheringStates).toEqual(['complete', 'complete']);
    expect(outcome.relayAddresses).toEqual([]);
    expect(outcome.received).toBeNull();
    expect(outcome.selectedPair).toBeNull();
    expect(coturn.logs()).toContain(`Cannot find credentials of user <${turn.username}>`);
    expect(coturn.logs()).not.toContain(`user <${turn.username}>: incoming packet ALLOCATE processed, success`);
  });
});
