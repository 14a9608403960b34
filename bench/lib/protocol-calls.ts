import type { Ack, ClientAckResult, ClientEventName, ClientPayload } from '../../shared/protocol';
import type { OurSocket } from '../clients/our-protocol-client';

/** Emits a client event and resolves with the server's acknowledgement (or rejects on timeout). */
export function request<E extends ClientEventName>(socket: OurSocket, event: E, payload: ClientPayload<E>, timeoutMs = 10_000): Promise<Ack<ClientAckResult<E>>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${event}: no acknowledgement within ${timeoutMs} ms`)), timeoutMs);
    const emit = socket.emit.bind(socket) as (event: string, payload: unknown, ack: (ack: Ack<ClientAckResult<E>>) => void) => void;
    emit(event, payload, (ack) => {
      clearTimeout(timer);
      resolve(ack);
    });
  });
}

/** Like `request`, but throws when the acknowledgement is an error. */
export async function requestOk<E extends ClientEventName>(socket: OurSocket, event: E, payload: ClientPayload<E>, timeoutMs = 10_000): Promise<ClientAckResult<E>> {
  const ack = await request(socket, event, payload, timeoutMs);
  if (!ack.ok) throw new Error(`${event} refused: ${ack.error.code} ${ack.error.message}`);
  return ack;
}
