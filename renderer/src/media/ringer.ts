import type { RingInstruction, SoftphoneBridge } from '../../../shared/bridge';
import { distinctOutputs, listDevices } from './devices';
import { playOnOutputs, type PlayingTone } from './tone-player';
import { PROGRESS_TONES, RINGTONES, type TonePattern } from './tones';

/** Where a ring plays: every distinct output, or the chosen ringer device (null: default). */
export async function ringOutputs(ring: Pick<RingInstruction, 'ringOnAllOutputs' | 'ringerDeviceId'>): Promise<(string | null)[]> {
  if (!ring.ringOnAllOutputs) return [ring.ringerDeviceId];
  const outputs = distinctOutputs((await listDevices()).speakers);
  return outputs.length > 0 ? outputs : [null];
}

/**
 * Plays the ringtone for calls that ring in this window (the incoming-call window on the desktop,
 * the page in the web host) and stops it on the bridge's ringStopped. Silent rings play nothing;
 * call waiting plays the short waiting tone, and a call that answers by itself (auto-answer) two short beeps,
 * on the call's speaker instead of the ringtone.
 */
export class Ringer {
  private readonly playing = new Map<string, Promise<PlayingTone | null>>();
  /** Calls whose current tone is the auto-answer tone (a "Let it ring" sends the call again without it). */
  private readonly autoAnswering = new Set<string>();
  private readonly unsubscribers: (() => void)[] = [];

  constructor(
    private readonly bridge: SoftphoneBridge,
    private readonly speakerId: () => string | null,
  ) {}

  start(): void {
    this.unsubscribers.push(
      this.bridge.on('phone.incoming', ({ call, ring }) => this.ring(call.callId, ring)),
      this.bridge.on('phone.ringStopped', ({ callId }) => this.stop(callId)),
      this.bridge.on('phone.ended', ({ call }) => this.stop(call.callId)),
    );
  }

  dispose(): void {
    for (const off of this.unsubscribers.splice(0)) off();
    for (const callId of [...this.playing.keys()]) this.stop(callId);
  }

  ring(callId: string, ring: RingInstruction): void {
    if (this.autoAnswering.has(callId) && !ring.autoAnswer) this.stop(callId);
    if (ring.silent || this.playing.has(callId)) return;
    if (ring.autoAnswer) this.autoAnswering.add(callId);
    // Call waiting and auto-answer are heard where the call will be (the call's speaker, e.g. the headset).
    const pattern: TonePattern = ring.autoAnswer ? PROGRESS_TONES['auto-answer'] : ring.waiting ? PROGRESS_TONES['call-waiting'] : RINGTONES[ring.ringtone];
    const outputs = ring.waiting || ring.autoAnswer ? Promise.resolve([this.speakerId()]) : ringOutputs(ring);
    this.playing.set(
      callId,
      outputs.then((sinks) => playOnOutputs(pattern, sinks)).catch(() => null),
    );
  }

  stop(callId: string): void {
    this.autoAnswering.delete(callId);
    const tone = this.playing.get(callId);
    if (!tone) return;
    this.playing.delete(callId);
    void tone.then((t) => t?.stop());
  }
}
