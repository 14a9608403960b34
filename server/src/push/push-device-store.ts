import { compileOnce, dialectOf } from '../db/compiled';
import type { Db } from '../db/schema';
import type { ApnsEnvironment, PushDevice, PushPlatform } from '../../../shared/protocol/push';

/** A registered device with its credentials (server side only: the token never leaves). */
export interface StoredPushDevice {
  userId: string;
  deviceId: string;
  platform: PushPlatform;
  token: string;
  bundleId: string | null;
  environment: ApnsEnvironment | null;
  updatedAt: string;
}

interface Row {
  user_id: string;
  device_id: string;
  platform: PushPlatform;
  token: string;
  bundle_id: string | null;
  environment: ApnsEnvironment | null;
  updated_at: string;
}

const fromRow = (row: Row): StoredPushDevice => ({
  userId: row.user_id,
  deviceId: row.device_id,
  platform: row.platform,
  token: row.token,
  bundleId: row.bundle_id,
  environment: row.environment,
  updatedAt: row.updated_at,
});

export const publicView = (device: StoredPushDevice): PushDevice => ({
  deviceId: device.deviceId,
  platform: device.platform,
  bundleId: device.bundleId,
  environment: device.environment,
  updatedAt: device.updatedAt,
});

/** A user's push devices: read at every invite (the callee's phones not on a socket), so compiled once. */
const DEVICES_OF_USER = compileOnce((db, userId: string) => db.selectFrom('push_devices').selectAll().where('user_id', '=', userId).orderBy('device_id'));

/** Queries on push_devices and the push latency of call records (the table is schema step 0006-push-devices). */
export class PushDeviceStore {
  constructor(private readonly db: Db) {}

  /**
   * Registers or updates (user, device). A token belongs to one installation: a registration
   * elsewhere (another account signed in on the same phone) takes it over.
   */
  async upsert(device: Omit<StoredPushDevice, 'updatedAt'>, now = new Date()): Promise<StoredPushDevice> {
    const at = now.toISOString();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .deleteFrom('push_devices')
        .where('platform', '=', device.platform)
        .where('token', '=', device.token)
        .where((eb) => eb.not(eb.and([eb('user_id', '=', device.userId), eb('device_id', '=', device.deviceId)])))
        .execute();
      const fields = { platform: device.platform, token: device.token, bundle_id: device.bundleId, environment: device.environment, updated_at: at };
      await trx
        .insertInto('push_devices')
        .values({ user_id: device.userId, device_id: device.deviceId, created_at: at, ...fields })
        .onConflict((conflict) => conflict.columns(['user_id', 'device_id']).doUpdateSet(fields))
        .execute();
    });
    return { ...device, updatedAt: at };
  }

  /** Returns false when there was nothing to remove. */
  async remove(userId: string, deviceId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('push_devices').where('user_id', '=', userId).where('device_id', '=', deviceId).executeTakeFirst();
    return result.numDeletedRows === 1n;
  }

  /** Deletes a token the provider called dead, unless the device has re-registered another one since. */
  async removeDeadToken(platform: PushPlatform, token: string): Promise<StoredPushDevice | undefined> {
    const row = await this.db.deleteFrom('push_devices').where('platform', '=', platform).where('token', '=', token).returningAll().executeTakeFirst();
    return row ? fromRow(row) : undefined;
  }

  async listForUser(userId: string): Promise<StoredPushDevice[]> {
    const { rows } = await this.db.executeQuery(DEVICES_OF_USER(dialectOf(this.db), this.db, userId));
    return (rows as Row[]).map(fromRow);
  }

  /** Keeps the first acknowledgement's latency: later ones (other devices, cancels) do not overwrite it. */
  async recordPushLatency(callId: string, latencyMs: number): Promise<void> {
    await this.db
      .updateTable('calls')
      .set({ push_latency_ms: Math.max(0, Math.round(latencyMs)) })
      .where('id', '=', callId)
      .where('push_latency_ms', 'is', null)
      .execute();
  }

  async pushLatency(callId: string): Promise<number | null> {
    const row = await this.db.selectFrom('calls').select('push_latency_ms').where('id', '=', callId).executeTakeFirst();
    return row?.push_latency_ms ?? null;
  }
}
