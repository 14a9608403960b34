import { clientEvents, validationError, type Ack, type ClientAckResult, type ClientEventName, type ParsedClientPayload } from '../../../shared/protocol';
import { errorBodyOf } from '../error-body';
import type { Logger } from '../logger';
import type { IoSocket } from './socket-types';
import { answering } from './tick-writes';

/** The server's answer to every client event, shared by all sockets (the socket says who is asking). */
export type EventHandlers = {
  [E in ClientEventName]: (socket: IoSocket, payload: ParsedClientPayload<E>) => ClientAckResult<E> | Promise<ClientAckResult<E>>;
};

type AnyAck = (ack: Ack<object>) => void;

/**
 * Attaches the client events to a socket: one listener per socket, dispatching through the shared
 * handler table (a listener per event and socket would cost a dozen closures per idle connection).
 * Each payload is parsed with clientEvents[E] first; failures answer VALIDATION_FAILED and change
 * nothing. Handler errors answer their ProtocolError code (STORAGE_UNAVAILABLE when storage fails,
 * INTERNAL for anything unexpected). An
 * unknown event answers VALIDATION_FAILED when it carries an ack. A missing ack is tolerated.
 */
export function bindEvents(socket: IoSocket, handlers: EventHandlers, logger: Logger): void {
  socket.onAny((event: unknown, ...args: unknown[]) => {
    const last = args[args.length - 1];
    const reply: AnyAck = typeof last === 'function' ? (last as AnyAck) : () => undefined;
    if (typeof event !== 'string' || !Object.hasOwn(clientEvents, event)) {
      reply({ ok: false, error: { code: 'VALIDATION_FAILED', message: `Unknown event ${JSON.stringify(String(event)).slice(0, 100)}` } });
      return;
    }
    const payload = typeof args[0] === 'function' ? undefined : args[0];
    void answering(socket, handle(event as ClientEventName, payload, handlers, logger, socket)).then(reply);
  });
}

async function handle<E extends ClientEventName>(event: E, payload: unknown, handlers: EventHandlers, logger: Logger, socket: IoSocket): Promise<Ack<object>> {
  const parsed = clientEvents[event].safeParse(payload);
  if (!parsed.success) return { ok: false, error: validationError(parsed.error, `${event} payload`).toBody() };
  try {
    const handler = handlers[event] as (socket: IoSocket, input: unknown) => object | Promise<object>;
    return { ok: true, ...(await handler(socket, parsed.data)) };
  } catch (error) {
    const body = errorBodyOf(error, (err) => logger.error({ err, event, userId: socket.data.user.userId, deviceId: socket.data.deviceId }, 'event handler failed'));
    return { ok: false, error: body };
  }
}
