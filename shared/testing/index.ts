export * from './fixtures';
export { FakeTransport } from './fake-transport';
export type { SentRequest } from './fake-transport';
export { ManualClock } from './manual-clock';
export { MemoryStore } from './memory-store';
export { RecordingNotifier, RecordingLogger } from './recording-notifier';
export type { NotifierRecord, LogEntry } from './recording-notifier';
export { phoneHarness, sessionReady, flush, CountingTokens, DEVICE_ID } from './phone-harness';
