import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * pino's `isoTime`, formatted once per millisecond: the lines of a busy millisecond share one string (formatting
 * a date is a visible cost when every call writes its lines). The output is the same.
 */
export function isoTimeOncePerMs(now: () => number = Date.now): () => string {
  let lastMs = Number.NaN;
  let last = '';
  return () => {
    const ms = now();
    if (ms !== lastMs) {
      lastMs = ms;
      last = `,"time":"${new Date(ms).toISOString()}"`;
    }
    return last;
  };
}

/** Structured JSON logs on stdout (one line per event). */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'softphone-server' }, timestamp: isoTimeOncePerMs() });
}
