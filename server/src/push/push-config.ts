import { z } from 'zod';
import { ApnsEnvironment, BundleId } from '../../../shared/protocol/push';

/** Where the providers live. PUSH_ENDPOINT_OVERRIDE replaces these (tests point them at local stand-ins). */
export const PROVIDER_ORIGINS = {
  apns: { production: 'https://api.push.apple.com', sandbox: 'https://api.sandbox.push.apple.com' },
  fcmSend: 'https://fcm.googleapis.com',
} as const;

export interface ApnsConfig {
  keyFile: string;
  keyId: string;
  teamId: string;
  /** The app's bundle id; the VoIP topic is `<bundleId>.voip`. Registrations must match it. */
  bundleId: string;
  /** Environment of devices that register without one. */
  defaultEnvironment: ApnsEnvironment;
}

export interface FcmConfig {
  serviceAccountFile: string;
}

/** Origins (scheme://host:port) that replace the real providers'. */
export interface EndpointOverride {
  apns: string | null;
  fcm: string | null;
}

export interface PushConfig {
  apns: ApnsConfig | null;
  fcm: FcmConfig | null;
  /** APNS_ENV, also for registrations while APNs is off. */
  apnsEnvironment: ApnsEnvironment;
  endpointOverride: EndpointOverride;
  /** Per HTTP attempt, capped by the time left in the window. */
  requestTimeoutMs: number;
  /** First retry delay; doubles per attempt (with jitter), capped at 8x. Retry-After wins when longer. */
  retryBaseDelayMs: number;
  /** How long cancel pushes keep retrying after the call ended. */
  cancelWindowMs: number;
  /** Why a provider is off, for the one start-up log line. Empty when both are configured. */
  disabledReasons: string[];
}

const Origin = z
  .string()
  .url()
  .refine((value) => /^https?:$/.test(new URL(value).protocol), 'http(s) origin')
  .transform((value) => new URL(value).origin);

/** `https://host:port` for both providers, or `apns=https://...,fcm=https://...`. */
export function parseEndpointOverride(raw: string | undefined): EndpointOverride {
  const text = raw?.trim();
  if (!text) return { apns: null, fcm: null };
  if (!text.includes('=')) {
    const origin = Origin.parse(text);
    return { apns: origin, fcm: origin };
  }
  const result: EndpointOverride = { apns: null, fcm: null };
  for (const part of text.split(',')) {
    const [key, value] = part.split('=', 2).map((s) => s.trim());
    if (key !== 'apns' && key !== 'fcm') throw new Error(`PUSH_ENDPOINT_OVERRIDE: unknown provider "${key}" (use apns= or fcm=)`);
    result[key] = Origin.parse(value);
  }
  return result;
}

const PositiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const PushEnv = z.object({
  APNS_KEY_FILE: z.string().min(1).optional(),
  APNS_KEY_ID: z.string().min(1).optional(),
  APNS_TEAM_ID: z.string().min(1).optional(),
  APNS_BUNDLE_ID: BundleId.optional(),
  APNS_ENV: ApnsEnvironment.default('production'),
  FCM_SERVICE_ACCOUNT_FILE: z.string().min(1).optional(),
  PUSH_ENDPOINT_OVERRIDE: z.string().optional(),
  PUSH_REQUEST_TIMEOUT_MS: PositiveInt(10_000),
  PUSH_RETRY_BASE_MS: PositiveInt(500),
  PUSH_CANCEL_WINDOW_MS: PositiveInt(30_000),
});

/** The push variables with their defaults, for the server's one configuration schema. */
export const PUSH_ENV_SHAPE = PushEnv.shape;

const APNS_VARIABLES = ['APNS_KEY_FILE', 'APNS_KEY_ID', 'APNS_TEAM_ID', 'APNS_BUNDLE_ID'] as const;

/** Reads the push variables. Throws on malformed values; a provider with missing variables is just off. */
export function readPushConfig(env: Record<string, unknown>): PushConfig {
  const parsed = PushEnv.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Invalid push configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const vars = parsed.data;
  const disabledReasons: string[] = [];

  const missingApns = APNS_VARIABLES.filter((name) => !vars[name]);
  let apns: ApnsConfig | null = null;
  if (missingApns.length === 0) {
    apns = {
      keyFile: vars.APNS_KEY_FILE!,
      keyId: vars.APNS_KEY_ID!,
      teamId: vars.APNS_TEAM_ID!,
      bundleId: vars.APNS_BUNDLE_ID!,
      defaultEnvironment: vars.APNS_ENV,
    };
  } else {
    disabledReasons.push(`APNs off (missing ${missingApns.join(', ')})`);
  }

  const fcm = vars.FCM_SERVICE_ACCOUNT_FILE ? { serviceAccountFile: vars.FCM_SERVICE_ACCOUNT_FILE } : null;
  if (!fcm) disabledReasons.push('FCM off (missing FCM_SERVICE_ACCOUNT_FILE)');

  return {
    apns,
    fcm,
    apnsEnvironment: vars.APNS_ENV,
    endpointOverride: parseEndpointOverride(vars.PUSH_ENDPOINT_OVERRIDE),
    requestTimeoutMs: vars.PUSH_REQUEST_TIMEOUT_MS,
    retryBaseDelayMs: vars.PUSH_RETRY_BASE_MS,
    cancelWindowMs: vars.PUSH_CANCEL_WINDOW_MS,
    disabledReasons,
  };
}
