import type { PhoneSnapshot } from './deps';

export type ShortcutAction = 'answer' | 'declineOrHangup' | 'toggleMute';

export type ShortcutDecision =
  | { kind: 'answer'; callId: string }
  | { kind: 'decline'; callId: string }
  | { kind: 'end'; callId: string }
  | { kind: 'toggle-mute' }
  | { kind: 'nothing' };

const ENDABLE = new Set(['inviting', 'calling', 'ringback', 'accepting', 'active']);

/** What a global shortcut does right now. Decline wins over hang-up when a call rings (call waiting). */
export function decideShortcut(action: ShortcutAction, snapshot: PhoneSnapshot | null): ShortcutDecision {
  const calls = snapshot?.calls ?? [];
  const ringing = calls.find((call) => call.direction === 'incoming' && call.phase === 'incoming');
  switch (action) {
    case 'answer':
      return ringing ? { kind: 'answer', callId: ringing.callId } : { kind: 'nothing' };
    case 'declineOrHangup': {
      if (ringing) return { kind: 'decline', callId: ringing.callId };
      const current = calls.find((call) => ENDABLE.has(call.phase));
      return current ? { kind: 'end', callId: current.callId } : { kind: 'nothing' };
    }
    case 'toggleMute':
      return calls.some((call) => call.phase === 'active') ? { kind: 'toggle-mute' } : { kind: 'nothing' };
  }
}

export interface ShortcutActions {
  answer(callId: string): Promise<void>;
  decline(callId: string): Promise<void>;
  end(callId: string): Promise<void>;
  toggleMute(): void;
}

export async function runShortcutDecision(decision: ShortcutDecision, actions: ShortcutActions): Promise<void> {
  switch (decision.kind) {
    case 'answer':
      return actions.answer(decision.callId);
    case 'decline':
      return actions.decline(decision.callId);
    case 'end':
      return actions.end(decision.callId);
    case 'toggle-mute':
      return actions.toggleMute();
    case 'nothing':
      return;
  }
}
