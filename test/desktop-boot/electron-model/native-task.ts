import type { EventEmitter } from 'node:events';

/**
 * When JavaScript runs relative to Electron's C++ (the part of the model that decides whether a
 * quit completes).
 *
 * Electron emits every JS event through gin_helper (node::CallbackScope). When an emit starts from
 * a native task (a menu click, a window finishing its close, Dock › Quit, the will-quit of the last
 * window), that scope is the outermost one, and closing it runs a microtask checkpoint BEFORE the
 * C++ code after the emit continues. An emit reached from JavaScript (app.quit() called in a click
 * handler) is nested: its microtasks wait until that JavaScript returns.
 *
 * The model runs a native task as a Node macrotask (setImmediate), and an emit from a native task
 * as: emit synchronously, then `checkpoint()` (promise jobs only, no other task can run in
 * between), then the C++ continuation.
 */

/** Drains pending promise jobs (1,000 turns: any chain that does no I/O settles). No macrotask can run meanwhile. */
export async function checkpoint(): Promise<void> {
  for (let i = 0; i < 1_000; i += 1) await Promise.resolve();
}

/** Schedules `task` as a native task. */
export function nativeTask(task: () => void | Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => setImmediate(() => Promise.resolve().then(task).then(resolve, reject)));
}

/** Electron's event object: preventDefault() and defaultPrevented (gin_helper::internal::Event). */
export interface ModelEvent {
  preventDefault(): void;
  readonly defaultPrevented: boolean;
  [key: string]: unknown;
}

export function modelEvent(fields: Record<string, unknown> = {}): ModelEvent {
  let prevented = false;
  const event = Object.assign(Object.create(null) as object, fields);
  Object.defineProperty(event, 'preventDefault', { value: () => void (prevented = true) });
  Object.defineProperty(event, 'defaultPrevented', { get: () => prevented });
  return event as ModelEvent;
}

/** Emits `name` with a fresh event object first; returns whether a listener called preventDefault(). */
export function emitPreventable(emitter: EventEmitter, name: string, fields: Record<string, unknown> = {}, ...rest: unknown[]): boolean {
  const event = modelEvent(fields);
  emitter.emit(name, event, ...rest);
  return event.defaultPrevented;
}

/** An emit from a native task: listeners run, then the microtask checkpoint, then the caller continues. */
export async function emitFromNative(emitter: EventEmitter, name: string, fields: Record<string, unknown> = {}, ...rest: unknown[]): Promise<boolean> {
  const prevented = emitPreventable(emitter, name, fields, ...rest);
  await checkpoint();
  return prevented;
}
