import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { isoTimeOncePerMs } from './logger';

describe('isoTimeOncePerMs', () => {
  it("writes what pino's isoTime writes, formatted again only when the millisecond changes", () => {
    let ms = Date.UTC(2026, 10, 30, 21, 50, 0, 123);
    const time = isoTimeOncePerMs(() => ms);
    const realNow = Date.now;
    Date.now = () => ms;
    try {
      expect(time()).toBe(pino.stdTimeFunctions.isoTime());
      expect(time()).toBe(',"time":"2026-11-30T21:50:00.123Z"');
      ms += 1;
      expect(time()).toBe(pino.stdTimeFunctions.isoTime());
      expect(time()).toBe(',"time":"2026-11-30T21:50:00.124Z"');
    } finally {
      Date.now = realNow;
    }
  });
});
