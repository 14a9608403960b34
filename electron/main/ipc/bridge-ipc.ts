import { BRIDGE_CHANNELS, type BridgeDispatcher, type EventMessage } from '../../../shared/bridge';
import type { SenderLike } from './sender-check';

/** What serveBridge needs of ipcMain (the real one fits; tests pass an in-memory one). */
export interface IpcMainPort {
  handle(channel: string, listener: (event: SenderLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/** What sendBridgeEvent needs of a WebContents. */
export interface EventTarget {
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
}

export class UntrustedSenderError extends Error {
  constructor() {
    super('IPC message from an untrusted sender was dropped');
    this.name = 'UntrustedSenderError';
  }
}

/**
 * The only ipcMain.handle of the app: every bridge call arrives on one channel, the sender is
 * checked first (foreign senders are dropped: nothing runs, the invoke rejects), then the
 * dispatcher validates the request with the contract and runs the handler.
 */
export function serveBridge(
  ipc: IpcMainPort,
  dispatch: BridgeDispatcher,
  isTrustedSender: (event: SenderLike) => boolean,
  onDropped: (event: SenderLike) => void = () => {},
): () => void {
  ipc.handle(BRIDGE_CHANNELS.invoke, (event, message) => {
    if (!isTrustedSender(event)) {
      onDropped(event);
      throw new UntrustedSenderError();
    }
    return dispatch(message);
  });
  return () => ipc.removeHandler(BRIDGE_CHANNELS.invoke);
}

/** Sends one validated bridge event to the app's windows. */
export function sendBridgeEvent(targets: Iterable<EventTarget>, message: EventMessage): void {
  for (const target of targets) {
    if (!target.isDestroyed()) target.send(BRIDGE_CHANNELS.event, message);
  }
}
