import type { RingInstruction } from '../bridge';
import type { Settings } from '../settings';
import type { CallView, PhoneSnapshot, RingPolicy } from './deps';

/** What renderers see while nobody is signed in. */
export const SIGNED_OUT: PhoneSnapshot = {
  connection: { status: 'offline', reason: 'Signed out', code: null },
  user: null,
  deviceId: '',
  presence: 'offline',
  calls: [],
  missedCalls: [],
  transfers: [],
  roles: [],
  agent: null,
  autoAnswer: null,
};

/** PhoneCore's ring policy comes from the settings (the one source of truth): do not disturb applies its mode. */
export function ringPolicyOf(settings: Settings): RingPolicy {
  return {
    dnd: settings.status === 'dnd' ? settings.dndMode : 'off',
    blocklist: settings.blocklist,
    callWaiting: settings.callWaiting,
    autoAnswerLineCalls: settings.autoAnswerLineCalls,
  };
}

/** How the ringtone plays for this call, from the call and the settings. */
export function ringInstruction(call: CallView, settings: Settings, autoAnswer: boolean): RingInstruction {
  return {
    autoAnswer,
    silent: call.silent,
    waiting: call.waiting,
    ringtone: settings.ringtone,
    ringerDeviceId: settings.ringerDeviceId,
    ringOnAllOutputs: settings.ringOnAllOutputs,
  };
}
