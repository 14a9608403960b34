import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../../../shared/protocol';
import { formatDuration, historyKind, initials, outcomeKey } from './format';

const base: HistoryEntry = {
  callId: '00000000-0000-4000-8000-000000000001',
  direction: 'incoming',
  peer: { userId: '00000000-0000-4000-8000-000000000002', username: 'bob', displayName: 'Bob' },
  media: 'audio',
  outcome: 'answered',
  endReason: 'hangup',
  missed: false,
  startedAt: '2025-01-01T10:00:00.000Z',
  answeredAt: '2025-01-01T10:00:03.000Z',
  endedAt: '2025-01-01T10:01:03.000Z',
  ringMs: 3000,
  talkMs: 60000,
};

describe('formatDuration', () => {
  it('formats minutes and hours', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(7_400)).toBe('0:07');
    expect(formatDuration(754_000)).toBe('12:34');
    expect(formatDuration(3_723_000)).toBe('1:02:03');
    expect(formatDuration(-5)).toBe('0:00');
  });
});

describe('initials', () => {
  it('takes first and last initials, or two Han characters', () => {
    expect(initials('Ada Lovelace')).toBe('AL');
    expect(initials('ada')).toBe('A');
    expect(initials('Jean Paul Sartre')).toBe('JS');
    expect(initials('王小明')).toBe('王小');
    expect(initials('   ')).toBe('?');
  });
});

describe('historyKind', () => {
  it('classifies entries', () => {
    expect(historyKind(base)).toBe('incoming');
    expect(historyKind({ ...base, direction: 'outgoing' })).toBe('outgoing');
    expect(historyKind({ ...base, outcome: 'no-answer', missed: true })).toBe('missed');
    expect(historyKind({ ...base, outcome: 'declined' })).toBe('declined');
    expect(outcomeKey({ ...base, direction: 'outgoing', outcome: 'no-answer' })).toBe('noAnswer');
    expect(outcomeKey(base)).toBeNull();
  });
});
