import fc from 'fast-check';
import type { Socket } from 'socket.io-client';
import { ackSchema, clientEvents, type ClientEventName } from '../../../shared/protocol';
import type { FuzzBed } from './fuzz-bed';
import { malformed, onTheWire, type Json } from './malformed';

/**
 * Socket fuzzing: for one client event, generated payloads that are malformed (expect VALIDATION_FAILED)
 * or well-formed but aimed at other users' calls (expect CALL_NOT_FOUND) or other users' missed calls
 * (ignored: acknowledged 0). Every one must get an acknowledgement that matches the contract.
 */

export type Expectation = 'VALIDATION_FAILED' | 'CALL_NOT_FOUND' | 'TRANSFER_NOT_FOUND' | 'IGNORED';
export interface SocketCase {
  payload: Json;
  expect: Expectation;
}

const SOME_UUID = '0b7a4c2e-58f1-4a0e-8f3e-2f4d5e6a7b8c';
const CALL_SCOPED: Partial<Record<ClientEventName, (callId: string) => Json>> = {
  'call:ringing': (callId) => ({ callId, silent: false }),
  'call:accept': (callId) => ({ callId }),
  'call:reject': (callId) => ({ callId, reason: 'declined' }),
  'call:cancel': (callId) => ({ callId }),
  'call:hangup': (callId) => ({ callId, reason: 'hangup' }),
  'call:signal': (callId) => ({ callId, data: { type: 'offer', sdp: 'v=0' } }),
  'call:hold': (callId) => ({ callId, held: true }),
  'call:mute': (callId) => ({ callId, muted: true }),
  'call:transfer': (callId) => ({ callId, to: 'fuzz-bob', mode: 'blind' }),
};
/** Transfer events name a transfer: one that does not exist, or is not the sender's, is TRANSFER_NOT_FOUND. */
const TRANSFER_SCOPED: Partial<Record<ClientEventName, (transferId: string) => Json>> = {
  'transfer:swap': (transferId) => ({ transferId }),
  'transfer:merge': (transferId) => ({ transferId, merged: true }),
  'transfer:complete': (transferId) => ({ transferId }),
  'transfer:cancel': (transferId) => ({ transferId }),
};

function example(event: ClientEventName): Json {
  const scoped = CALL_SCOPED[event] ?? TRANSFER_SCOPED[event];
  if (scoped) return scoped(SOME_UUID);
  const examples: Partial<Record<ClientEventName, Json>> = {
    'session:ping': {},
    'session:renew': { token: 'not.a.token' },
    'call:invite': { to: 'fuzz-bob', media: 'audio' },
    'missed:ack': { ids: [SOME_UUID] },
    'presence:subscribe': { userIds: [SOME_UUID] },
    'presence:set': { status: 'away', reason: 'lunch' },
    'wrapup:save': { callId: SOME_UUID, notes: 'notes', outcomeCode: null, tags: ['vip'] },
    'wrapup:done': { callId: SOME_UUID, outcomeCode: 'solved' },
    'line:watch': { lineIds: [SOME_UUID] },
  };
  const value = examples[event];
  if (value === undefined) throw new Error(`no example payload for ${event}`);
  return value;
}

export function socketCases(event: ClientEventName, bed: FuzzBed): fc.Arbitrary<SocketCase> {
  const schema = clientEvents[event];
  const bad = malformed(example(event), (wire) => schema.safeParse(wire).success).map((payload): SocketCase => ({ payload, expect: 'VALIDATION_FAILED' }));
  const scoped = CALL_SCOPED[event];
  if (scoped) {
    const foreign = fc.constantFrom(...bed.foreignCallIds).map((callId): SocketCase => ({ payload: scoped(callId), expect: 'CALL_NOT_FOUND' }));
    return fc.oneof({ weight: 4, arbitrary: bad }, { weight: 1, arbitrary: foreign });
  }
  const transferScoped = TRANSFER_SCOPED[event];
  if (transferScoped) {
    const unknown = fc.uuid().map((transferId): SocketCase => ({ payload: transferScoped(transferId), expect: 'TRANSFER_NOT_FOUND' }));
    return fc.oneof({ weight: 4, arbitrary: bad }, { weight: 1, arbitrary: unknown });
  }
  if (event === 'missed:ack') {
    const foreign = fc.subarray(bed.foreignMissedIds, { minLength: 1 }).map((ids): SocketCase => ({ payload: { ids }, expect: 'IGNORED' }));
    return fc.oneof({ weight: 4, arbitrary: bad }, { weight: 1, arbitrary: foreign });
  }
  return bad;
}

/** Sends one case and checks its acknowledgement; returns a description of what went wrong, or null. */
export async function checkSocketCase(socket: Socket, event: ClientEventName, c: SocketCase): Promise<string | null> {
  let ack: unknown;
  try {
    ack = await socket.timeout(10_000).emitWithAck(event, c.payload);
  } catch (error) {
    return `no acknowledgement (${error instanceof Error ? error.message : String(error)}); connected=${socket.connected}`;
  }
  const parsed = ackSchema(event).safeParse(ack);
  if (!parsed.success) return `acknowledgement breaks the contract: ${JSON.stringify(ack).slice(0, 300)}`;
  const value = parsed.data as { ok: boolean; error?: { code: string }; acknowledged?: number };
  if (c.expect === 'IGNORED') return value.ok && value.acknowledged === 0 ? null : `expected acknowledged 0, got ${JSON.stringify(ack).slice(0, 300)}`;
  if (value.ok) return `accepted: ${JSON.stringify(ack).slice(0, 300)}`;
  return value.error?.code === c.expect ? null : `expected ${c.expect}, got ${value.error?.code}`;
}

export { onTheWire };
