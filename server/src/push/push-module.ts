import type { ExtensionContext, ServerExtension } from '../extension';
import type { Http2OriginOptions } from './http2-origin';
import { PushCallNotifier } from './push-call-notifier';
import { readPushConfig } from './push-config';
import { PushDeviceStore } from './push-device-store';
import { closePushProviders, createPushProviders } from './push-providers';
import { pushRoutes } from './push-routes';

/**
 * Mobile reach (issue 6) as a server extension: the push_devices table, /api/push/devices, and
 * call hooks that push invites to phones without a socket and cancel them when the call stops
 * ringing. `tls` adds trusted CAs for the provider connections (in-process tests only).
 */
export function pushExtension(tls?: Http2OriginOptions) {
  return (ctx: ExtensionContext): ServerExtension => {
    const config = readPushConfig(ctx.config);
    const store = new PushDeviceStore(ctx.db);
    const providers = createPushProviders(config, ctx.logger, tls);
    const notifier = new PushCallNotifier({
      store,
      providers,
      logger: ctx.logger,
      cancelWindowMs: config.cancelWindowMs,
      requestTimeoutMs: config.requestTimeoutMs,
      retryBaseDelayMs: config.retryBaseDelayMs,
      timers: ctx.timers,
      isCallRinging: ctx.isCallRinging,
      sharedCalls: !ctx.soleWriter,
    });
    return {
      name: 'push',
      hooks: notifier,
      router: pushRoutes({
        store,
        auth: ctx.auth,
        logger: ctx.logger,
        apnsBundleId: config.apns?.bundleId ?? null,
        defaultApnsEnvironment: config.apnsEnvironment,
        maxDevices: ctx.config.MAX_DEVICES_PER_USER,
      }),
      close() {
        notifier.close();
        closePushProviders(providers);
      },
    };
  };
}
