import { prepared, type Db } from '../db/database';
import { migrateModule, type Migration } from '../db/migrations';
import type { ApnsEnvironment, PushDevice, PushPlatform } from '../../../shared/protocol/push';

/** The push module's schema steps (versioned in module_versions under 'push'). Append only. */
export const PUSH_MIGRATIONS: readonly Migration[] = [
  `
  CREATE TABLE push_devices (
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    device_id   TEXT NOT NULL,
    platform    TEXT NOT NULL CHECK (platform IN ('ios-voip', 'android-fcm')),
    token       TEXT NOT NULL,
    bundle_id   TEXT,
    environment TEXT CHECK (environment IN ('sandbox', 'production')),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (user_id, device_id)
  );
  CREATE UNIQUE INDEX push_devices_token ON push_devices (platform, token);

  -- Time from the invite to the first push-provider acknowledgement, for calls that pushed a phone.
  ALTER TABLE calls ADD COLUMN push_latency_ms INTEGER;
  `,
];

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

/** SQL for push_devices and the push latency of call records. */
export class PushDeviceStore {
  constructor(private readonly db: Db) {
    migrateModule(db, 'push', PUSH_MIGRATIONS);
  }

  /**
   * Registers or updates (user, device). A token belongs to one installation: a registration
   * elsewhere (another account signed in on the same phone) takes it over.
   */
  upsert(device: Omit<StoredPushDevice, 'updatedAt'>, now = new Date()): StoredPushDevice {
    const at = now.toISOString();
    this.db.transaction(() => {
      const releaseToken = prepared(this.db, 'DELETE FROM push_devices WHERE platform = ? AND token = ? AND NOT (user_id = ? AND device_id = ?)');
      releaseToken.run(device.platform, device.token, device.userId, device.deviceId);
      prepared(
        this.db,
        `INSERT INTO push_devices (user_id, device_id, platform, token, bundle_id, environment, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (user_id, device_id) DO UPDATE SET platform = excluded.platform, token = excluded.token,
           bundle_id = excluded.bundle_id, environment = excluded.environment, updated_at = excluded.updated_at`,
      ).run(device.userId, device.deviceId, device.platform, device.token, device.bundleId, device.environment, at, at);
    })();
    return { ...device, updatedAt: at };
  }

  /** Returns false when there was nothing to remove. */
  remove(userId: string, deviceId: string): boolean {
    return prepared(this.db, 'DELETE FROM push_devices WHERE user_id = ? AND device_id = ?').run(userId, deviceId).changes === 1;
  }

  /** Deletes a token the provider called dead, unless the device has re-registered another one since. */
  removeDeadToken(platform: PushPlatform, token: string): StoredPushDevice | undefined {
    const row = prepared(this.db, 'DELETE FROM push_devices WHERE platform = ? AND token = ? RETURNING *').get(platform, token) as Row | undefined;
    return row ? fromRow(row) : undefined;
  }

  listForUser(userId: string): StoredPushDevice[] {
    const rows = prepared(this.db, 'SELECT * FROM push_devices WHERE user_id = ? ORDER BY device_id').all(userId) as Row[];
    return rows.map(fromRow);
  }

  /** Keeps the first acknowledgement's latency: later ones (other devices, cancels) do not overwrite it. */
  recordPushLatency(callId: string, latencyMs: number): void {
    const record = prepared(this.db, 'UPDATE calls SET push_latency_ms = ? WHERE id = ? AND push_latency_ms IS NULL');
    record.run(Math.max(0, Math.round(latencyMs)), callId);
  }

  pushLatency(callId: string): number | null {
    const row = prepared(this.db, 'SELECT push_latency_ms FROM calls WHERE id = ?').get(callId) as { push_latency_ms: number | null } | undefined;
    return row?.push_latency_ms ?? null;
  }
}
