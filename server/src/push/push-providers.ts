import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { PushPlatform } from '../../../shared/protocol/push';
import { ApnsClient } from './apns-client';
import { ServiceAccount } from './fcm-access-token';
import { FcmClient } from './fcm-client';
import type { Http2OriginOptions } from './http2-origin';
import type { PushConfig } from './push-config';
import type { PushProvider } from './push-provider';

/** The configured provider for each platform; a platform without one is simply not pushed. */
export type PushProviders = Partial<Record<PushPlatform, PushProvider>>;

/**
 * Builds the provider clients from the configuration, reading the key files once. A provider
 * whose variables are missing or whose key cannot be read is off; that is logged once, here.
 */
export function createPushProviders(config: PushConfig, logger: Logger, tls?: Http2OriginOptions): PushProviders {
  const providers: PushProviders = {};
  const off = [...config.disabledReasons];
  const common = { requestTimeoutMs: config.requestTimeoutMs, retryBaseDelayMs: config.retryBaseDelayMs, tls };

  if (config.apns) {
    try {
      const pem = readFileSync(config.apns.keyFile, 'utf8');
      providers['ios-voip'] = new ApnsClient({
        ...common,
        key: { pem, keyId: config.apns.keyId, teamId: config.apns.teamId },
        bundleId: config.apns.bundleId,
        defaultEnvironment: config.apns.defaultEnvironment,
        originOverride: config.endpointOverride.apns,
      });
    } catch (error) {
      off.push(`APNs off (cannot read APNS_KEY_FILE: ${(error as Error).message})`);
    }
  }

  if (config.fcm) {
    try {
      const account = ServiceAccount.parse(JSON.parse(readFileSync(config.fcm.serviceAccountFile, 'utf8')));
      providers['android-fcm'] = new FcmClient({ ...common, account, originOverride: config.endpointOverride.fcm });
    } catch (error) {
      off.push(`FCM off (cannot use FCM_SERVICE_ACCOUNT_FILE: ${(error as Error).message.split('\n')[0]})`);
    }
  }

  const on = Object.keys(providers);
  if (off.length > 0) logger.warn({ on, off }, `push: ${off.join('; ')}`);
  else logger.info({ on, endpointOverride: config.endpointOverride }, 'push: APNs and FCM configured');
  return providers;
}

export function closePushProviders(providers: PushProviders): void {
  for (const provider of Object.values(providers)) provider?.close();
}
