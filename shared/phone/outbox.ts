import { SIGNAL_BUFFER_LIMIT, type ClientEventName } from '../protocol';
import type { OutgoingMessage } from '../call/types';
import type { RequestResult } from './wire';

/** In-call relays that are kept while the session is offline and sent, in order, once it is back. */
export const DEFERRED_EVENTS: ReadonlySet<ClientEventName> = new Set(['call:signal', 'call:hold', 'call:mute']);

/** Per call, the same bound the server keeps for a device that is away; past it the oldest is dropped (the media set-up restart recovers). */
const MAX_PER_CALL = SIGNAL_BUFFER_LIMIT;

interface Held {
  message: OutgoingMessage;
  settle: (result: RequestResult<ClientEventName>) => void;
}

/**
 * The sending half of signal delivery (docs/media.md, "Signal delivery"): messages of live calls
 * produced while signalling is not online (finding 1 of issue 12: they used to fail with OFFLINE and
 * were lost, so a call set up across a service restart never got its offer). A message is only held
 * when it was never handed to the socket, so sending it later cannot duplicate it. Each message's
 * promise settles when it is finally sent (with the acknowledgement) or when its call ends first.
 * Once the server has a signal it keeps it for the other device until that device acknowledges it
 * (server/src/calls/signal-relay.ts), and the other PhoneCore drops copies (relayed-signals.ts). A
 * message the socket took but the connection lost before the server read it is not sent again (the
 * server may have it; a second copy could arrive twice): the media set-up restart recovers from that.
 */
export class Outbox {
  private readonly held = new Map<string, Held[]>();

  has(callId: string): boolean {
    return (this.held.get(callId)?.length ?? 0) > 0;
  }

  get size(): number {
    let total = 0;
    for (const queue of this.held.values()) total += queue.length;
    return total;
  }

  hold(callId: string, message: OutgoingMessage): Promise<RequestResult<ClientEventName>> {
    return new Promise((settle) => {
      const queue = this.held.get(callId) ?? [];
      queue.push({ message, settle });
      if (queue.length > MAX_PER_CALL) queue.shift()!.settle(notSent('dropped: too many messages held while offline'));
      this.held.set(callId, queue);
    });
  }

  /** Hands every held message, oldest first, to `send` (calls still live) or settles it as not sent. */
  flush(isLive: (callId: string) => boolean, send: (callId: string, message: OutgoingMessage) => Promise<RequestResult<ClientEventName>>): void {
    const entries = [...this.held.entries()];
    this.held.clear();
    for (const [callId, queue] of entries) {
      for (const { message, settle } of queue) {
        if (isLive(callId)) void send(callId, message).then(settle);
        else settle(notSent('the call ended before signalling came back'));
      }
    }
  }

  /** The call ended: its held messages will never be sent. */
  drop(callId: string): void {
    for (const { settle } of this.held.get(callId) ?? []) settle(notSent('the call ended before signalling came back'));
    this.held.delete(callId);
  }
}

function notSent(message: string): RequestResult<ClientEventName> {
  return { ok: false, error: { code: 'OFFLINE', message } };
}
