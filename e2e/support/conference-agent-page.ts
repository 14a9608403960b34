/**
 * The agent's side of the three-way call tests: the product's own host and media stack (the web host,
 * i.e. HostCore + PhoneCore over the real signalling service, and CallMedia with its ConferenceHub),
 * without the React screens, because no screen or protocol event merges calls yet (issue 15's protocol
 * work will). Driven by Playwright through `window.agent`. Built by conference-harness.ts.
 */
import '../../shared/zod-jitless';
import { unwrap, type SoftphoneBridge } from '../../shared/bridge';
import { CallMedia } from '../../renderer/src/media/call-media';
import { ConferenceError } from '../../renderer/src/media/conference-hub';
import { startWebHost } from '../../renderer/src/web-host/start-web-host';

let bridge: SoftphoneBridge | undefined;
let media: CallMedia | undefined;

/**
 * Test-side bookkeeping (not product code): how many AudioContexts this page made and closed, and the
 * tracks MediaStreamAudioDestinationNodes made (to tell a mix from a microphone on a sender, and to prove
 * that they are all stopped again). Weak references only, so the bookkeeping keeps nothing alive and
 * the leak measurement measures the product.
 */
const audio = { contextsMade: 0, contextsClosed: 0, mixContext: null as WeakRef<AudioContext> | null };
const mixTracks = new WeakSet<MediaStreamTrack>();
const trackRefs: WeakRef<MediaStreamTrack>[] = [];
const NativeAudioContext = window.AudioContext;
window.AudioContext = class extends NativeAudioContext {
  constructor(options?: AudioContextOptions) {
    super(options);
    audio.contextsMade += 1;
    const onState = () => {
      if (this.state !== 'closed') return;
      audio.contextsClosed += 1;
      this.removeEventListener('statechange', onState);
    };
    this.addEventListener('statechange', onState);
  }
  override createMediaStreamDestination(): MediaStreamAudioDestinationNode {
    const node = super.createMediaStreamDestination();
    audio.mixContext = new WeakRef(this); // only the hub's mix makes destinations here
    for (const track of node.stream.getTracks()) {
      mixTracks.add(track);
      trackRefs.push(new WeakRef(track));
    }
    return node;
  }
};

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what}: signIn first`);
  return value;
}

async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** What a call's audio sender carries now: the conference mix, the plain microphone, or nothing. */
function audioSending(callId: string): 'mix' | 'microphone' | 'nothing' | 'other' {
  const session = need(media, 'audioSending').session(callId);
  const sender = session?.peerConnection.getSenders().find((s) => s.track?.kind === 'audio' || (s.track === null && s.dtmf));
  const track = sender?.track ?? null;
  if (!session || !track) return 'nothing';
  if (track === session.microphone) return 'microphone';
  return mixTracks.has(track) && track.readyState === 'live' ? 'mix' : 'other';
}

const api = {
  async signIn(username: string, password: string): Promise<void> {
    const b = await startWebHost();
    bridge = b;
    unwrap(await b.invoke('auth.login', { username, password }));
    const settings = unwrap(await b.invoke('settings.get', {}));
    let snapshot = unwrap(await b.invoke('phone.snapshot', {}));
    b.on('phone.snapshot', (next) => (snapshot = next));
    await until(() => snapshot.connection.status === 'online', 'the phone online');
    media = new CallMedia(b);
    media.start(settings, snapshot);
  },

  /** Calls a user and resolves with the call id once its media is connected. */
  async call(username: string, kind: 'audio' | 'video' = 'audio'): Promise<string> {
    const view = unwrap(await need(bridge, 'call').invoke('phone.call', { to: username, media: kind }));
    await until(() => media?.getViews().some((v) => v.callId === view.callId && v.link === 'connected') ?? false, `call ${view.callId} connected`, 30_000);
    return view.callId;
  },

  async hold(callId: string, held: boolean): Promise<void> {
    unwrap(await need(bridge, 'hold').invoke('phone.hold', { callId, held }));
    await until(() => media?.getViews().find((v) => v.callId === callId)?.paused === held, `call ${callId} ${held ? 'held' : 'resumed'}`);
  },

  async end(callId: string): Promise<void> {
    unwrap(await need(bridge, 'end').invoke('phone.end', { callId, reason: 'hangup' }));
  },

  /** Merges two calls; resolves with the time from the call to both senders carrying their mix (ms). */
  async merge(callIdA: string, callIdB: string): Promise<number> {
    const started = performance.now();
    await need(media, 'merge').merge(callIdA, callIdB);
    return performance.now() - started;
  },

  /** The code of the ConferenceError a merge throws, or null if it succeeded. */
  async mergeError(callIdA: string, callIdB: string): Promise<string | null> {
    try {
      await need(media, 'merge').merge(callIdA, callIdB);
      return null;
    } catch (error) {
      if (error instanceof ConferenceError) return error.code;
      throw error;
    }
  },

  /**
   * Chooses another microphone in the settings, as the device menu does (every fake microphone of this
   * browser plays the same tone); resolves with the old and the new track of the call once it switched.
   */
  async switchMicrophone(callId: string): Promise<{ oldTrack: string; oldTrackState: string; newTrack: string }> {
    const session = need(media, 'switchMicrophone').session(callId)!;
    const old = session.microphone;
    const inputs = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'audioinput' && d.deviceId !== 'default');
    const current = old.getSettings().deviceId;
    const next = inputs.find((d) => d.deviceId !== current);
    if (!next) throw new Error(`only one microphone: ${JSON.stringify(inputs.map((d) => d.label))}`);
    unwrap(await need(bridge, 'switchMicrophone').invoke('settings.update', { devices: { microphoneId: next.deviceId } }));
    await until(() => session.microphone !== old, 'the microphone switched');
    return { oldTrack: old.id, oldTrackState: old.readyState, newTrack: session.microphone.id };
  },

  /** Unmerges; resolves with the time from the call to both senders carrying the microphone again (ms). */
  async unmerge(): Promise<number> {
    const started = performance.now();
    await need(media, 'unmerge').unmerge();
    return performance.now() - started;
  },

  /**
   * What the hub costs, per leg over the next second: the receive jitter buffer (ms) and the audio it
   * sends (kb/s, RTP headers included); and the mix's WebAudio latency (ms). With the 20 ms Opus frame
   * the mix is encoded in again, that is what the hub adds between the two parties.
   */
  async hubFigures(callIds: string[]): Promise<{ jitterBufferMs: number[]; sendKbps: number[]; webAudioMs: number | null; opusFrameMs: number }> {
    const read = async () => {
      const totals: { delay: number; emitted: number; sent: number; at: number }[] = [];
      for (const callId of callIds) {
        const total = { delay: 0, emitted: 0, sent: 0, at: performance.now() };
        const stats = await need(media, 'hubFigures').session(callId)!.peerConnection.getStats();
        stats.forEach((s: Record<string, unknown>) => {
          if (s.kind !== 'audio') return;
          if (s.type === 'inbound-rtp') Object.assign(total, { delay: Number(s.jitterBufferDelay), emitted: Number(s.jitterBufferEmittedCount) });
          if (s.type === 'outbound-rtp') total.sent += Number(s.bytesSent) + Number(s.headerBytesSent ?? 0);
        });
        totals.push(total);
      }
      return totals;
    };
    const before = await read();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const after = await read();
    const jitterBufferMs = after.map((a, i) => ((a.delay - before[i]!.delay) / (a.emitted - before[i]!.emitted)) * 1000);
    const sendKbps = after.map((a, i) => ((a.sent - before[i]!.sent) * 8) / (a.at - before[i]!.at));
    const context = audio.mixContext?.deref();
    const webAudioMs = context && context.state !== 'closed' ? context.baseLatency * 1000 : null;
    return { jitterBufferMs, sendKbps, webAudioMs, opusFrameMs: 20 };
  },
  leave: () => need(media, 'leave').leaveConference(),
  mute: (callId: string, muted: boolean) => need(media, 'mute').setMuted(callId, muted),
  conference: () => {
    const view = need(media, 'conference').getConference();
    return { state: view.state, callIds: view.callIds };
  },
  /** The mute state of each call as the media has it. */
  muted: (callId: string) => need(media, 'muted').session(callId)?.view.muted ?? null,
  audioSending,
  /** The call's negotiated descriptions: unchanged by merge and unmerge (no renegotiation). */
  descriptions: (callId: string) => {
    const pc = need(media, 'descriptions').session(callId)?.peerConnection;
    return { local: pc?.currentLocalDescription?.sdp ?? null, remote: pc?.currentRemoteDescription?.sdp ?? null };
  },
  playback: (): MediaStream | null => need(media, 'playback').getConference().playback,

  /** What WebAudio made in this page so far, and how much of it is still open or live (the tone meter closes its own). */
  audioResources: () => ({
    contextsMade: audio.contextsMade,
    contextsOpen: audio.contextsMade - audio.contextsClosed,
    tracksMade: trackRefs.length,
    tracksLive: trackRefs.filter((ref) => ref.deref()?.readyState === 'live').length,
  }),
};

export type AgentApi = typeof api;
(window as unknown as { agent: AgentApi }).agent = api;
