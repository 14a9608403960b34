import type { RequestHandler, Router } from 'express';
import type { CallHooks } from '../calls/call-hooks';
import type { Db } from '../db/database';
import type { Logger } from '../logger';
import type { Http2OriginOptions } from './http2-origin';
import { PushCallNotifier } from './push-call-notifier';
import { readPushConfig } from './push-config';
import { PushDeviceStore } from './push-device-store';
import { closePushProviders, createPushProviders } from './push-providers';
import { pushRoutes } from './push-routes';

export interface PushModule {
  /** Register with the call service. */
  hooks: CallHooks;
  /** Mount at /api/push. */
  router: Router;
  close(): void;
}

export interface PushModuleOptions {
  db: Db;
  /** The server's configuration (it includes the push variables, see PUSH_ENV_SHAPE). */
  env: Record<string, unknown>;
  logger: Logger;
  auth: RequestHandler;
  tls?: Http2OriginOptions;
}

/** Mobile reach (issue 6): the push-device registry and VoIP/FCM pushes for the call service. */
export function createPushModule({ db, env, logger, auth, tls }: PushModuleOptions): PushModule {
  const config = readPushConfig(env);
  const store = new PushDeviceStore(db);
  const providers = createPushProviders(config, logger, tls);
  const notifier = new PushCallNotifier({ store, providers, logger, cancelWindowMs: config.cancelWindowMs });
  return {
    hooks: notifier,
    router: pushRoutes({
      store,
      auth,
      logger,
      apnsBundleId: config.apns?.bundleId ?? null,
      defaultApnsEnvironment: config.apnsEnvironment,
    }),
    close() {
      notifier.close();
      closePushProviders(providers);
    },
  };
}
