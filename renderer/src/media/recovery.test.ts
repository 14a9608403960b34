import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RecoveryMonitor, type MediaLinkState } from './recovery';

function setup() {
  const states: MediaLinkState[] = [];
  let restarts = 0;
  const monitor = new RecoveryMonitor(
    { restart: () => void restarts++, onState: (s) => states.push(s) },
    { windowMs: 15_000, disconnectedGraceMs: 1_500, retryEveryMs: 4_000, peerGoneGraceMs: 5_000 },
  );
  return { monitor, states, restarts: () => restarts };
}

describe('RecoveryMonitor', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('gives a disconnected link a grace period, then restarts ICE and retries', () => {
    const { monitor, states, restarts } = setup();
    monitor.connectionState('connected');
    monitor.iceState('disconnected');
    expect(states).toEqual(['connected', 'reconnecting']);
    vi.advanceTimersByTime(1_499);
    expect(restarts()).toBe(0);
    vi.advanceTimersByTime(1);
    expect(restarts()).toBe(1);
    vi.advanceTimersByTime(4_000);
    expect(restarts()).toBe(2);
  });

  it('restarts at once when ICE failed, and is back to connected when ICE reconnects', () => {
    const { monitor, states, restarts } = setup();
    monitor.connectionState('connected');
    monitor.iceState('failed');
    vi.advanceTimersByTime(0);
    expect(restarts()).toBe(1);
    monitor.connectionState('connected');
    expect(states).toEqual(['connected', 'reconnecting', 'connected']);
    vi.advanceTimersByTime(60_000);
    expect(restarts()).toBe(1);
    expect(monitor.current).toBe('connected');
  });

  it('fails when the media is not back within the window, and stays failed', () => {
    const { monitor, states } = setup();
    monitor.connectionState('connected');
    monitor.iceState('disconnected');
    vi.advanceTimersByTime(14_999);
    expect(monitor.current).toBe('reconnecting');
    vi.advanceTimersByTime(1);
    expect(states).toEqual(['connected', 'reconnecting', 'failed']);
    monitor.connectionState('connected');
    expect(monitor.current).toBe('failed');
  });

  it('a network change restarts at once, but only once the call had connected', () => {
    const { monitor, restarts } = setup();
    monitor.networkChanged();
    vi.advanceTimersByTime(0);
    expect(restarts()).toBe(0);
    monitor.connectionState('connected');
    monitor.networkChanged();
    vi.advanceTimersByTime(0);
    expect(restarts()).toBe(1);
    expect(monitor.current).toBe('connected');
    monitor.iceState('disconnected');
    monitor.networkChanged();
    vi.advanceTimersByTime(0);
    expect(restarts()).toBe(2);
  });

  it('a peer connection closed by the other side waits for the signalling, then fails without restarts', () => {
    const { monitor, states, restarts } = setup();
    monitor.connectionState('connected');
    monitor.peerGone();
    monitor.peerGone(); // simple-peer reports a remote close as 'error' and then 'close'
    vi.advanceTimersByTime(4_999);
    expect(states).toEqual(['connected', 'reconnecting']); // no media flows: it is not 'connected' any more
    vi.advanceTimersByTime(1);
    expect(states).toEqual(['connected', 'reconnecting', 'failed']);
    expect(restarts()).toBe(0);
  });

  it('a call that ends during the peer-gone grace never reports failed', () => {
    const { monitor, states } = setup();
    monitor.connectionState('connected');
    monitor.peerGone();
    monitor.dispose();
    vi.advanceTimersByTime(60_000);
    expect(states).toEqual(['connected', 'reconnecting']);
  });

  it('dispose stops every timer', () => {
    const { monitor, restarts, states } = setup();
    monitor.connectionState('connected');
    monitor.iceState('disconnected');
    monitor.dispose();
    vi.advanceTimersByTime(60_000);
    expect(restarts()).toBe(0);
    expect(states).toEqual(['connected', 'reconnecting']);
  });

  it('ICE alone is not a connection: connected only when the peer connection (ICE and DTLS) is', () => {
    const { monitor, states } = setup();
    monitor.iceState('connected');
    monitor.connectionState('connecting');
    expect(monitor.current).toBe('connecting');
    monitor.connectionState('connected');
    expect(states).toEqual(['connected']);
  });

  it('a set-up that never connects fails when the window is over (issue 12, finding 1)', () => {
    const { monitor, states } = setup();
    vi.advanceTimersByTime(14_999);
    expect(monitor.current).toBe('connecting');
    vi.advanceTimersByTime(1);
    expect(states).toEqual(['failed']);
  });

  it('a set-up that connects in time never fails', () => {
    const { monitor, states } = setup();
    vi.advanceTimersByTime(10_000);
    monitor.connectionState('connected');
    vi.advanceTimersByTime(60_000);
    expect(states).toEqual(['connected']);
  });

  it('while the other side is away the clocks stop; on its return the link gets a fresh window', () => {
    const { monitor, states, restarts } = setup();
    monitor.connectionState('connected');
    monitor.peerGone(); // its page reloads: the peer connection closes
    monitor.signallingDown(true); // and its signalling drops
    vi.advanceTimersByTime(60_000);
    expect(states).toEqual(['connected', 'reconnecting']);
    expect(restarts()).toBe(0);
    monitor.signallingDown(false);
    vi.advanceTimersByTime(4_999);
    expect(monitor.current).toBe('reconnecting');
    vi.advanceTimersByTime(1); // nothing replaced this peer connection within the peer-gone grace
    expect(states).toEqual(['connected', 'reconnecting', 'failed']);
  });

  it('an ICE failure during set-up restarts ICE and keeps the link connecting', () => {
    const { monitor, states, restarts } = setup();
    monitor.iceState('failed');
    vi.advanceTimersByTime(0);
    expect(restarts()).toBe(1);
    expect(states).toEqual([]);
  });
});
