import type { EndReason } from '../../../shared/protocol';
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
 * - beforeRingingStops: awaited right BEFORE the commit of a transition that stops a ringing call (an answer, an
 *   end): arm here, as a durable timer whose handler re-checks the stored call, what must follow that commit, so a
 *   node that dies right after the commit still leaves it armed (onCallAnswered/onCallEnded then run on no node).
 * - onRingingStopUndone: that commit did not happen (it lost its compare-and-set, or storage refused it): disarm.
 */
export interface CallHooks {
  onInvite?(call: Readonly<LiveCall>, onlineDeviceIds: readonly string[]): readonly string[] | Promise<readonly string[]>;
  onDeviceConnected?(userId: string, deviceId: string): void;
  onCallAnswered?(call: Readonly<LiveCall>): void;
  onCallEnded?(call: Readonly<LiveCall>, end: CallEndFacts): void;
  beforeRingingStops?(call: Readonly<LiveCall>, stop: RingingStop): void | Promise<void>;
  onRingingStopUndone?(call: Readonly<LiveCall>): void;
}

/** How a call ended; `agents`: which parties are members of an open line, when the end's own read said (else unknown). */
export interface CallEndFacts {
  outcome: string;
  endReason: string;
  agents?: ReadonlySet<string>;
}

/** How a ringing call is about to stop: the reason its other devices are told, and the device that answered, if one did. */
export interface RingingStop {
  reason: EndReason;
  answeredDeviceId: string | null;
}

/** The hooks as the call service calls them (onInvite and beforeRingingStops always async). */
export type CombinedHooks = Required<Omit<CallHooks, 'onInvite' | 'beforeRingingStops'>> & {
  onInvite(call: Readonly<LiveCall>, onlineDeviceIds: readonly string[]): Promise<readonly string[]>;
  beforeRingingStops(call: Readonly<LiveCall>, stop: RingingStop): Promise<void>;
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
    async beforeRingingStops(call, stop) {
      await Promise.all(
        hooks.map(async (hook) => {
          try {
            await hook.beforeRingingStops?.(call, stop);
          } catch (error) {
            onError(error, 'beforeRingingStops');
          }
        }),
      );
    },
    onRingingStopUndone: (call) => each('onRingingStopUndone', (hook) => hook.onRingingStopUndone?.(call)),
  };
}
