import type { EndReason, MissedCall } from '../protocol';
import type { CallView } from '../phone/api';
import type { LogFields, Logger, Notifier, RingOptions } from '../phone/ports';

export type NotifierRecord =
  | { type: 'start'; callId: string; call: CallView; options: RingOptions }
  | { type: 'stop'; callId: string; reason: EndReason | 'answered' }
  | { type: 'missed'; calls: MissedCall[] };

/** Records every ring-surface call, and knows which calls ring right now. */
export class RecordingNotifier implements Notifier {
  readonly records: NotifierRecord[] = [];
  readonly ringing = new Map<string, RingOptions>();
  missed: MissedCall[] = [];

  startRinging(call: CallView, options: RingOptions): void {
    this.records.push({ type: 'start', callId: call.callId, call, options });
    this.ringing.set(call.callId, options);
  }

  stopRinging(callId: string, reason: EndReason | 'answered'): void {
    this.records.push({ type: 'stop', callId, reason });
    this.ringing.delete(callId);
  }

  missedCalls(calls: MissedCall[]): void {
    this.records.push({ type: 'missed', calls });
    this.missed = calls;
  }

  stops(callId: string): Array<EndReason | 'answered'> {
    return this.records.flatMap((r) => (r.type === 'stop' && r.callId === callId ? [r.reason] : []));
  }
}

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields?: LogFields;
}

export class RecordingLogger implements Logger {
  readonly entries: LogEntry[] = [];
  debug(message: string, fields?: LogFields) {
    this.entries.push({ level: 'debug', message, fields });
  }
  info(message: string, fields?: LogFields) {
    this.entries.push({ level: 'info', message, fields });
  }
  warn(message: string, fields?: LogFields) {
    this.entries.push({ level: 'warn', message, fields });
  }
  error(message: string, fields?: LogFields) {
    this.entries.push({ level: 'error', message, fields });
  }
  messages(level?: LogEntry['level']): string[] {
    return this.entries.filter((e) => !level || e.level === level).map((e) => e.message);
  }
}
