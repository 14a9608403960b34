import { bridgeEvents, type BridgeEventName, type EventPayload } from './contract';
import type { EventMessage } from './result';

export type EventSink = (message: EventMessage) => void;

/**
 * The host's sending side of bridge events: validates each payload with the contract (a host
 * bug throws here, at its source) and fans the message out to every sink (windows, the page).
 */
export class BridgeEventHub {
  private readonly sinks = new Set<EventSink>();

  addSink(sink: EventSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  emit<E extends BridgeEventName>(name: E, payload: EventPayload<E>): void {
    const checked = bridgeEvents[name].parse(payload);
    const message: EventMessage = { name, payload: checked };
    for (const sink of [...this.sinks]) sink(message);
  }
}
