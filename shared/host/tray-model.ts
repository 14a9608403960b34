import type { TrayStatus } from '../bridge';
import type { UserStatus } from '../settings';
import type { PhoneSnapshot } from './deps';
import type { HostStrings } from './strings';

export interface TrayView {
  status: TrayStatus;
  /** Missed calls not yet seen in the history. */
  missedCount: number;
  /** A call rings here right now (tray icon animates, taskbar flashes). */
  ringing: boolean;
  tooltip: string;
}

const IN_CALL_PHASES = new Set(['inviting', 'calling', 'ringback', 'accepting', 'active']);

/** The one place that decides what status the tray shows. */
export function trayStatus(snapshot: PhoneSnapshot | null, chosen: UserStatus): TrayStatus {
  if (!snapshot?.user) return 'signed-out';
  const { status } = snapshot.connection;
  if (status === 'offline') return 'offline';
  if (status === 'connecting' || status === 'reconnecting') return 'reconnecting';
  if (snapshot.calls.some((call) => IN_CALL_PHASES.has(call.phase))) return 'in-call';
  if (chosen === 'dnd' || snapshot.presence === 'dnd') return 'dnd';
  return 'online';
}

export function ringingCalls(snapshot: PhoneSnapshot | null) {
  return snapshot?.calls.filter((call) => call.direction === 'incoming' && call.phase === 'incoming') ?? [];
}

const STATUS_TEXT: Record<TrayStatus, keyof HostStrings> = {
  online: 'statusOnline',
  'in-call': 'statusInCall',
  dnd: 'statusDnd',
  reconnecting: 'statusReconnecting',
  offline: 'statusOffline',
  'signed-out': 'statusSignedOut',
};

export function trayView(snapshot: PhoneSnapshot | null, chosen: UserStatus, missedCount: number, strings: HostStrings): TrayView {
  const status = trayStatus(snapshot, chosen);
  const ringing = ringingCalls(snapshot);
  const parts = [`${strings.appName} — ${strings[STATUS_TEXT[status]] as string}`];
  const first = ringing[0];
  if (first) parts.push(strings.ringing(first.peer));
  if (missedCount > 0) parts.push(strings.missedCount(missedCount));
  return { status, missedCount, ringing: ringing.length > 0, tooltip: parts.join('\n') };
}
