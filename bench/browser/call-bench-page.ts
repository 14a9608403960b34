/**
 * The Chromium side of benchmark 3 (and of the signalling-drop fault test): one page per party. Both
 * flows run the same simple-peer session with the same pre-acquired fake microphone; only the signalling
 * differs — the bare socket.io relay, or PhoneCore through our server. Driven by Playwright via
 * `window.callBench`. Times are epoch milliseconds with sub-millisecond precision, comparable across pages.
 */
import type SimplePeerTypes from 'simple-peer';
import SimplePeer from 'simple-peer/simplepeer.min.js';
import { io, type Socket } from 'socket.io-client';
import type { PhoneCore } from '../../shared/phone';
import type { SignalData } from '../../shared/protocol';
import { createBenchPhone, startOnline } from '../clients/bench-phone';

interface CallRecord {
  acceptAt?: number;
  /** When this side created its simple-peer (the caller: once it learnt of the accept). */
  peerStartedAt?: number;
  connectAt?: number;
  closedAt?: number;
  /** PhoneCore: why the call ended here. */
  endReason?: string;
  error?: string;
  peer?: SimplePeerTypes.Instance;
  pending: unknown[];
}

type BareMessage = { type: 'invite'; key: string; from: string } | { type: 'accept'; key: string; from: string } | { type: 'signal'; key: string; data: unknown };

const now = () => performance.timeOrigin + performance.now();
const calls = new Map<string, CallRecord>();
const incoming: string[] = [];
let wakeIncoming: (() => void) | undefined;
let stream: MediaStream | undefined;
let bare: { socket: Socket; name: string } | undefined;
let phone: PhoneCore | undefined;

function record(key: string): CallRecord {
  let entry = calls.get(key);
  if (!entry) calls.set(key, (entry = { pending: [] }));
  return entry;
}

function startPeer(key: string, initiator: boolean, send: (data: unknown) => void): void {
  const entry = record(key);
  entry.peerStartedAt = now();
  const peer = new SimplePeer({ initiator, stream, trickle: true, config: { iceServers: [] } });
  entry.peer = peer;
  peer.on('signal', send);
  peer.on('connect', () => (entry.connectAt ??= now()));
  peer.on('close', () => (entry.closedAt ??= now()));
  peer.on('error', (error: Error) => (entry.error ??= error.message));
  for (const data of entry.pending.splice(0)) peer.signal(data as SimplePeerTypes.SignalData);
}

function deliverSignal(key: string, data: unknown): void {
  const entry = record(key);
  if (entry.peer) entry.peer.signal(data as SimplePeerTypes.SignalData);
  else entry.pending.push(data);
}

function ringIn(key: string): void {
  incoming.push(key);
  wakeIncoming?.();
}

const api = {
  async init(): Promise<void> {
    stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: false });
  },

  async bareJoin(url: string, name: string): Promise<void> {
    const socket = io(url, { auth: { name }, transports: ['websocket'] });
    bare = { socket, name };
    socket.on('relay', ({ from, payload }: { from: string; payload: BareMessage }) => {
      if (payload.type === 'invite') ringIn(payload.key);
      else if (payload.type === 'accept') startPeer(payload.key, true, (data) => socket.emit('relay', { to: from, payload: { type: 'signal', key: payload.key, data } }));
      else deliverSignal(payload.key, payload.data);
    });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  },
  bareDial(to: string, key: string): void {
    bare?.socket.emit('relay', { to, payload: { type: 'invite', key, from: bare.name } });
  },
  bareAccept(key: string, caller: string): void {
    const link = bare;
    if (!link) throw new Error('bareJoin first');
    record(key).acceptAt = now();
    // As PhoneCore does: the accept leaves first, this side's peer is created after it.
    link.socket.emit('relay', { to: caller, payload: { type: 'accept', key, from: link.name } });
    startPeer(key, false, (data) => link.socket.emit('relay', { to: caller, payload: { type: 'signal', key, data } }));
  },

  /** `reconnectionDelayMax` overrides PhoneCore's backoff cap (DEFAULT_BACKOFF). */
  async oursJoin(url: string, token: string, deviceId: string, reconnectionDelayMax?: number): Promise<void> {
    const p = createBenchPhone({ url, token, deviceId, ...(reconnectionDelayMax ? { reconnectionDelayMax } : {}) });
    phone = p;
    p.on('incoming', (call) => ringIn(call.callId));
    p.on('answered', (call, initiator) => startPeer(call.callId, initiator, (data) => void p.sendSignal(call.callId, data as SignalData).catch(() => undefined)));
    p.on('signal', (callId, data) => deliverSignal(callId, data));
    p.on('ended', (call) => (record(call.callId).endReason ??= call.endReason ?? 'unknown'));
    await startOnline(p);
  },
  async oursDial(username: string): Promise<string> {
    if (!phone) throw new Error('oursJoin first');
    return (await phone.call(username, 'audio')).callId;
  },
  async oursAccept(callId: string): Promise<void> {
    if (!phone) throw new Error('oursJoin first');
    record(callId).acceptAt = now();
    await phone.answer(callId);
  },
  async oursHangup(callId: string): Promise<void> {
    await phone?.end(callId).catch(() => undefined);
  },
  /** The phone's connection status and the phase of a call (fault tests). */
  oursState(callId: string): { connection: string; phase: string | null; peerConnected: boolean | null; endReason: string | null } {
    const snapshot = phone?.snapshot();
    const call = snapshot?.calls.find((c) => c.callId === callId);
    return { connection: snapshot?.connection.status ?? 'none', phase: call?.phase ?? null, peerConnected: call?.peerConnected ?? null, endReason: call?.endReason ?? null };
  },

  /** Resolves with the key of the next incoming call. */
  async nextIncoming(timeoutMs = 15_000): Promise<string> {
    const deadline = now() + timeoutMs;
    while (incoming.length === 0) {
      if (now() > deadline) throw new Error('no incoming call');
      await new Promise<void>((resolve) => {
        wakeIncoming = resolve;
        setTimeout(resolve, 100);
      });
    }
    return incoming.shift() as string;
  },
  result(key: string): {
    acceptAt: number | null;
    peerStartedAt: number | null;
    connectAt: number | null;
    closedAt: number | null;
    endReason: string | null;
    error: string | null;
  } {
    const entry = calls.get(key);
    return {
      acceptAt: entry?.acceptAt ?? null,
      peerStartedAt: entry?.peerStartedAt ?? null,
      connectAt: entry?.connectAt ?? null,
      closedAt: entry?.closedAt ?? null,
      endReason: entry?.endReason ?? null,
      error: entry?.error ?? null,
    };
  },
  /** Inbound audio bytes of the call's peer connection so far (is media flowing?). */
  async bytesReceived(key: string): Promise<number> {
    const pc = (calls.get(key)?.peer as unknown as { _pc?: RTCPeerConnection } | undefined)?._pc;
    if (!pc) return 0;
    let bytes = 0;
    (await pc.getStats()).forEach((report: { type: string; bytesReceived?: number }) => {
      if (report.type === 'inbound-rtp') bytes += report.bytesReceived ?? 0;
    });
    return bytes;
  },
  closePeer(key: string): void {
    calls.get(key)?.peer?.destroy();
  },
};

export type CallBenchApi = typeof api;
(window as unknown as { callBench: CallBenchApi }).callBench = api;
