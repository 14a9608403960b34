import { BRIDGE_CHANNELS, createBridgeClient, type SoftphoneBridge } from '../../shared/bridge';

/** What the preload needs of ipcRenderer (the real one fits; tests pass an in-memory one). */
export interface IpcRendererPort {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** Builds `window.softphone` from the contract over Electron IPC. */
export function createPreloadBridge(ipc: IpcRendererPort, onInvalid?: (what: string, detail: string) => void): SoftphoneBridge {
  return createBridgeClient(
    {
      invoke: (message) => ipc.invoke(BRIDGE_CHANNELS.invoke, message),
      subscribe: (listener) => {
        const handler = (_event: unknown, message: unknown) => listener(message);
        ipc.on(BRIDGE_CHANNELS.event, handler);
        return () => {
          ipc.removeListener(BRIDGE_CHANNELS.event, handler);
        };
      },
    },
    onInvalid ? { onInvalid } : {},
  );
}
