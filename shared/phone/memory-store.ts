import type { RingPolicy } from './api';
import type { PhoneStore } from './ports';

/**
 * A PhoneStore that keeps nothing on disk: for headless clients that choose their device id per run
 * (the bot, benchmarks, integration tests). Desktop and web hosts persist theirs.
 */
export class MemoryStore implements PhoneStore {
  constructor(
    public deviceId: string | null = null,
    public ringPolicy: RingPolicy | null = null,
  ) {}

  loadDeviceId(): string | null {
    return this.deviceId;
  }

  saveDeviceId(deviceId: string): void {
    this.deviceId = deviceId;
  }

  loadRingPolicy(): RingPolicy | null {
    return this.ringPolicy ? { ...this.ringPolicy, blocklist: [...this.ringPolicy.blocklist] } : null;
  }

  saveRingPolicy(policy: RingPolicy): void {
    this.ringPolicy = { ...policy, blocklist: [...policy.blocklist] };
  }
}
