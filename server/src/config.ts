import { z } from 'zod';
import { PUSH_ENV_SHAPE } from './push/push-config';
import { StartupError } from './startup-error';

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

/** An http(s) URL without path, query or credentials: the origin clients use to reach the service. */
const publicUrl = z
  .string()
  .url()
  .refine((value) => {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password && url.pathname === '/' && !url.search && !url.hash;
  }, 'an http(s) origin such as https://phone.example.com (no path, query or credentials)')
  .optional();

/** Every environment variable the service reads, with its default. The README lists the same. */
export const ConfigSchema = z.object({
  PORT: int(4600).pipe(z.number().max(65_535)),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  /**
   * postgres://user:password@host:port/database: keep the durable records in this shared Postgres instead of
   * DATA_DIR/softphone.db (the cluster profile, with REDIS_URL; see docs/deploy.md). Unset: SQLite.
   */
  DATABASE_URL: z
    .string()
    .url()
    .refine((value) => /^postgres(ql)?:$/.test(new URL(value).protocol), 'a postgres:// or postgresql:// URL')
    .optional(),
  /** The URL clients reach the service at; its origin is the service's own origin and its host an allowed Host header. */
  PUBLIC_URL: publicUrl,
  /** More Host names the service answers to (besides PUBLIC_URL's, localhost and IP literals). */
  ALLOWED_HOSTS: csv,
  /** HS256 signing secret. Unset: generated once and kept in DATA_DIR/jwt-secret. */
  JWT_SECRET: z.string().min(32).optional(),
  ACCESS_TOKEN_TTL: int(900, 1),
  REFRESH_TOKEN_TTL: int(2_592_000, 1),
  RING_TIMEOUT_MS: int(60_000, 1),
  CALL_RESUME_GRACE_MS: int(30_000, 0),
  /** While callers wait in a line, their position and wait estimate are pushed again at least this often. */
  LINE_QUEUE_REFRESH_MS: int(30_000, 1_000),
  INVITE_RATE_LIMIT: int(20, 1),
  INVITE_RATE_WINDOW_S: int(60, 1),
  /** Invites one user may receive per INVITE_RATE_WINDOW_S, whoever calls (service lines are exempt: LINE_MAX_WAITING). */
  INCOMING_INVITE_RATE_LIMIT: int(30, 1),
  /** Callers one service line holds waiting at most; a new caller beyond it is refused RATE_LIMITED (retry in 30 s). */
  LINE_MAX_WAITING: int(500, 1),
  /** Accounts one client address may register per REGISTER_RATE_WINDOW_S. */
  REGISTER_RATE_LIMIT: int(10, 1),
  REGISTER_RATE_WINDOW_S: int(3_600, 1),
  /** Wrong passwords for one username from one address before each further try waits (1 s, doubling). */
  LOGIN_FREE_FAILURES: int(5, 1),
  /** The longest such wait, seconds. */
  LOGIN_MAX_DELAY_S: int(900, 1),
  /** Wrong passwords from one address (any username) per LOGIN_ADDRESS_WINDOW_S. */
  LOGIN_ADDRESS_FAILURE_LIMIT: int(100, 1),
  LOGIN_ADDRESS_WINDOW_S: int(3_600, 1),
  /** call:signal messages and bytes per device per SIGNAL_RATE_WINDOW_S. */
  SIGNAL_RATE_LIMIT: int(300, 1),
  SIGNAL_BYTE_LIMIT: int(1_048_576, 1_024),
  SIGNAL_RATE_WINDOW_S: int(10, 1),
  /** Devices one user may have connected at once. */
  MAX_DEVICES_PER_USER: int(20, 1),
  /** socket.io heartbeat: a dead link is noticed within interval + timeout. */
  HEARTBEAT_INTERVAL_MS: int(6_000, 1_000),
  HEARTBEAT_TIMEOUT_MS: int(4_000, 1_000),
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
  /**
   * Cluster profile: the Redis every node shares (cross-node delivery, durable timers, resume buffers,
   * rate limits; docs/deploy.md). Unset: the single profile (in process). With it, a node is one of several:
   * it does not take over the open calls at start (other nodes hold them).
   */
  REDIS_URL: z
    .string()
    .url()
    .refine((value) => ['redis:', 'rediss:'].includes(new URL(value).protocol), 'a redis:// or rediss:// URL')
    .optional(),
  /** This node's name in the cluster (liveness keys, logs); unique per running process. Unset: host name, port and a random suffix. */
  NODE_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, dot, dash, underscore (at most 64)')
    .optional(),
  /**
   * Usernames that are admins while listed here (never stored): how the first admin is made. Admins grant
   * roles to others through the admin API or `npm run admin` (docs/lines.md).
   */
  ADMIN_USERS: csv,
  /** VoIP push (APNS_*, FCM_SERVICE_ACCOUNT_FILE, PUSH_*): see docs/push.md. */
  ...PUSH_ENV_SHAPE,
});
export type Config = z.infer<typeof ConfigSchema>;

/** Reads the configuration from the environment; empty strings count as unset. A bad value is a StartupError naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = ConfigSchema.safeParse(present);
  if (!result.success) {
    const details = result.error.issues.map((issue) => `${issue.path.join('.')} ${describeValue(present, issue.path)}${issue.message}`).join('; ');
    throw new StartupError(`invalid configuration: ${details}`);
  }
  return result.data;
}

/** `PORT=abc: ` for a plain variable; secrets are never echoed. */
function describeValue(env: Record<string, string | undefined>, path: PropertyKey[]): string {
  const name = String(path[0] ?? '');
  const value = env[name];
  if (value === undefined) return '(unset): ';
  if (/SECRET|KEY|PASSWORD|TOKEN|DATABASE_URL|REDIS_URL/i.test(name)) return `(${value.length} characters): `;
  return `(${JSON.stringify(value.slice(0, 60))}): `;
}
