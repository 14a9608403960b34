import { patternDurationMs, type TonePattern } from './tones';

/** AudioContext with the output-device API Chromium has had since 110 (not yet in lib.dom). */
interface SinkableAudioContext extends AudioContext {
  setSinkId?: (sinkId: string) => Promise<void>;
}

export interface PlayingTone {
  stop(): void;
  /** Resolves when a non-looping pattern has finished or the tone was stopped. */
  readonly finished: Promise<void>;
}

/** Ramp time that keeps tone edges free of clicks. */
const EDGE_S = 0.01;

/** Schedules one pass of the pattern starting at `startAt` (seconds, context time). */
function schedulePass(ctx: AudioContext, pattern: TonePattern, startAt: number, out: AudioNode): OscillatorNode[] {
  const oscillators: OscillatorNode[] = [];
  let at = startAt;
  for (const segment of pattern.segments) {
    const seconds = segment.durationMs / 1000;
    if (segment.frequencies.length > 0) {
      const envelope = ctx.createGain();
      envelope.gain.setValueAtTime(0, at);
      envelope.gain.linearRampToValueAtTime(pattern.gain / segment.frequencies.length, at + EDGE_S);
      envelope.gain.setValueAtTime(pattern.gain / segment.frequencies.length, at + seconds - EDGE_S);
      envelope.gain.linearRampToValueAtTime(0, at + seconds);
      envelope.connect(out);
      for (const frequency of segment.frequencies) {
        const oscillator = ctx.createOscillator();
        oscillator.frequency.value = frequency;
        oscillator.connect(envelope);
        oscillator.start(at);
        oscillator.stop(at + seconds);
        oscillators.push(oscillator);
      }
    }
    at += seconds;
  }
  return oscillators;
}

/**
 * Plays a pattern on one output device (null: the default output). Looping patterns are
 * scheduled one pass ahead so timing comes from the audio clock, not from timers.
 */
export async function playPattern(pattern: TonePattern, sinkId: string | null): Promise<PlayingTone> {
  const ctx: SinkableAudioContext = new AudioContext({ latencyHint: 'interactive' });
  if (sinkId && sinkId !== 'default' && ctx.setSinkId) {
    await ctx.setSinkId(sinkId).catch(() => undefined); // a vanished device falls back to the default output
  }
  if (ctx.state === 'suspended') await ctx.resume().catch(() => undefined);

  const passSeconds = patternDurationMs(pattern) / 1000;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let resolveFinished: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (resolveFinished = resolve));

  const stop = () => {
    if (stopped) return;
    stopped = true;
    if (timer) clearTimeout(timer);
    void ctx.close().catch(() => undefined);
    resolveFinished();
  };

  let nextPassAt = ctx.currentTime + 0.05;
  const scheduleNext = () => {
    if (stopped) return;
    schedulePass(ctx, pattern, nextPassAt, ctx.destination);
    nextPassAt += passSeconds;
    const untilNextMs = Math.max(0, (nextPassAt - ctx.currentTime) * 1000 - 250);
    timer = setTimeout(pattern.loop ? scheduleNext : stop, pattern.loop ? untilNextMs : untilNextMs + 300);
  };
  scheduleNext();
  return { stop, finished };
}

/** Plays the same pattern on several outputs at once (ring on all outputs). */
export async function playOnOutputs(pattern: TonePattern, sinkIds: (string | null)[]): Promise<PlayingTone> {
  const unique = [...new Set(sinkIds.length > 0 ? sinkIds : [null])];
  const tones = await Promise.all(unique.map((sinkId) => playPattern(pattern, sinkId)));
  return {
    stop: () => tones.forEach((t) => t.stop()),
    finished: Promise.all(tones.map((t) => t.finished)).then(() => undefined),
  };
}
