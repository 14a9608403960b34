import type { Logger } from './ports';

type Listener = (...args: never[]) => void;

/** A small typed event emitter (shared/ cannot use Node's). A throwing listener is logged, not propagated. */
export class Emitter<Events extends { [K in keyof Events]: Listener }> {
  private readonly listeners = new Map<keyof Events, Set<Listener>>();

  constructor(private readonly logger: Logger) {}

  on<E extends keyof Events>(event: E, listener: Events[E]): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  emit<E extends keyof Events>(event: E, ...args: Parameters<Events[E]>): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) {
      try {
        (listener as (...a: Parameters<Events[E]>) => void)(...args);
      } catch (error) {
        this.logger.error(`a '${String(event)}' listener threw`, { error: error instanceof Error ? error.message : String(error) });
      }
    }
  }
}
