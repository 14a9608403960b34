import { idleCall, transition } from '../call/model';
import type { CallEvent, CallState, ModelPhase } from '../call/types';
import { CALL_ID, QUEUED_ACK, SAMPLE_EVENTS } from './fixtures';

/** Applies events through the model; throws if one is ignored (a broken test setup). */
export function run(state: CallState, ...events: CallEvent[]): CallState {
  return events.reduce((s, e) => {
    const t = transition(s, e);
    if (t.ignored) throw new Error(`setup event ignored: ${t.ignored}`);
    return t.state;
  }, state);
}

/** A call in each phase, reached through the model itself. Outgoing calls are to BOB, incoming from ALICE; the id is CALL_ID once known. */
export const reach: Record<ModelPhase, () => CallState> = {
  idle: () => idleCall('local-1'),
  inviting: () => run(idleCall('local-1'), SAMPLE_EVENTS.dial),
  calling: () => run(reach.inviting(), SAMPLE_EVENTS['invite-acked']),
  ringback: () => run(reach.calling(), SAMPLE_EVENTS['remote-ringing']),
  incoming: () => run(idleCall(CALL_ID), SAMPLE_EVENTS.incoming),
  accepting: () => run(reach.incoming(), SAMPLE_EVENTS.answer),
  active: () => run(reach.ringback(), SAMPLE_EVENTS['remote-accepted']),
  ended: () => run(reach.active(), SAMPLE_EVENTS.hangup),
};

/** An outgoing call to a service line, waiting in its queue (phase calling, with `line` and `queue`). */
export const reachQueued = (): CallState => run(reach.inviting(), QUEUED_ACK);
