import { z } from 'zod';
import { BridgeError, BridgeErrorBody } from './errors';

export type BridgeResult<T> = { ok: true; value: T } | { ok: false; error: BridgeErrorBody };

export function ok<T>(value: T): BridgeResult<T> {
  return { ok: true, value };
}

export function fail(error: BridgeErrorBody): BridgeResult<never> {
  return { ok: false, error };
}

/** The value of a successful result; throws a BridgeError carrying the error body otherwise. */
export function unwrap<T>(result: BridgeResult<T>): T {
  if (result.ok) return result.value;
  throw new BridgeError(result.error.code, result.error.message, result.error.issues);
}

/** The envelope of one call as it crosses a transport. */
export const InvokeMessage = z.object({ name: z.string().max(64), request: z.unknown() }).strict();
export type InvokeMessage = z.infer<typeof InvokeMessage>;

/** The envelope of one event as it crosses a transport. */
export const EventMessage = z.object({ name: z.string().max(64), payload: z.unknown() }).strict();
export type EventMessage = z.infer<typeof EventMessage>;

export function resultSchema<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), value }), z.object({ ok: z.literal(false), error: BridgeErrorBody })]);
}
