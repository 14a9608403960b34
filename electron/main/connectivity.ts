/**
 * Detects network changes in the main process: Electron has no "network changed" event, so the
 * online flag and the set of non-internal addresses are compared every few seconds; a change
 * (Wi-Fi switch, VPN up, cable back) triggers a connection check at once instead of waiting
 * for a ping timeout.
 */
export interface ConnectivityDeps {
  isOnline: () => boolean;
  addresses: () => string[];
  onChange: (why: string) => void;
  setInterval: (run: () => void, ms: number) => unknown;
  clearInterval: (handle: unknown) => void;
}

export function networkFingerprint(online: boolean, addresses: string[]): string {
  return `${online ? 'online' : 'offline'}|${[...addresses].sort().join(',')}`;
}

export function watchConnectivity(deps: ConnectivityDeps, everyMs = 3_000): () => void {
  let last = networkFingerprint(deps.isOnline(), deps.addresses());
  const handle = deps.setInterval(() => {
    const now = networkFingerprint(deps.isOnline(), deps.addresses());
    if (now === last) return;
    const wasOnline = last.startsWith('online');
    last = now;
    deps.onChange(now.startsWith('online') === wasOnline ? 'network addresses changed' : now.startsWith('online') ? 'network back' : 'network lost');
  }, everyMs);
  return () => deps.clearInterval(handle);
}
