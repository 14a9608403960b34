import type { TrayStatus } from '../bridge';
import type { AgentStatus, ChosenAwayReason } from '../protocol';
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
  /** A support-line agent's status items (issue 14); empty for everyone else. */
  agentMenu: AgentTrayEntry[];
}

/** What an agent's tray item does. */
export type AgentTrayCommand = { kind: 'set-status'; status: UserStatus; awayReason?: ChosenAwayReason } | { kind: 'finish-wrap-up'; callId: string };

/** One item of the agent's part of the tray menu: a radio choice, an action, or a separator. */
export type AgentTrayEntry =
  | { type: 'choice'; label: string; checked: boolean; command: AgentTrayCommand }
  | { type: 'action'; label: string; enabled: boolean; command: AgentTrayCommand }
  | { type: 'separator' };

const AWAY_CHOICES: ChosenAwayReason[] = ['break', 'lunch', 'training', 'meeting', 'other'];

/**
 * The agent's status in the tray, one click each (issue 14): "Back to available" on top after a missed
 * offer, "Finish wrap-up" while one runs (disabled, saying why, while a required outcome is missing),
 * then Available, Away with each reason, Do not disturb. The chosen status is checked; what the phone
 * sets (busy, wrap-up) shows in the tooltip, not as a choice.
 */
export function agentTrayMenu(agent: AgentStatus | null, chosen: { status: UserStatus; awayReason: ChosenAwayReason }, strings: HostStrings): AgentTrayEntry[] {
  if (!agent) return [];
  const entries: AgentTrayEntry[] = [];
  if (agent.chosen === 'away' && agent.reason === 'missed-offer') {
    entries.push({ type: 'action', label: strings.menuBackToAvailable, enabled: true, command: { kind: 'set-status', status: 'available' } });
  }
  const wrapUp = agent.wrapUp && !agent.wrapUp.endedAt ? agent.wrapUp : null;
  if (wrapUp) {
    const blocked = wrapUp.outcomeRequired && !wrapUp.draft.outcomeCode;
    entries.push({
      type: 'action',
      label: blocked ? strings.menuFinishWrapUpNeedsOutcome : strings.menuFinishWrapUp,
      enabled: !blocked,
      command: { kind: 'finish-wrap-up', callId: wrapUp.callId },
    });
  }
  if (entries.length) entries.push({ type: 'separator' });
  const missed = agent.reason === 'missed-offer';
  entries.push({ type: 'choice', label: strings.agentStates.available, checked: chosen.status === 'available', command: { kind: 'set-status', status: 'available' } });
  for (const reason of AWAY_CHOICES) {
    entries.push({
      type: 'choice',
      label: strings.awayWith(strings.awayReasons[reason]),
      checked: chosen.status === 'away' && !missed && chosen.awayReason === reason,
      command: { kind: 'set-status', status: 'away', awayReason: reason },
    });
  }
  entries.push({ type: 'choice', label: strings.agentStates.dnd, checked: chosen.status === 'dnd', command: { kind: 'set-status', status: 'dnd' } });
  return entries;
}

/** "Away: Lunch", "Wrap-up": an agent's state in the host's words. */
export function agentStateLabel(agent: Pick<AgentStatus, 'state' | 'reason'>, strings: HostStrings): string {
  return agent.state === 'away' && agent.reason ? strings.awayWith(strings.awayReasons[agent.reason]) : strings.agentStates[agent.state];
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

export function trayView(
  snapshot: PhoneSnapshot | null,
  chosen: { status: UserStatus; awayReason: ChosenAwayReason },
  missedCount: number,
  strings: HostStrings,
): TrayView {
  const status = trayStatus(snapshot, chosen.status);
  const ringing = ringingCalls(snapshot);
  const agent = status === 'signed-out' ? null : (snapshot?.agent ?? null);
  // An agent reads its agent state where the phone is usable (online or in a call); connection trouble says so instead.
  const words = agent && (status === 'online' || status === 'in-call' || status === 'dnd') ? agentStateLabel(agent, strings) : (strings[STATUS_TEXT[status]] as string);
  const parts = [`${strings.appName} — ${words}`];
  const first = ringing[0];
  if (first) parts.push(strings.ringing(first.peer));
  if (missedCount > 0) parts.push(strings.missedCount(missedCount));
  return { status, missedCount, ringing: ringing.length > 0, tooltip: parts.join('\n'), agentMenu: agentTrayMenu(agent, chosen, strings) };
}
