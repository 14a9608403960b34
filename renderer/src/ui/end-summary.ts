import type { CallView } from '../../../shared/phone/api';

export type SummaryTone = 'ended' | 'missed' | 'problem';

export interface EndSummary {
  tone: SummaryTone;
  /** i18n key under summary.title. (all take {{name}}). */
  title: string;
  /** i18n key under summary.detail., or null. */
  detail: string | null;
}

/**
 * How a call's end reads, told from this side (issue 12, finding 7): the callee of a cancelled or
 * unanswered call was not "cancelled" or "unanswered", it missed a call; the caller of a declined
 * call hears who declined. Pure: unit-tested in end-summary.test.ts.
 */
export function endSummary(call: CallView): EndSummary {
  const outgoing = call.direction === 'outgoing';
  const missed = (detail: string | null): EndSummary => ({ tone: 'missed', title: 'missedFrom', detail });
  switch (call.endReason) {
    case 'cancelled':
      return outgoing ? { tone: 'ended', title: 'youCancelled', detail: null } : missed(null);
    case 'no-answer':
      return outgoing ? { tone: 'ended', title: 'noAnswer', detail: null } : missed(null);
    case 'declined':
      return outgoing ? { tone: 'ended', title: 'peerDeclined', detail: null } : { tone: 'ended', title: 'youDeclined', detail: null };
    case 'busy':
      return outgoing ? { tone: 'ended', title: 'peerBusy', detail: 'inAnotherCall' } : missed('youWereBusy');
    case 'dnd':
      return outgoing ? { tone: 'ended', title: 'peerDnd', detail: null } : missed('dndWasOn');
    case 'unavailable':
      return { tone: 'ended', title: 'peerUnavailable', detail: 'notSignedIn' };
    case 'answered-elsewhere':
      return { tone: 'ended', title: 'answeredElsewhere', detail: null };
    case 'declined-elsewhere':
      return { tone: 'ended', title: 'declinedElsewhere', detail: null };
    case 'media-failed':
      return { tone: 'problem', title: 'dropped', detail: 'mediaFailed' };
    case 'connection-lost':
      return { tone: 'problem', title: 'dropped', detail: 'connectionLost' };
    case 'server-restart':
      return { tone: 'problem', title: 'dropped', detail: 'serverRestart' };
    case 'failed':
      return { tone: 'problem', title: 'failed', detail: null };
    case 'transferred':
      return { tone: 'ended', title: 'transferred', detail: null };
    default:
      return { tone: 'ended', title: 'ended', detail: call.endedBy === 'me' ? 'youHungUp' : call.endedBy === 'peer' ? 'peerHungUp' : null };
  }
}

/**
 * An end with no summary of its own: a call a completed transfer replaced (the screen goes straight on to
 * its successor), and the transferor's consult leg (the customer's call says "You transferred …").
 */
export function isSilentEnd(call: CallView, consultLegs: ReadonlySet<string>): boolean {
  return call.replacedBy !== null || (call.endReason === 'transferred' && consultLegs.has(call.callId));
}

/** A call that ended before the server knew it (the invite failed): the dial box shows why instead. */
export function isUnplacedCall(call: CallView): boolean {
  return call.callId.startsWith('local-');
}
