import type { HistoryEntry } from '../protocol';
import type { PhoneCoreApi, RingPolicy, CallView, EndReason } from './deps';
import type { Logger, TokenProvider } from '../phone/ports';
import type { HostInfo, RingInstruction, ScreenSource } from '../bridge';
import type { Settings } from '../settings';
import type { TrayView } from './tray-model';
import type { MissedNotification } from './missed-calls';
import type { PowerSaveMode } from './power';
import type { SessionManagerOptions } from './session-manager';

/**
 * Everything a host (Electron main, web page) plugs into the shared host core. The decisions
 * live in the core; a port only does what its environment can do.
 */

/** Storage may be synchronous (electron-store, localStorage) or not (IndexedDB). */
export type MaybePromise<T> = T | Promise<T>;

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  /** JSON body (serialized by the port). */
  body?: unknown;
}

export interface HttpResponse {
  status: number;
  /** Parsed JSON, or null when the body was empty or not JSON. */
  body: unknown;
}

/** Sends a request to the signalling service. Rejects only when the service could not be reached. */
export type HttpPort = (request: HttpRequest) => Promise<HttpResponse>;

/** The session the host remembers: tokens are secrets and never cross the bridge. */
export interface StoredSession {
  serverUrl: string;
  user: { userId: string; username: string; displayName: string };
  /** '' when not known (the web host keeps it in memory only). */
  accessToken: string;
  accessTokenExpiresAt: string;
  /** '' when it lives in the service's HttpOnly cookie (the web host). */
  refreshToken: string;
  refreshTokenExpiresAt: string;
}

export interface SessionStorePort {
  load(): MaybePromise<StoredSession | null>;
  save(session: StoredSession): MaybePromise<void>;
  clear(): MaybePromise<void>;
}

export interface SettingsStorePort {
  /** The stored document as it is (any version, or undefined): the core migrates it. */
  load(): MaybePromise<unknown>;
  save(settings: Settings): MaybePromise<void>;
}

export interface HistoryCachePort {
  /** null when nothing was ever cached. */
  load(): MaybePromise<HistoryEntry[] | null>;
  save(entries: HistoryEntry[]): MaybePromise<void>;
  clear(): MaybePromise<void>;
}

/** One ring surface (incoming window, notification, tray flash, in-page overlay...). */
export interface RingSurface {
  readonly name: string;
  start(call: CallView, ring: RingInstruction): void;
  stop(callId: string, reason: EndReason | 'answered'): void;
}

export interface PhoneFactoryOptions {
  serverUrl: string;
  tokens: TokenProvider;
  ringPolicy: RingPolicy;
}

/** Creates a PhoneCore for one signed-in session (the host wires its transport, clock and store). */
export type PhoneFactory = (options: PhoneFactoryOptions) => PhoneCoreApi;

export type PresentReason = 'answered' | 'deep-link' | 'open' | 'wrap-up';

export interface HostPorts {
  info: HostInfo;
  http: HttpPort;
  createPhone: PhoneFactory;
  settings: SettingsStorePort;
  session: SessionStorePort;
  /** Where the refresh token lives and how refreshes are serialized (default: in the session store). */
  sessionTokens?: SessionManagerOptions;
  historyCache: HistoryCachePort;
  ringSurfaces: RingSurface[];
  log: Logger;
  /** Keep the machine awake during calls (Electron powerSaveBlocker); called when the mode changes. */
  power?: (mode: PowerSaveMode) => void;
  /** Tray / title status: called whenever the view changes. */
  status?: (view: TrayView) => void;
  /** Missed-call notifications (already grouped) and the badge count. */
  missed?: { notify(notifications: MissedNotification[]): void; badge(count: number): void };
  /** Bring the main UI forward (answered from the incoming window, a deep link, the tray). */
  presentMain?: (reason: PresentReason) => void;
  /** OS integration that follows settings: login item, global shortcuts, protocol handlers. */
  applySystemSettings?: (next: Settings, previous: Settings | null) => MaybePromise<void>;
  screenSources?: (types: ('screen' | 'window')[]) => Promise<ScreenSource[]>;
  /** Writes to the clipboard; absent where only the page may (web). */
  clipboard?: (text: string) => void;
  recentLogLines?: () => string[];
  /** BCP 47 tag of the system language, for language 'system'. */
  systemLanguage?: () => string;
  /** Milliseconds since the epoch (tests pass a fixed clock). */
  now?: () => number;
}
