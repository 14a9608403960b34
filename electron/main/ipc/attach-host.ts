import { createBridgeDispatcher } from '../../../shared/bridge';
import { createHostHandlers, type HostCore } from '../../../shared/host';
import { sendBridgeEvent, serveBridge, type EventTarget, type IpcMainPort } from './bridge-ipc';
import type { SenderLike } from './sender-check';

export interface AttachHostOptions {
  ipc: IpcMainPort;
  core: HostCore;
  isTrustedSender: (event: SenderLike) => boolean;
  /** The app's windows' WebContents, for events. */
  targets: () => Iterable<EventTarget>;
  log: { warn(message: string, fields?: Record<string, unknown>): void; error(message: string, fields?: Record<string, unknown>): void };
}

/** Wires the shared host core to Electron IPC: calls in (sender-checked, validated), events out. */
export function attachHostToIpc({ ipc, core, isTrustedSender, targets, log }: AttachHostOptions): () => void {
  const dispatch = createBridgeDispatcher(createHostHandlers(core), {
    onInternalError: (name, error) => log.error(`bridge call ${name} failed`, { error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  });
  const stopServing = serveBridge(ipc, dispatch, isTrustedSender, (event) =>
    log.warn('dropped IPC from an untrusted sender', { senderId: event.sender.id, url: event.senderFrame?.url ?? null }),
  );
  const removeSink = core.events.addSink((message) => sendBridgeEvent(targets(), message));
  return () => {
    stopServing();
    removeSink();
  };
}
