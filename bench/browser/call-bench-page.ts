/**
 * The Chromium side of benchmarks 3 and 10 (and of the signalling-drop fault test): one page per party. Both
 * flows run the same simple-peer session with the same pre-acquired fake microphone; only the signalling
 * differs — the bare socket.io relay, or PhoneCore through our server. Driven by Playwright via
 * `window.callBench`. Times are epoch milliseconds with sub-millisecond precision, comparable across pages.
 */
import type SimplePeerTypes from 'simple-peer';
import SimplePeer from 'simple-peer/simplepeer.min.js';
import { io, type Socket } from 'socket.io-client';
import type { PhoneCore, TransferAction } from '../../shared/phone';
import type { SignalData, TransferMode, TransferView } from '../../shared/protocol';
import { createBenchPhone, startOnline } from '../clients/bench-phone';

interface CallRecord {
  /** The caller: just before `call()` (the invite). */
  dialAt?: number;
  acceptAt?: number;
  /** When this side created its simple-peer (the caller: once it learnt of the accept). */
  peerStartedAt?: number;
  connectAt?: number;
  /** With `watchMedia`: the first inbound audio RTP packet on this peer connection (see watchFirstAudio). */
  firstAudioAt?: number;
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
/** Transfer bench: answer every incoming call at once, and time the first audio of every peer. */
let autoAnswer = false;
let watchMedia = false;

async function inboundAudioBytes(pc: RTCPeerConnection | undefined): Promise<number> {
  if (!pc) return 0;
  let bytes = 0;
  (await pc.getStats()).forEach((report: { type: string; kind?: string; bytesReceived?: number }) => {
    if (report.type === 'inbound-rtp' && report.kind === 'audio') bytes += report.bytesReceived ?? 0;
  });
  return bytes;
}

/**
 * Times the first audio RTP packet of the peer: a remote track starts muted and unmutes when its first packet
 * arrives (WebRTC 1.0, "receiving" an RTP packet). getStats() would not do here: Chromium serves it from a
 * cache up to 50 ms old, and a receiver's synchronization sources fill only once its audio is played out.
 */
function watchFirstAudio(entry: CallRecord): void {
  entry.peer?.on('track', (track: MediaStreamTrack) => {
    if (track.kind !== 'audio') return;
    if (!track.muted) entry.firstAudioAt ??= now();
    else track.addEventListener('unmute', () => (entry.firstAudioAt ??= now()), { once: true });
  });
}

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
  if (watchMedia) watchFirstAudio(entry);
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
    p.on('incoming', (call) => {
      if (!autoAnswer) return ringIn(call.callId);
      record(call.callId).acceptAt = now();
      void p.answer(call.callId).catch((error: Error) => (record(call.callId).error ??= error.message));
    });
    p.on('answered', (call, initiator) => startPeer(call.callId, initiator, (data) => void p.sendSignal(call.callId, data as SignalData).catch(() => undefined)));
    p.on('signal', (callId, data) => deliverSignal(callId, data));
    p.on('ended', (call) => {
      record(call.callId).endReason ??= call.endReason ?? 'unknown';
      // As the app does: a call replaced by a completed transfer closes its peer connection.
      if (call.endReason === 'transferred') calls.get(call.callId)?.peer?.destroy();
    });
    await startOnline(p);
  },
  async oursDial(username: string): Promise<string> {
    if (!phone) throw new Error('oursJoin first');
    const dialAt = now();
    const { callId } = await phone.call(username, 'audio');
    record(callId).dialAt = dialAt;
    return callId;
  },
  /** Transfer bench: every incoming call is answered at once, and every peer times its first inbound audio. */
  transferBenchMode(): void {
    autoAnswer = true;
    watchMedia = true;
  },
  async oursTransfer(callId: string, to: string, mode: TransferMode): Promise<TransferView> {
    if (!phone) throw new Error('oursJoin first');
    return phone.transfer(callId, to, mode);
  },
  /** Resolves with the time just before the request left (`transfer:*`) and the transfer's new state. */
  async oursTransferAction(transferId: string, action: TransferAction): Promise<{ at: number; view: TransferView }> {
    if (!phone) throw new Error('oursJoin first');
    const at = now();
    return { at, view: await phone.transferAction(transferId, action) };
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
    dialAt: number | null;
    acceptAt: number | null;
    peerStartedAt: number | null;
    connectAt: number | null;
    firstAudioAt: number | null;
    closedAt: number | null;
    endReason: string | null;
    error: string | null;
  } {
    const entry = calls.get(key);
    return {
      dialAt: entry?.dialAt ?? null,
      acceptAt: entry?.acceptAt ?? null,
      peerStartedAt: entry?.peerStartedAt ?? null,
      connectAt: entry?.connectAt ?? null,
      firstAudioAt: entry?.firstAudioAt ?? null,
      closedAt: entry?.closedAt ?? null,
      endReason: entry?.endReason ?? null,
      error: entry?.error ?? null,
    };
  },
  /** Inbound audio bytes of the call's peer connection so far (is media flowing?). */
  async bytesReceived(key: string): Promise<number> {
    return inboundAudioBytes((calls.get(key)?.peer as unknown as { _pc?: RTCPeerConnection } | undefined)?._pc);
  },
  closePeer(key: string): void {
    calls.get(key)?.peer?.destroy();
  },
};

export type CallBenchApi = typeof api;
(window as unknown as { callBench: CallBenchApi }).callBench = api;
