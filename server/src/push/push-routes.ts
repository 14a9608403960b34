import { Router, type RequestHandler } from 'express';
import { DeviceId, ProtocolError, parseOrThrow } from '../../../shared/protocol';
import { RegisterPushDeviceRequest, type ApnsEnvironment, type PushDevice } from '../../../shared/protocol/push';
import { authedUserId } from '../http/require-auth';
import type { Logger } from '../logger';
import { publicView, type PushDeviceStore } from './push-device-store';

export interface PushRoutesOptions {
  store: PushDeviceStore;
  auth: RequestHandler;
  logger: Logger;
  /** APNS_BUNDLE_ID: iOS registrations for another app are refused (APNs would answer TopicDisallowed). */
  apnsBundleId: string | null;
  /** APNS_ENV: the environment of iOS registrations that do not name one. */
  defaultApnsEnvironment: ApnsEnvironment;
  /** MAX_DEVICES_PER_USER: an invite is pushed to every registered phone, so their number is capped too. */
  maxDevices: number;
}

/** /api/push/devices: the signed-in user's push devices (list, register or update, unregister). Mount under /api. */
export function pushRoutes({ store, auth, logger, apnsBundleId, defaultApnsEnvironment, maxDevices }: PushRoutesOptions): Router {
  const router = Router();
  // Only /api/push/* requires the bearer token here; other /api routes pass through untouched.
  router.use('/push', auth);

  router.get('/push/devices', async (req, res) => {
    const devices: PushDevice[] = (await store.listForUser(authedUserId(req))).map(publicView);
    res.json({ devices });
  });

  router.put('/push/devices/:deviceId', async (req, res) => {
    const userId = authedUserId(req);
    const deviceId = parseOrThrow(DeviceId, req.params.deviceId, 'device id');
    const body = parseOrThrow(RegisterPushDeviceRequest, req.body, 'push device');
    if (body.platform === 'ios-voip' && apnsBundleId && body.bundleId !== apnsBundleId) {
      throw new ProtocolError('VALIDATION_FAILED', `bundleId must be ${apnsBundleId}`, [{ path: 'bundleId', message: `expected ${apnsBundleId}` }]);
    }
    const registered = await store.listForUser(userId);
    if (registered.length >= maxDevices && !registered.some((device) => device.deviceId === deviceId)) {
      throw new ProtocolError('TOO_MANY_DEVICES', `At most ${maxDevices} push devices; unregister one first`);
    }
    const device = await store.upsert(
      body.platform === 'ios-voip'
        ? { userId, deviceId, platform: body.platform, token: body.token, bundleId: body.bundleId, environment: body.environment ?? defaultApnsEnvironment }
        : { userId, deviceId, platform: body.platform, token: body.token, bundleId: null, environment: null },
    );
    logger.info({ event: 'push-device-registered', userId, deviceId, platform: device.platform }, 'push device registered');
    res.json({ device: publicView(device) });
  });

  router.delete('/push/devices/:deviceId', async (req, res) => {
    const userId = authedUserId(req);
    const deviceId = parseOrThrow(DeviceId, req.params.deviceId, 'device id');
    if (!(await store.remove(userId, deviceId))) throw new ProtocolError('NOT_FOUND', 'No push device with this id');
    logger.info({ event: 'push-device-unregistered', userId, deviceId }, 'push device unregistered');
    res.status(204).end();
  });

  return router;
}
