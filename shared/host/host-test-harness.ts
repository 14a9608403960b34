import type { EventMessage, HostInfo, RingInstruction } from '../bridge';
import type { HistoryEntry } from '../protocol';
import { ALICE, AT } from '../testing/fixtures';
import { FakeTransport } from '../testing/fake-transport';
import { ManualClock } from '../testing/manual-clock';
import { RecordingLogger } from '../testing/recording-notifier';
import { sessionReady } from '../testing/phone-harness';
import { HostCore } from './host-core';
import { phoneCoreFactory } from './phone-factory';
import type { HostPorts, RingSurface, StoredSession } from './ports';
import type { CallView, EndReason } from './deps';
import type { TrayView } from './tray-model';
import type { MissedNotification } from './missed-calls';
import type { PowerSaveMode } from './power';

export const INFO: HostInfo = {
  kind: 'web',
  platform: 'test',
  version: '0.0.0',
  capabilities: { incomingWindow: false, screenSources: false, globalShortcuts: false, startAtLogin: false, deepLinkHandlers: false, clipboard: false },
};

export const SESSION: StoredSession = {
  serverUrl: 'http://127.0.0.1:4600',
  user: ALICE,
  accessToken: 'access-1',
  accessTokenExpiresAt: '2025-01-02T00:00:00.000Z',
  refreshToken: 'refresh-1',
  refreshTokenExpiresAt: '2025-02-01T00:00:00.000Z',
};

export type SurfaceRecord = { surface: string; action: 'start'; callId: string; ring: RingInstruction } | { surface: string; action: 'stop'; callId: string; reason: EndReason | 'answered' };

export class RecordingSurface implements RingSurface {
  constructor(
    readonly name: string,
    private readonly log: SurfaceRecord[],
    public failOnStart = false,
  ) {}
  start(call: CallView, ring: RingInstruction): void {
    if (this.failOnStart) throw new Error(`${this.name} broke`);
    this.log.push({ surface: this.name, action: 'start', callId: call.callId, ring });
  }
  stop(callId: string, reason: EndReason | 'answered'): void {
    this.log.push({ surface: this.name, action: 'stop', callId, reason });
  }
}

/** A HostCore over the real PhoneCore, whose socket is the scripted in-memory transport. */
export function hostHarness(options: { signedIn?: boolean; settings?: unknown; ports?: Partial<HostPorts> } = {}) {
  const clock = new ManualClock();
  const transport = new FakeTransport(clock);
  const logger = new RecordingLogger();
  const surfaceLog: SurfaceRecord[] = [];
  const surfaces = ['incoming-window', 'notification', 'tray'].map((name) => new RecordingSurface(name, surfaceLog));
  const events: EventMessage[] = [];
  const trays: TrayView[] = [];
  const notifications: MissedNotification[][] = [];
  const badges: number[] = [];
  const power: PowerSaveMode[] = [];
  const presented: string[] = [];
  const storage = { settings: options.settings, session: options.signedIn === false ? null : SESSION, history: null as HistoryEntry[] | null, deviceId: 'device-test-1' };
  const ports: HostPorts = {
    info: INFO,
    http: async () => {
      throw new Error('no network in this test');
    },
    createPhone: phoneCoreFactory({ deviceIds: { load: () => storage.deviceId, save: (id) => void (storage.deviceId = id) }, logger, clock, transport: () => transport }),
    settings: { load: () => storage.settings, save: (s) => void (storage.settings = s) },
    session: { load: () => storage.session, save: (s) => void (storage.session = s), clear: () => void (storage.session = null) },
    historyCache: { load: () => storage.history, save: (h) => void (storage.history = h), clear: () => void (storage.history = null) },
    ringSurfaces: surfaces,
    log: logger,
    status: (view) => trays.push(view),
    missed: { notify: (n) => notifications.push(n), badge: (count) => badges.push(count) },
    power: (mode) => power.push(mode),
    presentMain: (reason) => presented.push(reason),
    now: () => clock.now(),
    ...options.ports,
  };
  const core = new HostCore(ports);
  core.events.addSink((message) => events.push(message));
  return {
    core,
    clock,
    transport,
    logger,
    surfaces,
    surfaceLog,
    events,
    eventNames: () => events.map((e) => e.name),
    trays,
    notifications,
    badges,
    power,
    presented,
    storage,
    /** start() the host, accept the socket and send session:ready. */
    async online(ready: Parameters<typeof sessionReady>[0] = {}) {
      await core.start();
      await flushAll();
      transport.acceptConnection();
      transport.push('session:ready', sessionReady(ready));
      await flushAll();
    },
  };
}

export async function flushAll(turns = 30): Promise<void> {
  for (let i = 0; i < turns; i++) await Promise.resolve();
}

export const AT_TIME = AT;
