import { createPhoneCore, createSocketIoTransport, systemClock, type PhoneCore, type PhoneStore, type Notifier, type RingPolicy } from '../../shared/phone';

/**
 * A PhoneCore as the products build it (socket.io transport, real clock), with no ring surfaces and a
 * fixed token: what the latency probes, the reconnect storm and the Chromium bench page drive.
 * Isomorphic: it runs in Node and in the bench page.
 */
export interface BenchPhoneOptions {
  url: string;
  token: string;
  deviceId: string;
  /** socket.io-client backoff; defaults to the product's (DEFAULT_BACKOFF: 1 s base, 5 s cap, jitter 0.5). */
  reconnectionDelayMax?: number;
}

function memoryStore(): PhoneStore {
  let deviceId: string | null = null;
  let policy: RingPolicy | null = null;
  return {
    loadDeviceId: () => deviceId,
    saveDeviceId: (id) => (deviceId = id),
    loadRingPolicy: () => policy,
    saveRingPolicy: (p) => (policy = p),
  };
}

const quietNotifier: Notifier = { startRinging() {}, stopRinging() {}, missedCalls() {} };

export function createBenchPhone(options: BenchPhoneOptions): PhoneCore {
  const transport = createSocketIoTransport({
    url: options.url,
    ...(options.reconnectionDelayMax ? { reconnectionDelayMax: options.reconnectionDelayMax } : {}),
  });
  return createPhoneCore({
    transport,
    clock: systemClock(),
    store: memoryStore(),
    notifier: quietNotifier,
    auth: { getToken: async () => options.token, refresh: async () => options.token },
    deviceId: options.deviceId,
    ...(options.reconnectionDelayMax ? { backoff: { maxDelayMs: options.reconnectionDelayMax } } : {}),
  });
}

/** Starts the phone and resolves once it is online (registered: session:ready received). */
export function startOnline(phone: PhoneCore, timeoutMs = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`phone ${phone.deviceId} not online within ${timeoutMs} ms: ${JSON.stringify(phone.snapshot().connection)}`)), timeoutMs);
    const off = phone.on('connection', (state) => {
      if (state.status !== 'online') return;
      clearTimeout(timer);
      off();
      resolve();
    });
    phone.start();
  });
}
