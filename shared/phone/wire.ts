import { ackSchema, serverEvents } from '../protocol';
import type { ClientAckResult, ClientEventName, ClientPayload, ServerEventName, ServerPayload } from '../protocol';
import type { ClientError } from '../call/types';
import type { Logger } from './ports';
import { TransportRequestError } from './transport';
import type { Transport } from './transport';

/** Typed, validated requests and subscriptions over a Transport. */

export type RequestResult<E extends ClientEventName> = { ok: true; value: ClientAckResult<E> } | { ok: false; error: ClientError };

export async function request<E extends ClientEventName>(transport: Transport, event: E, payload: ClientPayload<E>, timeoutMs: number): Promise<RequestResult<E>> {
  let raw: unknown;
  try {
    raw = await transport.request(event, payload, timeoutMs);
  } catch (error) {
    if (error instanceof TransportRequestError) return { ok: false, error: { code: error.code, message: error.message } };
    return { ok: false, error: { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) } };
  }
  const parsed = ackSchema(event).safeParse(raw);
  if (!parsed.success) return { ok: false, error: { code: 'VALIDATION_FAILED', message: `invalid acknowledgement for ${event}` } };
  const ack = parsed.data;
  if (ack.ok === false) return { ok: false, error: ack.error };
  return { ok: true, value: ack as unknown as ClientAckResult<E> };
}

/**
 * Subscribe with validation: an invalid server payload is logged and dropped. When the server asked for
 * an acknowledgement, it is sent once the handler ran (also for a dropped payload: it would only come again).
 */
export function listen<E extends ServerEventName>(transport: Transport, event: E, logger: Logger, handler: (payload: ServerPayload<E>) => void): () => void {
  return transport.on(event, (raw, ack) => {
    const parsed = serverEvents[event].safeParse(raw);
    if (!parsed.success) {
      logger.warn(`dropped invalid ${event} from the server`, { issues: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`) });
    } else {
      handler(parsed.data as ServerPayload<E>);
    }
    ack?.({});
  });
}
