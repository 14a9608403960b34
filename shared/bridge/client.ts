import {
  bridgeCalls,
  bridgeEvents,
  type BridgeCallName,
  type BridgeEventName,
  type CallRequestInput,
  type CallResult,
  type EventPayload,
} from './contract';
import { isBridgeCallName } from './dispatcher';
import { EventMessage, fail, resultSchema, type BridgeResult, type InvokeMessage } from './result';

/** What `window.softphone` is, in every host. */
export interface SoftphoneBridge {
  invoke<N extends BridgeCallName>(name: N, request: CallRequestInput<N>): Promise<BridgeResult<CallResult<N>>>;
  on<E extends BridgeEventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** How a client reaches its host: Electron IPC in the preload, a direct call in the web host. */
export interface BridgeClientTransport {
  invoke(message: InvokeMessage): Promise<unknown>;
  /** Delivers every event message from the host; returns an unsubscribe function. */
  subscribe(listener: (message: unknown) => void): () => void;
}

export interface BridgeClientOptions {
  /** Told when the host sent something the contract does not allow (it is dropped). */
  onInvalid?: (what: string, detail: string) => void;
}

/**
 * The renderer's side of the bridge. It validates every result and event it receives with the
 * contract's schemas; an invalid result becomes a TRANSPORT error, an invalid event is dropped.
 */
export function createBridgeClient(transport: BridgeClientTransport, options: BridgeClientOptions = {}): SoftphoneBridge {
  const listeners = new Map<BridgeEventName, Set<(payload: unknown) => void>>();
  let unsubscribeTransport: (() => void) | null = null;

  function deliver(raw: unknown): void {
    const message = EventMessage.safeParse(raw);
    if (!message.success || !Object.hasOwn(bridgeEvents, message.data.name)) {
      options.onInvalid?.('event', 'unknown event message');
      return;
    }
    const name = message.data.name as BridgeEventName;
    const payload = bridgeEvents[name].safeParse(message.data.payload);
    if (!payload.success) {
      options.onInvalid?.(name, payload.error.message);
      return;
    }
    for (const listener of [...(listeners.get(name) ?? [])]) listener(payload.data);
  }

  async function invoke<N extends BridgeCallName>(name: N, request: CallRequestInput<N>): Promise<BridgeResult<CallResult<N>>> {
    if (typeof name !== 'string' || !isBridgeCallName(name)) return fail({ code: 'VALIDATION_FAILED', message: `Unknown bridge call "${String(name)}"` });
    let raw: unknown;
    try {
      raw = await transport.invoke({ name, request });
    } catch (error) {
      return fail({ code: 'TRANSPORT', message: `The app did not answer ${name}: ${error instanceof Error ? error.message : String(error)}` });
    }
    const parsed = resultSchema(bridgeCalls[name].result).safeParse(raw);
    if (!parsed.success) {
      options.onInvalid?.(name, parsed.error.message);
      return fail({ code: 'TRANSPORT', message: `The app answered ${name} with something the bridge contract does not allow.` });
    }
    return parsed.data as BridgeResult<CallResult<N>>;
  }

  function on<E extends BridgeEventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    if (!Object.hasOwn(bridgeEvents, event)) throw new TypeError(`Unknown bridge event "${String(event)}"`);
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    const entry = listener as (payload: unknown) => void;
    set.add(entry);
    unsubscribeTransport ??= transport.subscribe(deliver);
    return () => {
      set.delete(entry);
      if ([...listeners.values()].every((s) => s.size === 0) && unsubscribeTransport) {
        unsubscribeTransport();
        unsubscribeTransport = null;
      }
    };
  }

  return Object.freeze({ invoke, on });
}
