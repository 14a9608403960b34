import type { Session, WebContents } from 'electron';
import { originOf } from './ipc/sender-check';

/** The only permissions the app ever grants: camera/microphone, screen capture, notifications. */
export const GRANTED_PERMISSIONS: ReadonlySet<string> = new Set(['media', 'display-capture', 'notifications']);

export function isPermissionAllowed(permission: string, requestingUrl: string | null | undefined, appOrigin: string): boolean {
  return GRANTED_PERMISSIONS.has(permission) && !!requestingUrl && originOf(requestingUrl) === appOrigin;
}

/** A URL that may be handed to the OS browser: http(s) only, no credentials, no control characters. */
export function safeExternalUrl(url: string): string | null {
  if (typeof url !== 'string' || url.length > 2_048 || [...url].some((c) => c.charCodeAt(0) <= 0x20 || c.charCodeAt(0) === 0x7f)) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  if (parsed.username || parsed.password || !parsed.hostname) return null;
  return parsed.toString();
}

/** Permission request and check handlers: the three permissions above, for the app's own origin only. */
export function hardenSession(session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>, appOrigin: string): void {
  session.setPermissionRequestHandler((contents, permission, callback, details) => {
    callback(isPermissionAllowed(permission, details.requestingUrl ?? contents.getURL(), appOrigin));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => isPermissionAllowed(permission, requestingOrigin, appOrigin));
}

type ContentsLike = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/**
 * Every WebContents: navigation away is denied (the renderer uses hash routes, which do not
 * navigate), window.open is denied, and a validated http(s) link opens in the OS browser.
 */
export function hardenWebContents(contents: ContentsLike, openExternal: (url: string) => void): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const safe = safeExternalUrl(url);
    if (safe) openExternal(safe);
    return { action: 'deny' };
  });
}
