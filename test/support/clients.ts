import type { AuthResponse, HistoryEntry } from '../../shared/protocol';
import type { PhoneEvents, RingPolicy } from '../../shared/phone/api';
import type { TokenProvider } from '../../shared/phone/ports';
import { PhoneCore } from '../../shared/phone/phone-core';
import { SocketIoTransport, type SocketIoTransportOptions } from '../../shared/phone/socket-io-transport';
import type { HandshakeAuthProvider } from '../../shared/phone/transport';
import { systemClock } from '../../shared/phone/system-clock';
import { HttpTokenProvider, fetchHistory } from '../../shared/phone/bot/http-session';
import { MemoryStore } from '../../shared/phone/memory-store';
import { RecordingLogger, RecordingNotifier } from '../../shared/testing/recording-notifier';
import { loginUser, registerUser } from './server';

/** Logged-in PhoneCore clients over real socket.io connections to the real test server. */

type EventName = keyof PhoneEvents;
type Args<E extends EventName> = Parameters<PhoneEvents[E]>;
interface Recorded {
  event: EventName;
  args: unknown[];
}

export interface TestClient {
  core: PhoneCore;
  transport: SocketIoTransport;
  notifier: RecordingNotifier;
  logger: RecordingLogger;
  store: MemoryStore;
  auth: HttpTokenProvider;
  user: AuthResponse['user'];
  /** Every PhoneCore event so far, in order. */
  events: Recorded[];
  /** Resolves with the first event (past, from index `after`, or future) matching `match`. */
  waitFor<E extends EventName>(event: E, match?: (...args: Args<E>) => boolean, options?: WaitOptions): Promise<Args<E>>;
  /** The index the next event will have (for waitFor's `after`). */
  mark(): number;
  /** Every recorded event of one kind. */
  all<E extends EventName>(event: E): Array<Args<E>>;
  history(query?: Record<string, string>): Promise<HistoryEntry[]>;
  stop(): Promise<void>;
}

export interface WaitOptions {
  timeoutMs?: number;
  /** Only events recorded at or after this index (see mark()). */
  after?: number;
}

export interface ClientOptions {
  deviceId?: string;
  ringPolicy?: RingPolicy;
  /** Register the user first (default true); false logs in. */
  register?: boolean;
  /** Don't wait for 'online' (e.g. to test a refusal). */
  noWait?: boolean;
  /** socket.io backoff; small by default so reconnects in tests are quick. */
  reconnectionDelay?: number;
  reconnectionDelayMax?: number;
  /** Replace the token provider (built from the login session). */
  auth?: (session: AuthResponse, url: string) => TokenProvider;
  /** Claim another protocol version in the handshake (a client from another release). */
  protocolVersion?: string;
}

/** The real socket.io transport, but every handshake claims `protocolVersion`. */
class VersionClaimingTransport extends SocketIoTransport {
  constructor(
    options: SocketIoTransportOptions,
    private readonly protocolVersion: string,
  ) {
    super(options);
  }
  override connect(auth: HandshakeAuthProvider): void {
    super.connect(async () => ({ ...(await auth()), protocolVersion: this.protocolVersion }));
  }
}

const ALL_EVENTS: EventName[] = ['snapshot', 'connection', 'incoming', 'ring-stopped', 'ringback', 'answered', 'ended', 'signal', 'missed', 'presence'];
let deviceCounter = 0;

export async function connectClient(url: string, username: string, options: ClientOptions = {}): Promise<TestClient> {
  const session = options.register === false ? await loginUser(url, username) : await registerUser(url, username);
  const transportOptions: SocketIoTransportOptions = {
    url,
    reconnectionDelay: options.reconnectionDelay ?? 100,
    reconnectionDelayMax: options.reconnectionDelayMax ?? 500,
    randomizationFactor: 0.2,
  };
  const transport = options.protocolVersion ? new VersionClaimingTransport(transportOptions, options.protocolVersion) : new SocketIoTransport(transportOptions);
  const store = new MemoryStore(options.deviceId ?? `test-${username}-${process.pid}-${++deviceCounter}`, options.ringPolicy ?? null);
  const notifier = new RecordingNotifier();
  const logger = new RecordingLogger();
  const auth = new HttpTokenProvider(url, session);
  const core = new PhoneCore({
    transport,
    clock: systemClock(),
    store,
    notifier,
    auth: options.auth?.(session, url) ?? auth,
    logger,
    backoff: { delayMs: 100, maxDelayMs: 500 },
  });
  const events: Recorded[] = [];
  const waiters = new Set<() => void>();
  for (const event of ALL_EVENTS) {
    core.on(event, ((...args: unknown[]) => {
      events.push({ event, args });
      waiters.forEach((w) => w());
    }) as PhoneEvents[typeof event]);
  }

  const client: TestClient = {
    core,
    transport,
    notifier,
    logger,
    store,
    auth,
    user: session.user,
    events,
    all: <E extends EventName>(event: E) => events.filter((r) => r.event === event).map((r) => r.args as Args<E>),
    mark: () => events.length,
    waitFor<E extends EventName>(event: E, match: (...args: Args<E>) => boolean = () => true, { timeoutMs = 10_000, after = 0 }: WaitOptions = {}): Promise<Args<E>> {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = events.find((r, i) => i >= after && r.event === event && match(...(r.args as Args<E>)));
          if (!hit) return false;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(hit.args as Args<E>);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          const seen = events.filter((r) => r.event !== 'snapshot').map((r) => `${r.event} ${JSON.stringify(r.args).slice(0, 160)}`);
          reject(new Error(`${username}: no '${event}' event matched within ${timeoutMs} ms; saw:\n${seen.join('\n')}`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    history: async (query) => (await fetchHistory(url, await auth.getToken(), query)).calls,
    stop: () => core.stop(),
  };
  core.start();
  if (!options.noWait) await client.waitFor('connection', (s) => s.status === 'online');
  return client;
}

/** Waits until `condition()` holds (polling), with a generous timeout. */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Waits until the client is online again, counting only events from `after` (a mark() taken before the drop). */
export function waitOnline(client: TestClient, after: number, timeoutMs = 15_000): Promise<unknown> {
  return client.waitFor('connection', (s) => s.status === 'online', { after, timeoutMs });
}

export async function stopAll(...clients: Array<TestClient | undefined>): Promise<void> {
  await Promise.all(clients.map((c) => c?.stop()));
}

let nameCounter = 0;
/** A username no other test in this process uses. */
export function uniqueName(base: string): string {
  return `${base}-${process.pid}-${++nameCounter}`;
}

/** Caller calls callee, callee answers; resolves with the callId once both sides are active. */
export async function establishCall(caller: TestClient, callee: TestClient, media: 'audio' | 'video' = 'audio'): Promise<string> {
  const view = await caller.core.call(callee.user.username, media);
  await callee.waitFor('incoming', (c) => c.callId === view.callId);
  await callee.core.answer(view.callId);
  await caller.waitFor('answered', (c) => c.callId === view.callId);
  await callee.waitFor('answered', (c) => c.callId === view.callId);
  return view.callId;
}

/** The phase of a call in a client's snapshot, or 'gone'. */
export function phaseOf(client: TestClient, callId: string): string {
  return client.core.snapshot().calls.find((c) => c.callId === callId)?.phase ?? 'gone';
}
