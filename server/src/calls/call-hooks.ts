import type { LiveCall } from './live-call';

/**
 * Observer interface of the call service, for features that reach devices without a socket
 * (issue 6: VoIP push to phones). Every hook is optional and called synchronously; a hook must not
 * throw (errors are logged and ignored) and must do slow work (network) asynchronously itself.
 *
 * - onInvite: called after the call row is written and `call:incoming` went to every online device,
 *   BEFORE the caller's ack (awaited: it may read storage, e.g. the push devices). Return the device ids you will push the invite to: they count as ringing
 *   targets (the ack is 'ringing' even with no socket device), are stored in the call's devicesRung,
 *   may accept/decline once they connect (they get the call in session:ready.pendingInvites), and,
 *   like a disconnected device, keep an "every device declined" end from happening until they decline.
 * - onDeviceConnected: a device of the user completed the handshake (after session:ready was sent).
 * - onCallAnswered: a callee device accepted; other pushed phones should stop ringing.
 * - onCallEnded: the call is over and recorded (every end, including 'unavailable'); send cancel pushes.
 */
export interface CallHooks {
  onInvite?(call: Readonly<LiveCall>, onlineDeviceIds: readonly string[]): readonly string[] | Promise<readonly string[]>;
  onDeviceConnected?(userId: string, deviceId: string): void;
  onCallAnswered?(call: Readonly<LiveCall>): void;
  onCallEnded?(call: Readonly<LiveCall>, end: { outcome: string; endReason: string }): void;
}

/** The hooks as the call service calls them (onInvite always async). */
export type CombinedHooks = Required<Omit<CallHooks, 'onInvite'>> & {
  onInvite(call: Readonly<LiveCall>, onlineDeviceIds: readonly string[]): Promise<readonly string[]>;
};

/** Runs several hook sets as one; a failing hook never breaks call routing. */
export function combineHooks(hooks: readonly CallHooks[], onError: (error: unknown, hook: string) => void): CombinedHooks {
  const each = <K extends keyof CallHooks>(name: K, run: (hook: CallHooks) => void) => {
    for (const hook of hooks) {
      try {
        run(hook);
      } catch (error) {
        onError(error, name);
      }
    }
  };
  return {
    async onInvite(call, online) {
      const answers = await Promise.all(
        hooks.map(async (hook) => {
          try {
            return (await hook.onInvite?.(call, online)) ?? [];
          } catch (error) {
            onError(error, 'onInvite');
            return [];
          }
        }),
      );
      return [...new Set(answers.flat())];
    },
    onDeviceConnected: (userId, deviceId) => each('onDeviceConnected', (hook) => hook.onDeviceConnected?.(userId, deviceId)),
    onCallAnswered: (call) => each('onCallAnswered', (hook) => hook.onCallAnswered?.(call)),
    onCallEnded: (call, end) => each('onCallEnded', (hook) => hook.onCallEnded?.(call, end)),
  };
}
