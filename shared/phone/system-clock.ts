import type { Clock, TimerHandle } from './ports';

interface TimerGlobals {
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The real clock. Node and browsers both have these timers; shared/ has no types for them, hence the cast. */
export function systemClock(): Clock {
  const timers = globalThis as unknown as TimerGlobals;
  return {
    now: () => Date.now(),
    setTimeout: (callback, ms) => timers.setTimeout(callback, ms),
    clearTimeout: (handle) => timers.clearTimeout(handle),
  };
}
