import { EventEmitter } from 'node:events';

/** What ipcMain sees of a sender: the WebContents and its top frame (IpcMainInvokeEvent.sender / senderFrame). */
export interface IpcSender {
  id: number;
  url: string;
}

type Handler = (event: unknown, ...args: unknown[]) => unknown;

/**
 * ipcMain: handle/removeHandler and on/removeListener, with the channel list the test reads
 * (every channel a renderer could reach). Messages are structured-cloned both ways and handled
 * in a later task, as Electron's Mojo IPC does.
 */
export class IpcMainModel extends EventEmitter {
  private readonly handlers = new Map<string, Handler>();

  constructor(private readonly senderOf: (id: number) => unknown) {
    super();
  }

  handle(channel: string, handler: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }

  handleOnce(channel: string, handler: Handler): void {
    this.handle(channel, (...args) => {
      this.handlers.delete(channel);
      return handler(...args);
    });
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  /** Every channel a renderer can reach: invoke handlers and send/sendSync listeners. */
  channels(): string[] {
    return [...new Set([...this.handlers.keys(), ...this.eventNames().map(String)])].sort();
  }

  private event(sender: IpcSender) {
    return { sender: this.senderOf(sender.id), senderFrame: { url: sender.url, parent: null }, processId: sender.id, frameId: 1, returnValue: undefined };
  }

  async invoke(sender: IpcSender, channel: string, args: unknown[]): Promise<unknown> {
    await new Promise((resolve) => setImmediate(resolve));
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
    try {
      return structuredClone(await handler(this.event(sender), ...args));
    } catch (error) {
      throw new Error(`Error invoking remote method '${channel}': ${String(error)}`);
    }
  }

  send(sender: IpcSender, channel: string, args: unknown[]): void {
    setImmediate(() => this.emit(channel, this.event(sender), ...args));
  }
}
