import type { PhoneSnapshot, Media } from './deps';

export type PowerSaveMode = 'prevent-display-sleep' | 'prevent-app-suspension' | null;

/** Video call: keep the display awake. Audio call: keep the app from being suspended. No call: nothing. */
export function powerSaveMode(snapshot: PhoneSnapshot | null, localMedia: ReadonlyMap<string, Media>): PowerSaveMode {
  const active = snapshot?.calls.filter((call) => call.phase === 'active') ?? [];
  if (active.some((call) => call.media === 'video' || localMedia.get(call.callId) === 'video')) return 'prevent-display-sleep';
  return active.length > 0 ? 'prevent-app-suspension' : null;
}
