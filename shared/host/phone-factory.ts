import { createPhoneCore, createSocketIoTransport, systemClock } from '../phone';
import type { Clock, Logger, Notifier, PhoneStore } from '../phone/ports';
import type { Transport } from '../phone/transport';
import type { RingPolicy } from './deps';
import type { PhoneFactory } from './ports';

/** PhoneCore's own notifier is not used: the host core drives every ring surface from PhoneCore's events. */
const HOST_DRIVEN_NOTIFIER: Notifier = { startRinging() {}, stopRinging() {}, missedCalls() {} };

export interface DeviceIdStore {
  load(): string | null;
  save(deviceId: string): void;
}

export interface PhoneFactoryDeps {
  /** Keeps this installation's device id across restarts. */
  deviceIds: DeviceIdStore;
  logger: Logger;
  clock?: Clock;
  /** Default: socket.io to the server URL. */
  transport?: (serverUrl: string) => Transport;
}

/** The real PhoneCore, with the ring policy coming from the host's settings (the one source of truth). */
export function phoneCoreFactory(deps: PhoneFactoryDeps): PhoneFactory {
  return ({ serverUrl, tokens, ringPolicy }) => {
    let policy: RingPolicy = ringPolicy;
    const store: PhoneStore = {
      loadDeviceId: () => deps.deviceIds.load(),
      saveDeviceId: (deviceId) => deps.deviceIds.save(deviceId),
      loadRingPolicy: () => policy,
      saveRingPolicy: (next) => {
        policy = next;
      },
    };
    return createPhoneCore({
      transport: deps.transport?.(serverUrl) ?? createSocketIoTransport({ url: serverUrl }),
      clock: deps.clock ?? systemClock(),
      store,
      notifier: HOST_DRIVEN_NOTIFIER,
      auth: tokens,
      logger: deps.logger,
      // Both hosts run the media in a renderer, which can restart a call's media after a reload.
      adoptAnsweredCalls: true,
    });
  };
}
