import type { EventTarget, IpcMainPort } from './bridge-ipc';
import type { SenderLike } from './sender-check';
import type { IpcRendererPort } from '../../preload/bridge-preload';

type Handler = (event: SenderLike, ...args: unknown[]) => unknown;
type Listener = (event: unknown, ...args: unknown[]) => void;

/**
 * Electron's IPC in memory: ipcMain.handle / ipcRenderer.invoke and webContents.send /
 * ipcRenderer.on, with every message structured-cloned on the way (as Electron's IPC does) and
 * delivered asynchronously. Errors thrown by a handler reach the renderer the way Electron
 * reports them: a plain Error whose message names the channel.
 */
export class StructuredCloneIpc {
  private readonly handlers = new Map<string, Handler>();
  private nextId = 1;

  readonly main: IpcMainPort = {
    handle: (channel, listener) => {
      if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      this.handlers.set(channel, listener);
    },
    removeHandler: (channel) => {
      this.handlers.delete(channel);
    },
  };

  /** A renderer (one WebContents) showing `url` in its top frame. */
  connectRenderer(url: string): { id: number; renderer: IpcRendererPort; contents: EventTarget & { id: number }; destroy(): void } {
    const id = this.nextId++;
    const listeners = new Map<string, Set<Listener>>();
    let destroyed = false;
    const event: SenderLike = { sender: { id }, senderFrame: { url, parent: null } };
    const renderer: IpcRendererPort = {
      invoke: async (channel, ...args) => {
        const cloned = structuredClone(args);
        await Promise.resolve();
        const handler = this.handlers.get(channel);
        if (!handler) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
        try {
          return structuredClone(await handler(event, ...cloned));
        } catch (error) {
          throw new Error(`Error invoking remote method '${channel}': ${String(error)}`);
        }
      },
      on: (channel, listener) => {
        let set = listeners.get(channel);
        if (!set) listeners.set(channel, (set = new Set()));
        set.add(listener);
        return renderer;
      },
      removeListener: (channel, listener) => {
        listeners.get(channel)?.delete(listener);
        return renderer;
      },
    };
    const contents = {
      id,
      isDestroyed: () => destroyed,
      send: (channel: string, ...args: unknown[]) => {
        const cloned = structuredClone(args);
        queueMicrotask(() => {
          for (const listener of [...(listeners.get(channel) ?? [])]) listener({ senderId: 0 }, ...cloned);
        });
      },
    };
    return { id, renderer, contents, destroy: () => (destroyed = true) };
  }

  /** Invokes as an arbitrary sender (a foreign WebContents, an iframe): for sender-check tests. */
  async invokeAs(event: SenderLike, channel: string, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler for ${channel}`);
    return structuredClone(await handler(event, ...structuredClone(args)));
  }
}
