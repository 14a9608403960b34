import { z } from 'zod';
import { PUSH_ENV_SHAPE } from './push/push-config';

/** Comma-separated list -> trimmed non-empty strings. */
const csv = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  );

const int = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback);

/** Every environment variable the service reads, with its default. The README lists the same. */
export const ConfigSchema = z.object({
  PORT: int(4600).pipe(z.number().max(65_535)),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  /** HS256 signing secret. Unset: generated once and kept in DATA_DIR/jwt-secret. */
  JWT_SECRET: z.string().min(32).optional(),
  ACCESS_TOKEN_TTL: int(900, 1),
  REFRESH_TOKEN_TTL: int(2_592_000, 1),
  RING_TIMEOUT_MS: int(60_000, 1),
  CALL_RESUME_GRACE_MS: int(30_000, 0),
  INVITE_RATE_LIMIT: int(20, 1),
  INVITE_RATE_WINDOW_S: int(60, 1),
  /** Allowed browser origins. Empty: only the server's own origin. */
  CORS_ORIGINS: csv,
  STUN_URLS: csv,
  TURN_URLS: csv,
  TURN_SECRET: z.string().min(1).optional(),
  TURN_TTL: int(86_400, 60),
  WEB_ROOT: z.string().min(1).default('dist/renderer'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** How long clients should wait before reconnecting after a graceful shutdown. */
  SHUTDOWN_RECONNECT_MS: int(2_000),
  /** On SIGTERM, how long /healthz answers 503 (all else still served) before the shutdown: a load balancer's time to take the node out. */
  DRAIN_MS: int(0),
  /** VoIP push (APNS_*, FCM_SERVICE_ACCOUNT_FILE, PUSH_*): see docs/push.md. */
  ...PUSH_ENV_SHAPE,
});
export type Config = z.infer<typeof ConfigSchema>;

/** Reads the configuration from the environment; empty strings count as unset. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = ConfigSchema.safeParse(present);
  if (!result.success) {
    const details = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Invalid configuration: ${details}`);
  }
  return result.data;
}
