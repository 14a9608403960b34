import { describe, expect, it } from 'vitest';
import { parseEndpointOverride, readPushConfig } from '../../src/push/push-config';
import { parseRetryAfter } from '../../src/push/retry-within-deadline';

const APNS = { APNS_KEY_FILE: '/k.p8', APNS_KEY_ID: 'KEY', APNS_TEAM_ID: 'TEAM', APNS_BUNDLE_ID: 'com.example.app' };

describe('push configuration', () => {
  it('turns nothing on without variables, and says why', () => {
    const config = readPushConfig({});
    expect(config.apns).toBeNull();
    expect(config.fcm).toBeNull();
    expect(config.disabledReasons).toEqual([
      'APNs off (missing APNS_KEY_FILE, APNS_KEY_ID, APNS_TEAM_ID, APNS_BUNDLE_ID)',
      'FCM off (missing FCM_SERVICE_ACCOUNT_FILE)',
    ]);
    expect(config.endpointOverride).toEqual({ apns: null, fcm: null });
  });

  it('names the missing APNs variable when APNs is half configured', () => {
    const config = readPushConfig({ ...APNS, APNS_TEAM_ID: undefined, FCM_SERVICE_ACCOUNT_FILE: '/sa.json' });
    expect(config.apns).toBeNull();
    expect(config.fcm).toEqual({ serviceAccountFile: '/sa.json' });
    expect(config.disabledReasons).toEqual(['APNs off (missing APNS_TEAM_ID)']);
  });

  it('reads a full configuration with defaults', () => {
    const config = readPushConfig({ ...APNS, FCM_SERVICE_ACCOUNT_FILE: '/sa.json' });
    expect(config.apns).toEqual({ keyFile: '/k.p8', keyId: 'KEY', teamId: 'TEAM', bundleId: 'com.example.app', defaultEnvironment: 'production' });
    expect(config.disabledReasons).toEqual([]);
    expect(config.requestTimeoutMs).toBe(10_000);
    expect(readPushConfig({ ...APNS, APNS_ENV: 'sandbox' }).apns?.defaultEnvironment).toBe('sandbox');
  });

  it('refuses malformed values', () => {
    expect(() => readPushConfig({ APNS_ENV: 'staging' })).toThrow(/APNS_ENV/);
    expect(() => readPushConfig({ APNS_BUNDLE_ID: 'not a bundle' })).toThrow(/APNS_BUNDLE_ID/);
    expect(() => readPushConfig({ PUSH_ENDPOINT_OVERRIDE: 'ftp://x' })).toThrow();
    expect(() => readPushConfig({ PUSH_ENDPOINT_OVERRIDE: 'gcm=https://127.0.0.1:1' })).toThrow(/unknown provider/);
  });

  it('reads the endpoint override for both providers or for each', () => {
    expect(parseEndpointOverride('https://127.0.0.1:8443/')).toEqual({ apns: 'https://127.0.0.1:8443', fcm: 'https://127.0.0.1:8443' });
    expect(parseEndpointOverride('apns=https://127.0.0.1:1, fcm=https://127.0.0.1:2')).toEqual({ apns: 'https://127.0.0.1:1', fcm: 'https://127.0.0.1:2' });
    expect(parseEndpointOverride('fcm=https://127.0.0.1:2')).toEqual({ apns: null, fcm: 'https://127.0.0.1:2' });
  });

  it('reads Retry-After as seconds or as a date', () => {
    const now = Date.UTC(2030, 0, 1);
    expect(parseRetryAfter('3', now)).toBe(3_000);
    expect(parseRetryAfter(new Date(now + 5_000).toUTCString(), now)).toBe(5_000);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });
});
