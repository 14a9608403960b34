import { z } from 'zod';
import { CallId, DeviceId, EndReason, Media, UserIdentity } from './entities';

/**
 * Mobile reach (issue 6): the push-device registry API and the push payloads the mobile apps receive.
 * iOS gets the JSON payload as a PushKit VoIP push; Android gets the same fields flattened to
 * strings as FCM `data`.
 */

export const PushPlatform = z.enum(['ios-voip', 'android-fcm']);
export type PushPlatform = z.infer<typeof PushPlatform>;

export const ApnsEnvironment = z.enum(['sandbox', 'production']);
export type ApnsEnvironment = z.infer<typeof ApnsEnvironment>;

/** A PushKit token: 32 bytes in hex today; Apple says not to rely on the length. */
export const ApnsDeviceToken = z.string().regex(/^[0-9a-fA-F]{32,512}$/, 'hexadecimal APNs device token');
/** An FCM registration token: opaque, printable, bounded. */
export const FcmRegistrationToken = z.string().min(16).max(4_096).regex(/^[\x21-\x7e]+$/, 'printable FCM registration token');
/** Reverse-DNS application id, e.g. com.example.softphone (without the `.voip` suffix). */
export const BundleId = z
  .string()
  .max(155)
  .regex(/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/, 'reverse-DNS bundle id');

/** Body of `PUT /api/push/devices/:deviceId`: register or update this device's push credentials. */
export const RegisterPushDeviceRequest = z.discriminatedUnion('platform', [
  z
    .object({
      platform: z.literal('ios-voip'),
      token: ApnsDeviceToken,
      bundleId: BundleId,
      /** Defaults to the server's APNS_ENV. */
      environment: ApnsEnvironment.optional(),
    })
    .strict(),
  z.object({ platform: z.literal('android-fcm'), token: FcmRegistrationToken }).strict(),
]);
export type RegisterPushDeviceRequest = z.infer<typeof RegisterPushDeviceRequest>;

/** A registered push device as its owner sees it (the token is not echoed back). */
export const PushDevice = z.object({
  deviceId: DeviceId,
  platform: PushPlatform,
  bundleId: BundleId.nullable(),
  environment: ApnsEnvironment.nullable(),
  updatedAt: z.string().datetime(),
});
export type PushDevice = z.infer<typeof PushDevice>;

export const PushDeviceResponse = z.object({ device: PushDevice });
export const PushDeviceListResponse = z.object({ devices: z.array(PushDevice) });

export const PUSH_API_ROUTES = {
  list: 'GET /api/push/devices',
  register: 'PUT /api/push/devices/:deviceId',
  unregister: 'DELETE /api/push/devices/:deviceId',
} as const;

// ---------------------------------------------------------------------------------------------
// Payloads.
// ---------------------------------------------------------------------------------------------

/** Wakes the phone: report the call to CallKit / Telecom at once, then connect the socket. */
export const PushInvite = z
  .object({
    type: z.literal('invite'),
    callId: CallId,
    caller: UserIdentity,
    media: Media,
    /** Server clock when the push was built; lets the app judge how late it arrived. */
    serverTime: z.string().datetime(),
    /** When the server stops ringing. */
    ringUntil: z.string().datetime(),
  })
  .strict();
export type PushInvite = z.infer<typeof PushInvite>;

/** Stops the ring UI for a call that ended before this phone answered it. */
export const PushCancel = z
  .object({
    type: z.literal('cancel'),
    callId: CallId,
    caller: UserIdentity,
    media: Media,
    serverTime: z.string().datetime(),
    reason: EndReason,
  })
  .strict();
export type PushCancel = z.infer<typeof PushCancel>;

export const PushPayload = z.discriminatedUnion('type', [PushInvite, PushCancel]);
export type PushPayload = z.infer<typeof PushPayload>;

/** FCM `data` carries only strings: the payload, flattened. */
const FcmCallFields = {
  callId: CallId,
  callerUserId: z.string(),
  callerUsername: z.string(),
  callerDisplayName: z.string(),
  media: Media,
  serverTime: z.string().datetime(),
};
export const FcmPushData = z.union([
  z.object({ type: z.literal('invite'), ...FcmCallFields, ringUntil: z.string().datetime() }).strict(),
  z.object({ type: z.literal('cancel'), ...FcmCallFields, reason: EndReason }).strict(),
]);
export type FcmPushData = z.infer<typeof FcmPushData>;

export function toFcmData(payload: PushPayload): FcmPushData {
  const common = {
    callId: payload.callId,
    callerUserId: payload.caller.userId,
    callerUsername: payload.caller.username,
    callerDisplayName: payload.caller.displayName,
    media: payload.media,
    serverTime: payload.serverTime,
  };
  return payload.type === 'invite'
    ? { type: 'invite', ...common, ringUntil: payload.ringUntil }
    : { type: 'cancel', ...common, reason: payload.reason };
}
