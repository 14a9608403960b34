import { describe, expect, it } from 'vitest';
import { QUEUE_3, SUPPORT, callView } from '../../../shared/testing/fixtures';
import { waitingTone } from './progress-tones';
import { PROGRESS_TONES, patternDurationMs } from './tones';

describe('waiting tones', () => {
  const outgoing = { direction: 'outgoing' as const };
  it('ringback while the callee rings, the queue tone while a line call waits, nothing otherwise', () => {
    expect(waitingTone(callView({ ...outgoing, phase: 'ringback' }))).toBe('ringback');
    expect(waitingTone(callView({ ...outgoing, phase: 'calling', line: SUPPORT, queue: QUEUE_3 }))).toBe('queue');
    expect(waitingTone(callView({ ...outgoing, phase: 'calling' }))).toBeNull();
    expect(waitingTone(callView({ ...outgoing, phase: 'active', line: SUPPORT }))).toBeNull();
    expect(waitingTone(callView({ phase: 'incoming', line: SUPPORT }))).toBeNull();
    expect(waitingTone(callView({ ...outgoing, phase: 'calling', queue: QUEUE_3, endedAt: '2025-01-01T10:00:09.000Z' }))).toBeNull();
  });

  it('the queue tone is a short chime in a 6 s loop, quieter than ringback', () => {
    expect(patternDurationMs(PROGRESS_TONES.queue)).toBe(6_000);
    expect(PROGRESS_TONES.queue.loop).toBe(true);
    expect(PROGRESS_TONES.queue.gain).toBeLessThan(PROGRESS_TONES.ringback.gain);
  });
});
