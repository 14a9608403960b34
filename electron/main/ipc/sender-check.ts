/** The parts of an IPC event the sender check reads (Electron's IpcMainInvokeEvent has them). */
export interface SenderLike {
  sender: { id: number };
  senderFrame: { url: string; parent: unknown } | null;
}

/** scheme://host of any URL (URL.origin is "null" for custom schemes such as app://). */
export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return null;
  }
}

/**
 * Electron security checklist item 17: an IPC message is handled only when it comes from the
 * top frame of one of the app's own windows, showing the app's own origin. Everything else
 * (another WebContents, an iframe, a page that navigated away) is dropped.
 */
export function createSenderCheck(ownContents: () => Iterable<{ id: number }>, appOrigin: string) {
  return function isTrustedSender(event: SenderLike): boolean {
    const frame = event.senderFrame;
    if (!frame || frame.parent !== null) return false;
    if (originOf(frame.url) !== appOrigin) return false;
    for (const contents of ownContents()) if (contents.id === event.sender.id) return true;
    return false;
  };
}
