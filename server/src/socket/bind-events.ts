import {
  clientEvents,
  ProtocolError,
  validationError,
  type Ack,
  type ClientAckResult,
  type ClientEventName,
  type ErrorBody,
  type ParsedClientPayload,
} from '../../../shared/protocol';
import type { Logger } from '../logger';
import type { IoSocket } from './socket-types';

export type EventHandlers = {
  [E in ClientEventName]: (payload: ParsedClientPayload<E>) => ClientAckResult<E> | Promise<ClientAckResult<E>>;
};

type AnyAck = (ack: Ack<object>) => void;

/**
 * Attaches every client event. Each payload is parsed with clientEvents[E] first; failures answer
 * VALIDATION_FAILED and change nothing. Handler errors answer their ProtocolError code (INTERNAL for
 * anything unexpected). A missing or non-function ack is tolerated. Unknown events have no listener.
 */
export function bindEvents(socket: IoSocket, handlers: EventHandlers, logger: Logger): void {
  for (const event of Object.keys(clientEvents) as ClientEventName[]) {
    (socket as unknown as { on(event: string, listener: (...args: unknown[]) => void): void }).on(event, (...args: unknown[]) => {
      const last = args[args.length - 1];
      const reply: AnyAck = typeof last === 'function' ? (last as AnyAck) : () => undefined;
      const payload = typeof args[0] === 'function' ? undefined : args[0];
      void handle(event, payload, handlers, logger, socket).then(reply);
    });
  }
}

async function handle<E extends ClientEventName>(event: E, payload: unknown, handlers: EventHandlers, logger: Logger, socket: IoSocket): Promise<Ack<object>> {
  const parsed = clientEvents[event].safeParse(payload);
  if (!parsed.success) return { ok: false, error: validationError(parsed.error, `${event} payload`).toBody() };
  try {
    const handler = handlers[event] as (input: unknown) => object | Promise<object>;
    return { ok: true, ...(await handler(parsed.data)) };
  } catch (error) {
    if (error instanceof ProtocolError) return { ok: false, error: error.toBody() };
    logger.error({ err: error, event, userId: socket.data.user.userId, deviceId: socket.data.deviceId }, 'event handler failed');
    const body: ErrorBody = { code: 'INTERNAL', message: 'Internal error' };
    return { ok: false, error: body };
  }
}
