/** What the mix needs of one leg of a three-way call, now. */
export interface MixInputs {
  /** The agent's microphone as this leg has it: muting the call disables the track, which is silence in the mix. */
  microphone: MediaStreamTrack;
  /** What arrives from this leg's party (null before it arrives, or while its peer connection is replaced). */
  remote: MediaStream | null;
  /** The leg is on hold (by either side): its party is cut out of the other leg's mix and out of the agent's playback. */
  paused: boolean;
}

/** The two legs, in order: index 0 is leg A, index 1 is leg B. */
export type LegIndex = 0 | 1;

/** One leg's wired inputs: its microphone source and the source of what its party sends. */
interface WiredLeg {
  micTrack: MediaStreamTrack;
  mic: MediaStreamAudioSourceNode;
  remoteTrack: MediaStreamTrack | null;
  remote: MediaStreamAudioSourceNode | null;
  /**
   * Chromium gives WebAudio the samples of a remote WebRTC track only while a media element plays it
   * (without one the source is silent: the Babylon.js and SimpleWebRTC reports, and the e2e proof here).
   * A muted element that nobody sees keeps it flowing; the agent hears the mix's playback instead.
   */
  tap: HTMLAudioElement | null;
}

const other = (index: LegIndex): LegIndex => (index === 0 ? 1 : 0);

/**
 * The WebAudio graph of a three-way call on the agent's client (the hub), in one AudioContext:
 *
 *   mic A ──► voice A ───────────────────► limiter A ─► out A   (leg A's sender)
 *   remote B ─► gate B ─┬───────────────► limiter A
 *                       └─► listen ─────► playback            (the agent's speaker)
 *   mic B ──► voice B ───────────────────► limiter B ─► out B   (leg B's sender)
 *   remote A ─► gate A ─┬───────────────► limiter B
 *                       └─► listen ─────► playback
 *
 * voice = the agent is in the call (0 after leave); gate = the leg is not on hold; listen = the agent
 * listens (0 after leave). Each limiter stops the sum of two voices from clipping when both talk.
 * `close()` releases everything: every node is disconnected, every track it made is stopped, every
 * tap is emptied, and the AudioContext is closed.
 */
export class ConferenceMix {
  private readonly voices: [GainNode, GainNode];
  private readonly gates: [GainNode, GainNode];
  private readonly limiters: [DynamicsCompressorNode, DynamicsCompressorNode];
  private readonly outs: [MediaStreamAudioDestinationNode, MediaStreamAudioDestinationNode];
  private readonly listen: GainNode;
  private readonly playbackOut: MediaStreamAudioDestinationNode;
  private readonly wired: [WiredLeg, WiredLeg];
  private closed = false;

  constructor(
    inputs: [MixInputs, MixInputs],
    private readonly context: AudioContext = new AudioContext({ latencyHint: 'interactive' }),
  ) {
    const ctx = context;
    this.voices = [ctx.createGain(), ctx.createGain()];
    this.gates = [ctx.createGain(), ctx.createGain()];
    this.limiters = [limiter(ctx), limiter(ctx)];
    this.outs = [ctx.createMediaStreamDestination(), ctx.createMediaStreamDestination()];
    this.listen = ctx.createGain();
    this.playbackOut = ctx.createMediaStreamDestination();
    for (const index of [0, 1] as const) {
      this.voices[index].connect(this.limiters[index]);
      this.gates[other(index)].connect(this.limiters[index]);
      this.gates[index].connect(this.listen);
      this.limiters[index].connect(this.outs[index]);
    }
    this.listen.connect(this.playbackOut);
    this.wired = [this.wire(0, inputs[0]), this.wire(1, inputs[1])];
  }

  /** Resumes the context (a context made without a user gesture may start suspended). */
  async start(): Promise<void> {
    if (this.context.state === 'suspended') await this.context.resume();
  }

  /** The track leg `index`'s sender sends: the agent's voice and the other party. */
  output(index: LegIndex): MediaStreamTrack {
    return this.outs[index].stream.getAudioTracks()[0]!;
  }

  /** Both parties, for the agent's speaker. */
  get playback(): MediaStream {
    return this.playbackOut.stream;
  }

  /** A leg changed (microphone switched, peer connection replaced, hold): rewires only what changed. */
  update(index: LegIndex, inputs: MixInputs): void {
    if (this.closed) return;
    const leg = this.wired[index];
    if (leg.micTrack !== inputs.microphone) {
      leg.mic.disconnect();
      leg.micTrack = inputs.microphone;
      leg.mic = this.source(inputs.microphone, this.voices[index]);
    }
    const remoteTrack = inputs.remote?.getAudioTracks()[0] ?? null;
    if (leg.remoteTrack !== remoteTrack) {
      this.unwireRemote(leg);
      this.wireRemote(index, leg, remoteTrack);
    }
    this.gates[index].gain.value = inputs.paused ? 0 : 1;
  }

  /** false: the agent has left: their voice leaves both mixes and they hear nothing; the two parties still hear each other. */
  setAgentPresent(present: boolean): void {
    if (this.closed) return;
    for (const voice of this.voices) voice.gain.value = present ? 1 : 0;
    this.listen.gain.value = present ? 1 : 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const leg of this.wired) {
      leg.mic.disconnect();
      this.unwireRemote(leg);
    }
    for (const node of [...this.voices, ...this.gates, ...this.limiters, ...this.outs, this.listen, this.playbackOut]) node.disconnect();
    for (const out of [...this.outs, this.playbackOut]) for (const track of out.stream.getTracks()) track.stop();
    await this.context.close().catch(() => undefined);
  }

  private wire(index: LegIndex, inputs: MixInputs): WiredLeg {
    const leg: WiredLeg = { micTrack: inputs.microphone, mic: this.source(inputs.microphone, this.voices[index]), remoteTrack: null, remote: null, tap: null };
    this.wireRemote(index, leg, inputs.remote?.getAudioTracks()[0] ?? null);
    this.gates[index].gain.value = inputs.paused ? 0 : 1;
    return leg;
  }

  private wireRemote(index: LegIndex, leg: WiredLeg, track: MediaStreamTrack | null): void {
    leg.remoteTrack = track;
    if (!track) return;
    const stream = new MediaStream([track]);
    leg.remote = this.context.createMediaStreamSource(stream);
    leg.remote.connect(this.gates[index]);
    const tap = new Audio();
    tap.muted = true;
    tap.srcObject = stream;
    void tap.play().catch(() => undefined); // muted playback needs no user gesture
    leg.tap = tap;
  }

  private unwireRemote(leg: WiredLeg): void {
    leg.remote?.disconnect();
    leg.remote = null;
    if (leg.tap) {
      leg.tap.pause();
      leg.tap.srcObject = null;
    }
    leg.tap = null;
    leg.remoteTrack = null;
  }

  private source(track: MediaStreamTrack, into: AudioNode): MediaStreamAudioSourceNode {
    const node = this.context.createMediaStreamSource(new MediaStream([track]));
    node.connect(into);
    return node;
  }
}

/**
 * A limiter: peaks above -3 dBFS are squeezed (ratio 20) so two voices at once do not clip. Web Audio
 * adds its fixed make-up gain (about +1.7 dB for these settings) to everything; one voice alone is
 * otherwise untouched.
 */
function limiter(ctx: AudioContext): DynamicsCompressorNode {
  return new DynamicsCompressorNode(ctx, { threshold: -3, knee: 0, ratio: 20, attack: 0.003, release: 0.25 });
}
