import type { IoSocket } from './socket-types';

/** The one live socket of each (user, device). A newer connection of the same device replaces the older. */
export class ConnectionRegistry {
  private readonly byUser = new Map<string, Map<string, IoSocket>>();

  /** Registers the socket; returns the socket it replaced, if any. */
  attach(socket: IoSocket): IoSocket | undefined {
    const { user, deviceId } = socket.data;
    let devices = this.byUser.get(user.userId);
    if (!devices) this.byUser.set(user.userId, (devices = new Map()));
    const previous = devices.get(deviceId);
    devices.set(deviceId, socket);
    return previous === socket ? undefined : previous;
  }

  /** Forgets the socket; true if it was the device's current one (so the device is now offline). */
  detach(socket: IoSocket): boolean {
    const { user, deviceId } = socket.data;
    const devices = this.byUser.get(user.userId);
    if (devices?.get(deviceId) !== socket) return false;
    devices.delete(deviceId);
    if (devices.size === 0) this.byUser.delete(user.userId);
    return true;
  }

  get(userId: string, deviceId: string): IoSocket | undefined {
    return this.byUser.get(userId)?.get(deviceId);
  }

  devicesOf(userId: string): string[] {
    return [...(this.byUser.get(userId)?.keys() ?? [])];
  }

  socketsOf(userId: string): IoSocket[] {
    return [...(this.byUser.get(userId)?.values() ?? [])];
  }

  get size(): number {
    let count = 0;
    this.byUser.forEach((devices) => (count += devices.size));
    return count;
  }
}
