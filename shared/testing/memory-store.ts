import type { RingPolicy } from '../phone/api';
import type { PhoneStore } from '../phone/ports';

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
