import { ProtocolError, type UserIdentity } from '../../../shared/protocol';
import { isActiveDevice, isCallerDevice, type LiveCall } from './live-call';

/** The device performing an action, as the handshake identified it. */
export interface Actor {
  user: UserIdentity;
  deviceId: string;
}

export const notFound = () => new ProtocolError('CALL_NOT_FOUND', 'No such call');

/**
 * A call the actor takes part in. Non-participants get CALL_NOT_FOUND, exactly as for a call that
 * does not exist, so nothing leaks. Participants: the caller's inviting device; while ringing, every
 * device of the callee; once answered, the two connected devices (the callee's other devices still
 * see the call so a late accept gets ALREADY_ANSWERED).
 */
export function participantCall(call: LiveCall | undefined, actor: Actor): LiveCall {
  if (!call) throw notFound();
  if (isCallerDevice(call, actor.user.userId, actor.deviceId)) return call;
  if (call.callee.userId === actor.user.userId) return call;
  throw notFound();
}

/** For hangup, signal and hold: only the two devices of an answered call. */
export function activeCallOf(found: LiveCall | undefined, actor: Actor): LiveCall {
  const call = participantCall(found, actor);
  if (isActiveDevice(call, actor.user.userId, actor.deviceId)) return call;
  if (call.status === 'active') throw notFound();
  throw new ProtocolError('INVALID_STATE', 'The call has not been answered yet');
}

/** For ringing, accept and reject: a callee device the call rings on. */
export function ringingHere(call: LiveCall, actor: Actor): void {
  if (call.callee.userId !== actor.user.userId) throw new ProtocolError('INVALID_STATE', 'Only the callee can do this');
  if (call.status === 'active') throw new ProtocolError('ALREADY_ANSWERED', 'The call was already answered');
  if (!call.delivered.has(actor.deviceId) || call.declined.has(actor.deviceId)) {
    throw new ProtocolError('NOT_RINGING_HERE', 'The call does not ring on this device');
  }
}
