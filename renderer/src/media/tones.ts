import type { Settings } from '../../../shared/settings';

/**
 * Call progress tones and ringtones, described as data and synthesised with WebAudio
 * oscillators (no audio files are shipped, so there is no licence to track).
 * Each segment plays its frequencies summed for durationMs; an empty list is silence.
 */
export interface ToneSegment {
  frequencies: number[];
  durationMs: number;
}

export interface TonePattern {
  segments: ToneSegment[];
  /** Repeat until stopped (ringtone, ringback, busy) or play once (declined). */
  loop: boolean;
  /** Peak gain, 0-1. */
  gain: number;
}

export type RingtoneName = Settings['ringtone'];
export type ProgressTone = 'ringback' | 'queue' | 'busy' | 'declined' | 'call-waiting' | 'hold' | 'hold-reminder' | 'recall' | 'auto-answer';

const tone = (frequencies: number[], durationMs: number): ToneSegment => ({ frequencies, durationMs });
const silence = (durationMs: number): ToneSegment => ({ frequencies: [], durationMs });

/** Call progress tones (North American precise tone plan frequencies). */
export const PROGRESS_TONES: Record<ProgressTone, TonePattern> = {
  /** The callee's phone rings: 440 + 480 Hz, 2 s on, 4 s off. */
  ringback: { segments: [tone([440, 480], 2000), silence(4000)], loop: true, gain: 0.15 },
  /** Waiting in a support line's queue (issue 14): a soft two-note chime (523 + 659 Hz) every 6 s, not mistaken for ringback. */
  queue: { segments: [tone([523.25, 659.25], 400), silence(5600)], loop: true, gain: 0.1 },
  /** The callee is busy: 480 + 620 Hz, 0.5 s on, 0.5 s off. */
  busy: { segments: [tone([480, 620], 500), silence(500)], loop: true, gain: 0.15 },
  /** The call was declined: three falling notes, once. */
  declined: { segments: [tone([1400], 300), tone([1050], 300), tone([700], 450), silence(200)], loop: false, gain: 0.15 },
  /** A second call rings during a call: a short beep every 10 s, under the conversation. */
  'call-waiting': { segments: [tone([440], 300), silence(200), tone([440], 300), silence(9200)], loop: true, gain: 0.1 },
  /** The other side holds this call (a consult, a transfer ringing): a short soft beep every 4 s, so the silence is not a dropped call. */
  hold: { segments: [tone([440], 200), silence(3800)], loop: true, gain: 0.08 },
  /** To the side that holds: the caller has waited another minute (media/hold-watch.ts). Two soft high beeps, once. */
  'hold-reminder': { segments: [tone([880], 120), silence(100), tone([880], 120), silence(200)], loop: false, gain: 0.08 },
  /** A line call answers by itself (auto-answer): two short 880 Hz beeps, once, in the headset before the call opens. */
  'auto-answer': { segments: [tone([880], 150), silence(100), tone([880], 150), silence(100)], loop: false, gain: 0.15 },
  /** A transfer failed and the customer is back with the agent: three rising notes, once. */
  recall: { segments: [tone([660], 180), silence(60), tone([880], 180), silence(60), tone([1100], 260), silence(200)], loop: false, gain: 0.15 },
};

/** The preflight speaker test: one second of 440 Hz, once. */
export const SPEAKER_TEST_TONE: TonePattern = { segments: [tone([440], 1000), silence(100)], loop: false, gain: 0.2 };

/** The ringtones a user can choose in settings. */
export const RINGTONES: Record<RingtoneName, TonePattern> = {
  /** A double ring: 400 + 450 Hz, 0.4 on, 0.2 off, 0.4 on, 2 s off. */
  classic: { segments: [tone([400, 450], 400), silence(200), tone([400, 450], 400), silence(2000)], loop: true, gain: 0.25 },
  /** Quick alternating electronic beeps. */
  digital: {
    segments: [tone([1200], 100), tone([1600], 100), tone([1200], 100), tone([1600], 100), silence(200), tone([1200], 100), tone([1600], 100), silence(1800)],
    loop: true,
    gain: 0.2,
  },
  /** A gentle rising chime. */
  soft: { segments: [tone([523.25], 250), tone([659.25], 250), tone([783.99], 500), silence(1500)], loop: true, gain: 0.2 },
};

/** How long one pass through a pattern lasts. */
export function patternDurationMs(pattern: TonePattern): number {
  return pattern.segments.reduce((total, segment) => total + segment.durationMs, 0);
}

/** Which tone (if any) an ended outgoing call plays, by end reason. */
export function toneForEndReason(reason: string | null): ProgressTone | null {
  if (reason === 'busy') return 'busy';
  if (reason === 'declined' || reason === 'dnd' || reason === 'unavailable' || reason === 'no-answer') return 'declined';
  return null;
}

/** DTMF: each key is a low (row) and a high (column) frequency (ITU-T Q.23). */
const DTMF_ROWS = [697, 770, 852, 941];
const DTMF_COLUMNS = [1209, 1336, 1477];
const DTMF_KEYS = ['123', '456', '789', '*0#'];

/** The short local feedback tone of a keypad key, or null for a key that is not one. */
export function dtmfTone(key: string): TonePattern | null {
  const row = DTMF_KEYS.findIndex((keys) => keys.includes(key));
  if (row < 0 || key.length !== 1) return null;
  return { segments: [tone([DTMF_ROWS[row]!, DTMF_COLUMNS[DTMF_KEYS[row]!.indexOf(key)]!], 120), silence(30)], loop: false, gain: 0.12 };
}
