import { readFileSync } from 'node:fs';
import * as events from 'node:events';
import * as timers from 'node:timers';
import * as url from 'node:url';
import vm from 'node:vm';
import type { IpcMainModel, IpcSender } from './ipc-main';
import type { World } from './world';

type Listener = (event: unknown, ...args: unknown[]) => void;

/** Chromium's message for an eval refused by the CSP (the app's policy has no 'unsafe-eval'). */
const CSP_EVAL_REFUSED = "Refused to evaluate a string as JavaScript because 'unsafe-eval' is not an allowed source of script in the following Content Security Policy directive: \"script-src 'self'\".";

/**
 * One renderer's isolated world with the window's preload running in it, as a sandboxed preload
 * runs (docs/tutorial/sandbox.md, "Preload scripts"): its `require` gives only `electron` (the
 * renderer modules contextBridge, crashReporter, ipcRenderer, nativeImage, webFrame, webUtils),
 * `events`, `timers` and `url`; the globals are Buffer, process, setImmediate and clearImmediate
 * besides the web platform's; no __filename, no __dirname, no other module, no local file. Code
 * generation from strings is refused as the app's CSP refuses it, and every attempt is recorded.
 * The page itself (the React renderer) does not run: the test stands in for it and calls what
 * the preload exposed.
 */
export class RendererWorld {
  readonly exposed = new Map<string, Record<string, unknown>>();
  readonly evalAttempts: string[] = [];
  alive = true;
  private readonly listeners = new Map<string, Set<Listener>>();
  private context: vm.Context | null = null;

  constructor(
    private readonly world: World,
    private readonly ipc: IpcMainModel,
    private readonly sender: IpcSender,
    private readonly contextIsolation: boolean,
  ) {}

  /** Runs the preload file in a fresh context. */
  run(preloadPath: string): void {
    const log = (level: string) => (...args: unknown[]) => this.world.logs.push(`[renderer ${level}] ${args.map(String).join(' ')}`);
    const sandboxProcess = {
      platform: this.world.platform,
      type: 'renderer',
      sandboxed: true,
      contextIsolated: this.contextIsolation,
      env: {},
      argv: [],
      versions: { electron: '41.7.1' },
    };
    const globals = {
      console: { log: log('log'), info: log('info'), warn: log('warn'), error: log('error'), debug: log('debug') },
      setTimeout,
      clearTimeout,
      setInterval,
      clearInterval,
      queueMicrotask,
      URL,
      URLSearchParams,
      TextEncoder,
      TextDecoder,
      AbortController,
      AbortSignal,
      atob,
      btoa,
    };
    const context = vm.createContext(globals, { codeGeneration: { strings: false, wasm: false }, name: `preload ${this.sender.url}` });
    this.context = context;
    // CSP: `new Function(...)` and `eval` are refused; record each attempt (Chromium reports every one as a violation).
    const refuse = (what: string) => {
      this.evalAttempts.push(what);
      throw new EvalError(CSP_EVAL_REFUSED);
    };
    vm.runInContext(
      `(refuse) => {
        const RealFunction = Function;
        globalThis.Function = new Proxy(RealFunction, { construct: () => refuse('new Function'), apply: () => refuse('Function()') });
        globalThis.eval = () => refuse('eval');
        globalThis.window = globalThis;
        globalThis.self = globalThis;
      }`,
      context,
    )(refuse);
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => this.expose(key, api) },
      ipcRenderer: this.ipcRenderer(),
      webFrame: {},
      crashReporter: {},
      nativeImage: {},
      webUtils: {},
    };
    const allowed: Record<string, unknown> = { electron, events, timers, url };
    const sandboxRequire = (name: string) => {
      if (Object.hasOwn(allowed, name)) return allowed[name];
      throw new Error(`module not found: ${name}`);
    };
    const source = readFileSync(preloadPath, 'utf8');
    // The wrapper Electron's sandboxed preload runs in (lib/sandboxed_renderer/init.ts).
    const wrapper = new vm.Script(`(function (require, process, Buffer, global, setImmediate, clearImmediate, exports, module) {${source}\n})`, { filename: preloadPath });
    const module = { exports: {} };
    try {
      (wrapper.runInContext(context) as (...args: unknown[]) => void)(sandboxRequire, sandboxProcess, Buffer, context, setImmediate, clearImmediate, module.exports, module);
    } catch (error) {
      this.world.uncaught(new Error(`Unable to load preload script: ${preloadPath}\n${error instanceof Error ? error.stack : String(error)}`));
    }
  }

  /** contextBridge.exposeInMainWorld (electron_api_context_bridge.cc): only with context isolation, one key once. */
  private expose(key: string, api: Record<string, unknown>): void {
    if (!this.contextIsolation) throw new Error('contextBridge API can only be used when contextIsolation is enabled');
    if (this.exposed.has(key)) throw new Error(`Cannot bind an API on top of an existing property on the window object`);
    this.exposed.set(key, api);
  }

  /** Calls an exposed function from the page's world: arguments are copied into the isolated world, the result copied out. */
  async callExposed(key: string, method: string, args: unknown[]): Promise<unknown> {
    if (!this.alive) throw new Error('the renderer process is gone');
    const fn = this.exposed.get(key)?.[method];
    if (typeof fn !== 'function') throw new Error(`window.${key}.${method} is not exposed`);
    const result: unknown = await (fn as (...a: unknown[]) => unknown)(...args.map((arg) => this.copyIn(arg)));
    return result === undefined ? undefined : structuredClone(result);
  }

  /** Delivers an IPC message from main (webContents.send) to ipcRenderer listeners. */
  deliver(channel: string, args: unknown[]): void {
    if (!this.alive) return;
    for (const listener of [...(this.listeners.get(channel) ?? [])]) listener({ sender: null, senderId: 0 }, ...args.map((arg) => this.copyIn(arg)));
  }

  kill(): void {
    this.alive = false;
    this.listeners.clear();
  }

  private copyIn(value: unknown): unknown {
    if (value === undefined || typeof value === 'function') return value;
    return (vm.runInContext('JSON.parse', this.context!) as (text: string) => unknown)(JSON.stringify(value));
  }

  private ipcRenderer() {
    const ipc = {
      invoke: (channel: string, ...args: unknown[]) => this.ipc.invoke(this.sender, channel, structuredClone(args)).then((result) => this.copyIn(result)),
      send: (channel: string, ...args: unknown[]) => this.ipc.send(this.sender, channel, structuredClone(args)),
      on: (channel: string, listener: Listener) => {
        let set = this.listeners.get(channel);
        if (!set) this.listeners.set(channel, (set = new Set()));
        set.add(listener);
        return ipc;
      },
      removeListener: (channel: string, listener: Listener) => {
        this.listeners.get(channel)?.delete(listener);
        return ipc;
      },
    };
    return ipc;
  }
}
