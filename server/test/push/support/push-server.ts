import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { AuthResponse } from '../../../../shared/protocol';
import type { RegisterPushDeviceRequest, PushDevice } from '../../../../shared/protocol/push';
import { RawDevice } from '../../helpers/raw-device';
import { api, removeDataDir, startServer, type TestServer } from '../../../../test/support/server';
import { startApnsStandIn, type ApnsStandIn } from './apns-stand-in';
import { startFcmStandIn, type FcmStandIn } from './fcm-stand-in';
import { createTestCredentials, type TestCredentials } from './test-credentials';

/** The real server process with push on, its providers redirected to local stand-ins. */
export interface PushTestBed {
  server: TestServer;
  apns: ApnsStandIn;
  fcm: FcmStandIn;
  credentials: TestCredentials;
  /** A socket device, closed by endTest(). */
  connect(user: AuthResponse, deviceId: string): Promise<RawDevice>;
  /** After each test: closes its sockets and returns (and clears) what the stand-ins found wrong. */
  endTest(): string[];
  registerDevice(accessToken: string, deviceId: string, body: RegisterPushDeviceRequest): Promise<PushDevice>;
  listDevices(accessToken: string): Promise<PushDevice[]>;
  /** Reads the call record straight from the server's SQLite file. */
  callRecord(callId: string): { outcome: string | null; end_reason: string | null; push_latency_ms: number | null; devices_rung: string } | undefined;
  stop(): Promise<void>;
}

export async function startPushTestBed(env: Record<string, string> = {}): Promise<PushTestBed> {
  const credentials = await createTestCredentials();
  const apns = await startApnsStandIn(credentials);
  const fcm = await startFcmStandIn(credentials);
  const server = await startServer({
    env: {
      ...credentials.env,
      PUSH_ENDPOINT_OVERRIDE: `apns=${apns.origin},fcm=${fcm.origin}`,
      PUSH_REQUEST_TIMEOUT_MS: '5000',
      PUSH_RETRY_BASE_MS: '100',
      PUSH_CANCEL_WINDOW_MS: '3000',
      ...env,
    },
  });
  const sockets: RawDevice[] = [];
  return {
    server,
    apns,
    fcm,
    credentials,
    async connect(user, deviceId) {
      const device = await RawDevice.connect(server.url, user.accessToken, deviceId);
      sockets.push(device);
      return device;
    },
    endTest() {
      sockets.splice(0).forEach((device) => device.close());
      return [...apns.recorder.violations.splice(0), ...fcm.recorder.violations.splice(0)];
    },
    async registerDevice(accessToken, deviceId, body) {
      const { device } = await api<{ device: PushDevice }>(server.url, 'PUT', `/api/push/devices/${deviceId}`, body, accessToken);
      return device;
    },
    async listDevices(accessToken) {
      return (await api<{ devices: PushDevice[] }>(server.url, 'GET', '/api/push/devices', undefined, accessToken)).devices;
    },
    callRecord(callId) {
      const db = new Database(join(server.dataDir, 'softphone.db'), { readonly: true, fileMustExist: true });
      try {
        return db.prepare('SELECT outcome, end_reason, push_latency_ms, devices_rung FROM calls WHERE id = ?').get(callId) as ReturnType<PushTestBed['callRecord']>;
      } finally {
        db.close();
      }
    },
    async stop() {
      await server.stop();
      removeDataDir(server);
      await Promise.all([apns.close(), fcm.close()]);
      credentials.remove();
    },
  };
}

/** Polls until `check` returns a value (generous timeout: waiting for an event, not measuring speed). */
export async function eventually<T>(check: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
