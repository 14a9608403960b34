import { describe, expect, it } from 'vitest';
import type { MixInputs } from './conference-mix';
import { ConferenceError, ConferenceHub, type ConferenceLeg, type HubMix } from './conference-hub';

/** A call's media as the hub sees it: records what the hub asks it to send. */
class FakeLeg implements ConferenceLeg {
  microphone: MediaStreamTrack;
  view = { remoteStream: null as MediaStream | null, paused: false };
  closed = false;
  /** Every track the hub gave the sender, in order (null: back to the microphone). */
  readonly sent: (MediaStreamTrack | null)[] = [];
  sendFails = false;
  private readonly listeners = new Set<() => void>();
  constructor(readonly callId: string) {
    this.microphone = { id: `mic-${callId}` } as MediaStreamTrack;
  }
  async sendConferenceAudio(track: MediaStreamTrack | null) {
    if (this.sendFails) throw new Error('replaceTrack failed');
    this.sent.push(track);
  }
  watch(listener: () => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  get watchers() {
    return this.listeners.size;
  }
  change(patch: Partial<FakeLeg['view']> & { microphone?: MediaStreamTrack }) {
    if (patch.microphone) this.microphone = patch.microphone;
    Object.assign(this.view, { remoteStream: patch.remoteStream ?? this.view.remoteStream, paused: patch.paused ?? this.view.paused });
    for (const listener of [...this.listeners]) listener();
  }
  close() {
    this.closed = true;
    for (const listener of [...this.listeners]) listener();
  }
}

/** The mix's outputs and what the hub told it. */
class FakeMix implements HubMix {
  readonly outputs = [{ id: 'out-a' }, { id: 'out-b' }] as [MediaStreamTrack, MediaStreamTrack];
  readonly playback = { id: 'playback' } as MediaStream;
  readonly updates: [number, MixInputs][] = [];
  present: boolean[] = [];
  closed = false;
  constructor(
    readonly inputs: [MixInputs, MixInputs],
    private readonly startGate: Promise<void>,
  ) {}
  start() {
    return this.startGate;
  }
  output(index: 0 | 1) {
    return this.outputs[index];
  }
  update(index: 0 | 1, inputs: MixInputs) {
    this.updates.push([index, inputs]);
  }
  setAgentPresent(present: boolean) {
    this.present.push(present);
  }
  async close() {
    this.closed = true;
  }
}

/** `startGate`: the mix's start resolves when it does (an AudioContext resuming). */
function hub(startGate: Promise<void> = Promise.resolve()) {
  const mixes: FakeMix[] = [];
  let changes = 0;
  const conference = new ConferenceHub({
    onChange: () => changes++,
    createMix: (inputs) => {
      const mix = new FakeMix(inputs, startGate);
      mixes.push(mix);
      return mix;
    },
  });
  return { conference, mixes, changes: () => changes };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('ConferenceHub', () => {
  it('merge gives each leg its own mix of the agent and the other party, and says so', async () => {
    const { conference, mixes, changes } = hub();
    const a = new FakeLeg('a');
    const b = new FakeLeg('b');
    await conference.merge(a, b);
    const mix = mixes[0]!;
    expect(mix.inputs).toEqual([
      { microphone: a.microphone, remote: null, paused: false },
      { microphone: b.microphone, remote: null, paused: false },
    ]);
    expect(a.sent).toEqual([mix.outputs[0]]);
    expect(b.sent).toEqual([mix.outputs[1]]);
    expect(conference.view).toEqual({ state: 'merged', callIds: ['a', 'b'], playback: mix.playback });
    expect(conference.includes('b')).toBe(true);
    expect(changes()).toBeGreaterThan(0);
  });

  it('refuses what it cannot do with a typed error, and changes nothing', async () => {
    const { conference, mixes } = hub();
    const a = new FakeLeg('a');
    const ended = new FakeLeg('c');
    ended.closed = true;
    const refusal = (promise: Promise<void>) => promise.then(() => null, (error: unknown) => (error instanceof ConferenceError ? error.code : error));
    expect(await refusal(conference.merge(a, a))).toBe('same-call');
    expect(await refusal(conference.merge(a, new FakeLeg('a')))).toBe('same-call');
    expect(await refusal(conference.merge(a, ended))).toBe('call-ended');
    expect(mixes).toHaveLength(0);
    expect(conference.view.state).toBe('idle');
    const b = new FakeLeg('b');
    await conference.merge(a, b);
    expect(await refusal(conference.merge(a, new FakeLeg('d')))).toBe('busy');
    expect(mixes).toHaveLength(1);
    expect(conference.view.callIds).toEqual(['a', 'b']);
  });

  it('passes each change of a leg (microphone switched, connection replaced, hold) to the mix, for that leg only', async () => {
    const { conference, mixes } = hub();
    const a = new FakeLeg('a');
    const b = new FakeLeg('b');
    await conference.merge(a, b);
    const newMic = { id: 'usb-mic' } as MediaStreamTrack;
    const remote = { id: 'remote-b' } as MediaStream;
    a.change({ microphone: newMic });
    b.change({ remoteStream: remote, paused: true });
    expect(mixes[0]!.updates).toEqual([
      [0, { microphone: newMic, remote: null, paused: false }],
      [1, { microphone: b.microphone, remote, paused: true }],
    ]);
  });

  it('a leg that ends ends the three-way call: the other leg gets its microphone back and the mix is released', async () => {
    const { conference, mixes } = hub();
    const a = new FakeLeg('a');
    const b = new FakeLeg('b');
    await conference.merge(a, b);
    b.close();
    await settle();
    expect(a.sent).toEqual([mixes[0]!.outputs[0], null]);
    expect(b.sent).toEqual([mixes[0]!.outputs[1]]); // a closed call is not touched
    expect(mixes[0]!.closed).toBe(true);
    expect(conference.view).toEqual({ state: 'idle', callIds: [], playback: null });
    expect([a.watchers, b.watchers]).toEqual([0, 0]);
  });

  it('unmerge restores both microphones and releases the mix; unmerge and leave when idle do nothing', async () => {
    const { conference, mixes } = hub();
    await conference.unmerge();
    conference.leave();
    expect(conference.view.state).toBe('idle');
    const a = new FakeLeg('a');
    const b = new FakeLeg('b');
    await conference.merge(a, b);
    await conference.unmerge();
    expect([a.sent.at(-1), b.sent.at(-1)]).toEqual([null, null]);
    expect(mixes[0]!.closed).toBe(true);
    expect(conference.view.state).toBe('idle');
  });

  it('leave takes the agent out of the mix and keeps the two parties connected until a leg ends', async () => {
    const { conference, mixes } = hub();
    const a = new FakeLeg('a');
    const b = new FakeLeg('b');
    await conference.merge(a, b);
    conference.leave();
    conference.leave();
    expect(mixes[0]!.present).toEqual([false]);
    expect(conference.view.state).toBe('leaving');
    expect(mixes[0]!.closed).toBe(false);
    a.close();
    b.close();
    await settle();
    expect(mixes[0]!.closed).toBe(true);
    expect(conference.view.state).toBe('idle');
  });

  it('an unmerge while the merge is still starting wins: the legs keep their microphones', async () => {
    let open!: () => void;
    const { conference, mixes } = hub(new Promise<void>((resolve) => (open = resolve)));
    const a = new FakeLeg('a');
    const b = new FakeLeg('b');
    const merging = conference.merge(a, b);
    await settle();
    expect(conference.view.state).toBe('merged');
    await conference.unmerge();
    open();
    await merging;
    expect([a.sent, b.sent]).toEqual([[null], [null]]);
    expect(mixes[0]!.closed).toBe(true);
  });

  it('a merge whose track replacement fails is undone and reports the failure', async () => {
    const { conference, mixes } = hub();
    const a = new FakeLeg('a');
    const b = new FakeLeg('b');
    b.sendFails = true;
    await expect(conference.merge(a, b)).rejects.toThrow('replaceTrack failed');
    expect(a.sent.at(-1)).toBeNull();
    expect(mixes[0]!.closed).toBe(true);
    expect(conference.view.state).toBe('idle');
  });
});
