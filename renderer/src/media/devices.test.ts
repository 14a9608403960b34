import { describe, expect, it } from 'vitest';
import { availableOrDefault, distinctOutputs } from './devices';
import { PROGRESS_TONES, RINGTONES, patternDurationMs, toneForEndReason } from './tones';

const device = (deviceId: string, groupId: string, kind: MediaDeviceKind = 'audiooutput') => ({ deviceId, groupId, kind, label: deviceId }) as MediaDeviceInfo;

describe('device fallback', () => {
  it('keeps a chosen device while it is present and falls back to the default when it disappears', () => {
    const list = [device('mic-a', 'g1', 'audioinput'), device('mic-b', 'g2', 'audioinput')];
    expect(availableOrDefault('mic-b', list)).toBe('mic-b');
    expect(availableOrDefault('mic-gone', list)).toBeNull();
    expect(availableOrDefault(null, list)).toBeNull();
  });

  it('rings on every distinct output once, skipping the default/communications aliases', () => {
    const outputs = [device('default', 'g1'), device('communications', 'g2'), device('speakers', 'g1'), device('headset', 'g2'), device('hdmi', 'g3'), device('speakers-2', 'g1')];
    expect(distinctOutputs(outputs)).toEqual(['speakers', 'headset', 'hdmi']);
  });
});

describe('tones', () => {
  it('every ringtone the settings allow has a looping pattern of audible tones', () => {
    for (const name of ['classic', 'digital', 'soft'] as const) {
      const pattern = RINGTONES[name];
      expect(pattern.loop).toBe(true);
      expect(patternDurationMs(pattern)).toBeGreaterThan(1_000);
      for (const segment of pattern.segments) for (const f of segment.frequencies) expect(f).toBeGreaterThan(100);
    }
  });

  it('uses the standard cadences and picks the tone for how an outgoing call ended', () => {
    expect(PROGRESS_TONES.ringback.segments.map((s) => s.durationMs)).toEqual([2_000, 4_000]);
    expect(PROGRESS_TONES.busy.segments.map((s) => s.durationMs)).toEqual([500, 500]);
    expect(PROGRESS_TONES.declined.loop).toBe(false);
    expect(toneForEndReason('busy')).toBe('busy');
    expect(toneForEndReason('declined')).toBe('declined');
    expect(toneForEndReason('no-answer')).toBe('declined');
    expect(toneForEndReason('hangup')).toBeNull();
  });
});
