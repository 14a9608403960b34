import { ConferenceMix, type LegIndex, type MixInputs } from './conference-mix';

/** What the hub uses of a call's media (CallSession is one). */
export interface ConferenceLeg {
  readonly callId: string;
  /** The microphone track the call has now (it changes when the device does; mute disables it). */
  readonly microphone: MediaStreamTrack;
  readonly view: { readonly remoteStream: MediaStream | null; readonly paused: boolean };
  readonly closed: boolean;
  /** Sends this track instead of the microphone and no video (null: back to the microphone and the camera). */
  sendConferenceAudio(track: MediaStreamTrack | null): Promise<void>;
  /** Calls `listener` after every change of the call's media, and once when it closes. Returns the unsubscribe. */
  watch(listener: () => void): () => void;
}

/**
 * - `idle`: no three-way call.
 * - `merged`: all three hear each other.
 * - `leaving`: the agent left; the two parties still hear each other through this client until their
 *   own direct call replaces the legs (the protocol ends both legs), or `unmerge()`.
 */
export type ConferenceState = 'idle' | 'merged' | 'leaving';

export interface ConferenceView {
  state: ConferenceState;
  /** The two calls, leg A first (empty when idle). */
  callIds: string[];
  /** Both parties mixed, for the agent's speaker: play it instead of each call's own remote stream (null when idle). */
  playback: MediaStream | null;
}

export type ConferenceErrorCode =
  /** A three-way call is already running (one at a time). */
  | 'busy'
  /** Both legs are the same call. */
  | 'same-call'
  /** A leg's call has ended (or was never answered here). */
  | 'call-ended';

export class ConferenceError extends Error {
  constructor(
    readonly code: ConferenceErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ConferenceError';
  }
}

/** What the hub uses of a ConferenceMix. */
export type HubMix = Pick<ConferenceMix, 'start' | 'output' | 'playback' | 'update' | 'setAgentPresent' | 'close'>;

export interface ConferenceHubOptions {
  onChange(): void;
  /** Makes the mix of one merge (unit tests pass a fake); default: a ConferenceMix in a fresh AudioContext. */
  createMix?: (inputs: [MixInputs, MixInputs]) => HubMix;
}

interface Conference {
  legs: [ConferenceLeg, ConferenceLeg];
  mix: HubMix;
  state: 'merged' | 'leaving';
  unwatch: (() => void)[];
}

const IDLE: ConferenceView = { state: 'idle', callIds: [], playback: null };

const inputsOf = (leg: ConferenceLeg): MixInputs => ({ microphone: leg.microphone, remote: leg.view.remoteStream, paused: leg.view.paused });

/**
 * The agent's client as the hub of a three-way call (Linphone's local conference, MicroSIP's merge):
 * the two existing calls stay as they are (no new peer connection, no renegotiation, no media
 * server); each leg's audio sender is given a WebAudio mix of the agent's microphone and the other
 * party, by track replacement, and the agent hears both. Audio only while merged: the cameras are
 * paused and come back on unmerge (docs/media.md).
 *
 * - Mute: each leg mixes its own call's microphone, so muting a call removes the agent's voice from
 *   that leg's mix and nothing else. CallMedia mutes both calls together while they are merged.
 * - Hold: a held leg (either side) is cut out both ways; the other two keep talking. Unhold brings it back.
 * - A leg that ends (hang-up, failure) ends the three-way call: the other leg gets the plain microphone back.
 */
export class ConferenceHub {
  private current: Conference | null = null;
  private currentView: ConferenceView = IDLE;

  constructor(private readonly options: ConferenceHubOptions) {}

  get view(): ConferenceView {
    return this.currentView;
  }

  includes(callId: string): boolean {
    return this.current?.legs.some((leg) => leg.callId === callId) ?? false;
  }

  /** Starts the three-way call; resolves when both senders carry their mix. */
  async merge(a: ConferenceLeg, b: ConferenceLeg): Promise<void> {
    if (this.current) throw new ConferenceError('busy', 'A three-way call is already running.');
    if (a === b || a.callId === b.callId) throw new ConferenceError('same-call', 'A three-way call needs two different calls.');
    const ended = [a, b].find((leg) => leg.closed);
    if (ended) throw new ConferenceError('call-ended', `Call ${ended.callId} has ended.`);
    const createMix = this.options.createMix ?? ((inputs) => new ConferenceMix(inputs));
    const mix = createMix([inputsOf(a), inputsOf(b)]);
    const conference: Conference = { legs: [a, b], mix, state: 'merged', unwatch: [] };
    this.current = conference;
    conference.unwatch = ([0, 1] as const).map((index) => conference.legs[index].watch(() => this.legChanged(conference, index)));
    this.publish();
    try {
      await mix.start();
      if (this.current !== conference) return; // unmerged (or a leg ended) meanwhile
      await Promise.all([a.sendConferenceAudio(mix.output(0)), b.sendConferenceAudio(mix.output(1))]);
    } catch (error) {
      await this.end(conference);
      throw error;
    }
  }

  /** Back to two separate calls, each sending the plain microphone (a held one still sends nothing). No-op when idle. */
  async unmerge(): Promise<void> {
    if (this.current) await this.end(this.current);
  }

  /**
   * The agent steps out: their voice leaves both mixes and they hear nothing, while the two parties keep
   * hearing each other through this client until their legs end. No-op unless merged.
   */
  leave(): void {
    const conference = this.current;
    if (!conference || conference.state !== 'merged') return;
    conference.state = 'leaving';
    conference.mix.setAgentPresent(false);
    this.publish();
  }

  private legChanged(conference: Conference, index: LegIndex): void {
    if (this.current !== conference) return;
    if (conference.legs.some((leg) => leg.closed)) {
      void this.end(conference);
      return;
    }
    conference.mix.update(index, inputsOf(conference.legs[index]));
  }

  private async end(conference: Conference): Promise<void> {
    if (this.current !== conference) return;
    this.current = null;
    for (const off of conference.unwatch) off();
    this.publish();
    // The microphone goes back first, then the mix closes: no moment where a sender carries an ended track.
    await Promise.all(conference.legs.filter((leg) => !leg.closed).map((leg) => leg.sendConferenceAudio(null).catch(() => undefined)));
    await conference.mix.close();
  }

  private publish(): void {
    const c = this.current;
    this.currentView = c ? { state: c.state, callIds: c.legs.map((leg) => leg.callId), playback: c.mix.playback } : IDLE;
    this.options.onChange();
  }
}
