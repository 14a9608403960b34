import type { PhoneSnapshot } from './deps';

export type ShortcutAction = 'answer' | 'declineOrHangup' | 'toggleMute' | 'toggleAvailable';

export type ShortcutDecision =
  | { kind: 'answer'; callId: string }
  | { kind: 'decline'; callId: string }
  | { kind: 'end'; callId: string }
  | { kind: 'toggle-mute' }
  | { kind: 'set-status'; status: 'available' | 'away' }
  | { kind: 'finish-wrap-up'; callId: string }
  | { kind: 'show-wrap-up' }
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
    case 'toggleAvailable':
      return toggleAvailable(snapshot);
  }
}

/**
 * The agent's one key (issue 14): in a running wrap-up it is Done (or shows the panel when the line
 * needs an outcome the draft lacks); available goes away (with the settings' reason); away or do not
 * disturb comes back to available. Works for any user: without an agent state the presence decides.
 */
function toggleAvailable(snapshot: PhoneSnapshot | null): ShortcutDecision {
  if (!snapshot?.user) return { kind: 'nothing' };
  const wrapUp = snapshot.agent?.wrapUp;
  if (wrapUp && !wrapUp.endedAt) {
    return wrapUp.outcomeRequired && !wrapUp.draft.outcomeCode ? { kind: 'show-wrap-up' } : { kind: 'finish-wrap-up', callId: wrapUp.callId };
  }
  const chosen = snapshot.agent?.chosen ?? snapshot.presence;
  return { kind: 'set-status', status: chosen === 'online' ? 'away' : 'available' };
}

export interface ShortcutActions {
  answer(callId: string): Promise<void>;
  decline(callId: string): Promise<void>;
  end(callId: string): Promise<void>;
  toggleMute(): void;
  setStatus(status: 'available' | 'away'): Promise<unknown>;
  finishWrapUp(callId: string): Promise<unknown>;
  showWrapUp(): void;
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
    case 'set-status':
      await actions.setStatus(decision.status);
      return;
    case 'finish-wrap-up':
      await actions.finishWrapUp(decision.callId);
      return;
    case 'show-wrap-up':
      return actions.showWrapUp();
    case 'nothing':
      return;
  }
}
