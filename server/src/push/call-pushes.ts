import type { EndReason, UserIdentity } from '../../../shared/protocol';
import type { LiveCall } from '../calls/live-call';
import type { OwedCallCancel } from './cancel-retry-timer';
import type { StoredPushDevice } from './push-device-store';

export interface PushedDevice {
  device: StoredPushDevice;
  /** 'failed': the provider refused for good, so the phone never rang and needs no cancel. */
  invite: 'pending' | 'delivered' | 'failed';
}

/** The pushes of one call, from the invite until its cancel pushes went out. */
export interface CallPushes {
  callId: string;
  caller: UserIdentity;
  media: LiveCall['media'];
  startedAt: number;
  devices: Map<string, PushedDevice>;
  /** Calls off invite pushes still being retried when the call stops ringing. */
  invites: AbortController;
}

export function callPushes(call: Pick<LiveCall, 'callId' | 'caller' | 'media' | 'startedAt'>, devices: readonly StoredPushDevice[], invite: PushedDevice['invite']): CallPushes {
  return {
    callId: call.callId,
    caller: call.caller,
    media: call.media,
    startedAt: call.startedAt,
    devices: new Map(devices.map((device) => [device.deviceId, { device, invite }])),
    invites: new AbortController(),
  };
}

/**
 * What the phones of a call are owed once it stops ringing: those this node pushed the invite to (`pushes`, but a
 * refused one), or, when another node may have pushed (shared calls), every device the call rang; never the one that
 * answered. Null when none is.
 */
export function owedCallCancel(
  call: Readonly<LiveCall>,
  pushes: CallPushes | undefined,
  sharedCalls: boolean | undefined,
  stop: { reason: EndReason; answeredDeviceId: string | null; until: number },
): OwedCallCancel | null {
  const rung = pushes
    ? [...pushes.devices.values()].filter((pushed) => pushed.invite !== 'failed').map((pushed) => pushed.device.deviceId)
    : sharedCalls
      ? [...call.delivered]
      : [];
  const deviceIds = rung.filter((deviceId) => deviceId !== stop.answeredDeviceId);
  if (deviceIds.length === 0) return null;
  return { callId: call.callId, userId: call.callee.userId, deviceIds, until: stop.until, reason: stop.reason, caller: call.caller, media: call.media };
}
