import { validationError } from '../protocol';
import { bridgeCalls, type BridgeCallName, type CallRequest, type CallResult } from './contract';
import { toBridgeErrorBody } from './errors';
import { fail, InvokeMessage, ok, type BridgeResult } from './result';

/** One implementation per call: what a host provides. */
export type BridgeHandlers = {
  [N in BridgeCallName]: (request: CallRequest<N>) => Promise<CallResult<N>> | CallResult<N>;
};

export function isBridgeCallName(name: string): name is BridgeCallName {
  return Object.hasOwn(bridgeCalls, name);
}

export interface DispatcherOptions {
  /** Told about handler bugs (a thrown non-typed error, a result that breaks the contract). */
  onInternalError?: (name: string, error: unknown) => void;
}

/**
 * The host's receiving side: validates the envelope and the request with the contract's schema,
 * runs the handler, validates (and strips) its result. Always resolves to a BridgeResult.
 */
export function createBridgeDispatcher(handlers: BridgeHandlers, options: DispatcherOptions = {}) {
  return async function dispatch(message: unknown): Promise<BridgeResult<unknown>> {
    const envelope = InvokeMessage.safeParse(message);
    if (!envelope.success) return fail(validationError(envelope.error, 'bridge message').toBody());
    const { name, request } = envelope.data;
    if (!isBridgeCallName(name)) return fail({ code: 'VALIDATION_FAILED', message: `Unknown bridge call "${name.slice(0, 64)}"` });
    const spec = bridgeCalls[name];
    const parsed = spec.request.safeParse(request);
    if (!parsed.success) return fail(validationError(parsed.error, `${name} request`).toBody());
    let value: unknown;
    try {
      const handler = handlers[name] as (request: unknown) => unknown;
      value = await handler(parsed.data);
    } catch (error) {
      const body = toBridgeErrorBody(error);
      if (body.code === 'INTERNAL') options.onInternalError?.(name, error);
      return fail(body);
    }
    const checked = spec.result.safeParse(value);
    if (!checked.success) {
      options.onInternalError?.(name, checked.error);
      return fail({ code: 'INTERNAL', message: `The app answered ${name} with an invalid result.` });
    }
    return ok(checked.data);
  };
}

export type BridgeDispatcher = ReturnType<typeof createBridgeDispatcher>;
