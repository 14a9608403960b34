import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SignalData } from '../../../shared/protocol';
import { PeerLink, SIGNALLING_DOWN_LIMIT_MS, type LinkSession, type SignallingState } from './peer-link';
import type { PeerSessionOptions } from './peer-session';
import type { MediaLinkState } from './recovery';

/** A stand-in for one peer connection: records what reaches it and lets the test make it speak. */
class FakeSession implements LinkSession {
  readonly peerConnection = {} as RTCPeerConnection;
  linkState: MediaLinkState = 'connecting';
  readonly received: SignalData[] = [];
  readonly down: boolean[] = [];
  closed = false;
  constructor(readonly options: PeerSessionOptions) {}
  signal(data: SignalData) {
    this.received.push(data);
  }
  networkChanged() {}
  signallingDown(down: boolean) {
    this.down.push(down);
  }
  async replaceTrack() {}
  close() {
    this.closed = true;
  }
  /** The peer connection produced a signal (an offer, a candidate). */
  emit(data: SignalData) {
    this.options.sendSignal(data);
  }
  setLink(state: MediaLinkState) {
    this.linkState = state;
    this.options.onLinkState(state);
  }
}

const offer = (sdp: string): SignalData => ({ type: 'offer', sdp });
const UP: SignallingState = { online: true, peerConnected: true };

function link(initiator: boolean, signalling: SignallingState = UP) {
  const sessions: FakeSession[] = [];
  const sent: SignalData[] = [];
  const states: MediaLinkState[] = [];
  let replaced = 0;
  const peer = new PeerLink({
    initiator,
    iceServers: [],
    localStream: {} as MediaStream,
    signalling,
    sendSignal: (data) => sent.push(data),
    onRemoteStream: () => undefined,
    onLinkState: (state) => states.push(state),
    onReplaced: () => void replaced++,
    createSession: (options) => {
      const session = new FakeSession(options);
      sessions.push(session);
      return session;
    },
  });
  return { peer, sessions, sent, states, current: () => sessions[sessions.length - 1]!, replaced: () => replaced };
}

describe('PeerLink: media set-up restart', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('asking: the old connection goes, the request is sent, what arrives before "ready" is dropped and what the new one makes waits for it', () => {
    const a = link(true);
    const old = a.current();
    a.peer.requestRestart();
    expect(old.closed).toBe(true);
    expect(a.sessions).toHaveLength(2);
    expect(a.sent).toEqual([{ restart: 'request' }]);
    a.current().emit(offer('new'));
    a.peer.signal(offer('stale, from the other side\'s old connection'));
    expect(a.sent).toEqual([{ restart: 'request' }]);
    expect(a.current().received).toEqual([]);
    a.peer.signal({ restart: 'ready' });
    expect(a.sent).toEqual([{ restart: 'request' }, offer('new')]);
    a.peer.signal({ type: 'answer', sdp: 'fresh' });
    expect(a.current().received).toEqual([{ type: 'answer', sdp: 'fresh' }]);
    expect(a.replaced()).toBe(1);
  });

  it('asked: replaces its connection first, then says "ready"; later signals reach the new one', () => {
    const b = link(false);
    const old = b.current();
    b.peer.signal({ restart: 'request' });
    expect(old.closed).toBe(true);
    expect(b.sent).toEqual([{ restart: 'ready' }]);
    b.peer.signal(offer('fresh'));
    expect(b.current().received).toEqual([offer('fresh')]);
    expect(old.received).toEqual([]);
  });

  it('both asking at once converge on one fresh pair', () => {
    const a = link(true);
    const b = link(false);
    a.peer.requestRestart();
    b.peer.requestRestart();
    // Each gets the other's request, then the other's "ready" (ignored: it already replaced).
    a.peer.signal({ restart: 'request' });
    b.peer.signal({ restart: 'request' });
    a.peer.signal({ restart: 'ready' });
    b.peer.signal({ restart: 'ready' });
    a.current().emit(offer('from the last connection'));
    expect(a.sent.at(-1)).toEqual(offer('from the last connection'));
    b.peer.signal(offer('from the last connection'));
    expect(b.current().received).toEqual([offer('from the last connection')]);
  });

  it('a fresh connection of a call that had media says "reconnecting", not "connecting"', () => {
    const a = link(true);
    a.current().setLink('connected');
    a.peer.requestRestart();
    expect(a.states).toEqual(['connected', 'reconnecting']);
  });
});

describe('PeerLink: the signalling path', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('the initiator restarts a set-up an outage cut, once per outage; a connected link is left alone', () => {
    const a = link(true);
    a.peer.signallingChanged({ online: false, peerConnected: true });
    a.peer.signallingChanged({ online: true, peerConnected: false }); // back; the other side not yet
    expect(a.sent).toEqual([{ restart: 'request' }]);
    a.peer.signallingChanged({ online: true, peerConnected: true }); // the other side back too: no second restart
    expect(a.sent).toEqual([{ restart: 'request' }]);

    const connected = link(true);
    connected.current().setLink('connected');
    connected.peer.signallingChanged({ online: false, peerConnected: true });
    connected.peer.signallingChanged(UP);
    expect(connected.sent).toEqual([]);
  });

  it('the answering side does not restart on its own (the initiator does)', () => {
    const b = link(false);
    b.peer.signallingChanged({ online: false, peerConnected: true });
    b.peer.signallingChanged(UP);
    expect(b.sent).toEqual([]);
  });

  it('a set-up started during an outage restarts when the signalling is back', () => {
    const a = link(true, { online: false, peerConnected: true });
    expect(a.current().down).toEqual([true]);
    a.peer.signallingChanged(UP);
    expect(a.sent).toEqual([{ restart: 'request' }]);
  });

  it('tells the recovery when the path is down, and gives up when it stays down without media', () => {
    const a = link(true);
    a.peer.signallingChanged({ online: true, peerConnected: false });
    expect(a.current().down).toEqual([false, true]);
    vi.advanceTimersByTime(SIGNALLING_DOWN_LIMIT_MS - 1);
    expect(a.states).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(a.states).toEqual(['failed']);
  });

  it('media flowing while the signalling is down is not a failure', () => {
    const a = link(true);
    a.current().setLink('connected');
    a.peer.signallingChanged({ online: false, peerConnected: true });
    vi.advanceTimersByTime(SIGNALLING_DOWN_LIMIT_MS * 3);
    expect(a.states).toEqual(['connected']);
  });
});
