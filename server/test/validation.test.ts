import { describe, expect, it } from 'vitest';
import { clientEvents, type ClientEventName } from '../../shared/protocol';
import { newUser } from './helpers/raw-device';
import { useRawServer } from './helpers/raw-server';

const rig = useRawServer();

const uuid = '3fae081b-2367-4a59-9497-34129c9059ab';
/** Malformed payloads for every client event: wrong shapes, wrong types, unknown keys. */
const malformed: Record<ClientEventName, unknown[]> = {
  'session:ping': ['x', 1, null, { extra: true }],
  'session:renew': [undefined, {}, { token: '' }, { token: 42 }, { token: 'x'.repeat(5_000) }, { token: 'abc', deviceId: 'dev-x' }],
  'call:invite': [undefined, 'bob', {}, { to: 'Bob Upper', media: 'audio' }, { to: 'bob', media: 'hologram' }, { to: 'bob', media: 'audio', x: 1 }],
  'call:ringing': [undefined, {}, { callId: 'not-a-uuid' }, { callId: uuid, silent: 'yes' }],
  'call:accept': [undefined, {}, { callId: 42 }, { callId: uuid, deviceId: 'dev-x' }],
  'call:reject': [undefined, { callId: uuid, reason: 'because' }, { callId: [uuid] }],
  'call:cancel': [undefined, { callId: '' }, { callId: uuid, by: 'me' }],
  'call:hangup': [undefined, { callId: uuid, reason: 'cancelled' }, { callId: null }],
  'call:signal': [
    undefined,
    { callId: uuid },
    { callId: uuid, data: { type: 'offer' } },
    { callId: uuid, data: { type: 'offer', sdp: 'x'.repeat(40_000) } },
    { callId: uuid, data: { type: 'candidate', candidate: { candidate: 1 } } },
    { callId: uuid, data: 'a string' },
  ],
  'call:hold': [undefined, { callId: uuid }, { callId: uuid, held: 'true' }],
  'call:mute': [undefined, { callId: uuid }, { callId: uuid, muted: 1 }, { callId: uuid, muted: true, by: uuid }],
  'missed:ack': [undefined, { ids: [] }, { ids: ['nope'] }, { ids: Array.from({ length: 501 }, () => uuid) }],
  'presence:subscribe': [undefined, { userIds: 'all' }, { userIds: ['nope'] }, { userIds: Array.from({ length: 501 }, () => uuid) }],
  'presence:set': [
    undefined,
    { status: 'busy' },
    { status: 'offline' },
    { status: 'wrap-up' },
    { status: 'online', extra: 1 },
    { status: 'online', reason: 'lunch' },
    { status: 'away', reason: 'missed-offer' },
    { status: 'away', reason: 'nap' },
  ],
  'wrapup:save': [
    undefined,
    { callId: uuid },
    { callId: uuid, notes: 'x'.repeat(4_001), outcomeCode: null, tags: [] },
    { callId: uuid, notes: 'a\u0000b', outcomeCode: null, tags: [] },
    { callId: uuid, notes: '', outcomeCode: null, tags: Array.from({ length: 11 }, (_, i) => `t${i}`) },
    { callId: uuid, notes: '', outcomeCode: null, tags: [''] },
    { callId: uuid, notes: '', outcomeCode: null, tags: [], agentId: uuid },
  ],
  'wrapup:done': [undefined, {}, { callId: 'nope' }, { callId: uuid, notes: 7 }, { callId: uuid, extra: true }],
  'line:watch': [undefined, {}, { lineIds: 'all' }, { lineIds: ['nope'] }, { lineIds: Array.from({ length: 51 }, () => uuid) }],
  'call:transfer': [undefined, { callId: uuid, to: 'bob' }, { callId: uuid, to: 'Bob', mode: 'blind' }, { callId: uuid, to: 'bob', mode: 'warm' }, { callId: 'x', to: 'bob', mode: 'consult' }, { callId: uuid, to: 'bob', mode: 'blind', by: uuid }],
  'transfer:swap': [undefined, {}, { transferId: 'nope' }, { transferId: uuid, leg: 'original' }],
  'transfer:merge': [undefined, { transferId: uuid }, { transferId: uuid, merged: 'yes' }, { transferId: 1, merged: true }],
  'transfer:complete': [undefined, { transferId: null }, { transferId: uuid, by: 'system' }],
  'transfer:cancel': [undefined, { transferId: '' }, { transferId: uuid, reason: 'cancelled' }],
};

describe('payload validation', () => {
  it('every client event answers VALIDATION_FAILED for malformed payloads, and the server keeps serving', async () => {
    const alice = await newUser(rig.url, 'alice');
    const bob = await newUser(rig.url, 'bob');
    const a = await rig.connect(alice, 'val-a');
    const b = await rig.connect(bob, 'val-b');
    expect(Object.keys(malformed).sort()).toEqual(Object.keys(clientEvents).sort());
    for (const [event, payloads] of Object.entries(malformed) as Array<[ClientEventName, unknown[]]>) {
      for (const payload of payloads) {
        const ack = await a.request(event, payload);
        expect(ack, `${event} ${JSON.stringify(payload)?.slice(0, 80)}`).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
        if (!ack.ok) expect(ack.error.issues?.length).toBeGreaterThan(0);
      }
    }
    // An unknown event with an ack gets a typed error; without an ack callback nothing happens.
    expect(await a.request('no:such-event' as ClientEventName, { x: 1 })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    a.socket.emit('call:invite', { to: bob.user.username, media: 'nope' });
    a.socket.emit('call:accept');
    a.socket.emit('no:such-event', { x: 1 });
    await a.settle();
    await b.settle();
    expect(b.all('call:incoming')).toHaveLength(0);

    // Still serving both of them.
    const { callId } = await a.ok('call:invite', { to: bob.user.username, media: 'audio' });
    await b.next('call:incoming');
    await b.ok('call:reject', { callId });
    expect(await a.next('call:ended')).toMatchObject({ callId, reason: 'declined' });
  });

  it('a payload over 64 KB closes only that socket', async () => {
    const alice = await newUser(rig.url, 'alice');
    const bob = await newUser(rig.url, 'bob');
    const a = await rig.connect(alice, 'big-a');
    const b = await rig.connect(bob, 'big-b');
    const gone = new Promise<string>((resolve) => a.socket.once('disconnect', resolve));
    a.socket.emit('call:invite', { to: bob.user.username, media: 'audio', pad: 'x'.repeat(70 * 1024) });
    expect(await gone).toBe('transport close');
    expect((await b.ok('session:ping', {})).serverTime).toBeTruthy();
  });
});
