import { ProtocolError } from '../../../shared/protocol';
import type { LiveCall } from '../calls/live-call';

/**
 * Which devices speak a protocol too old for a transfer (before 1.3, design D18). Such a device knows neither
 * `call:replaced` nor `call:conference`: it can be a consult's expert (an ordinary call from the agent, merged
 * too: the agent's client mixes), but it cannot be handed a call (complete), and a customer on it cannot be
 * transferred. A device this node does not hold (another node of a cluster) counts as current.
 */
export interface DeviceVersions {
  isOutdated(userId: string, deviceId: string): boolean;
}

export const allCurrent: DeviceVersions = { isOutdated: () => false };

const outdated = (message: string) => new ProtocolError('PEER_OUTDATED', message);

/** call:transfer: the customer's device must understand call:replaced; a blind target's devices too (any may answer). */
export function refuseOutdatedParties(versions: DeviceVersions, customer: { userId: string; deviceId: string }, blindTarget: { userId: string; deviceIds: string[] } | null): void {
  if (versions.isOutdated(customer.userId, customer.deviceId)) throw outdated("The customer's app is too old to be transferred");
  if (blindTarget?.deviceIds.some((deviceId) => versions.isOutdated(blindTarget.userId, deviceId))) {
    throw outdated("The target's app is too old to take a blind transfer: consult them instead");
  }
}

/** The expert's answering device can be handed the customer (complete, leave, transfer now). */
export function legCompletable(versions: DeviceVersions, leg: LiveCall | undefined): boolean {
  return !leg?.answeredDeviceId || !versions.isOutdated(leg.callee.userId, leg.answeredDeviceId);
}

export function refuseOutdatedExpert(versions: DeviceVersions, leg: LiveCall | undefined): void {
  if (!legCompletable(versions, leg)) throw outdated("The expert's app is too old to take the call over: merge or cancel instead");
}
