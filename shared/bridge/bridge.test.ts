import { describe, expect, it } from 'vitest';
import { ALICE, CALL_ID } from '../testing/fixtures';
import { BridgeError, BridgeEventHub, createBridgeClient, createBridgeDispatcher, unwrap, type BridgeHandlers, type EventMessage } from './index';

function handlers(overrides: Partial<BridgeHandlers>): BridgeHandlers {
  return new Proxy(overrides, {
    get: (target, name: string) => target[name as keyof BridgeHandlers] ?? (() => Promise.reject(new Error(`unexpected ${name}`))),
  }) as BridgeHandlers;
}

describe('bridge dispatcher (receiving side)', () => {
  const calls: unknown[] = [];
  const dispatch = createBridgeDispatcher(
    handlers({
      'phone.answer': (request) => {
        calls.push(request);
        return {};
      },
      'auth.session': () => ({ user: ALICE, serverUrl: 'http://127.0.0.1:4600', accessToken: 'secret' }) as never,
      'phone.hold': () => {
        throw new BridgeError('CALL_NOT_FOUND', 'No such call');
      },
      'phone.decline': () => {
        throw new Error('database exploded at /home/me/secret');
      },
      'host.info': () => ({ kind: 'desktop' }) as never,
    }),
  );

  it.each([
    ['not an envelope', 'phone.answer'],
    ['unknown call', { name: 'phone.format', request: {} }],
    ['prototype key', { name: 'constructor', request: {} }],
    ['missing field', { name: 'phone.answer', request: { callId: CALL_ID } }],
    ['bad uuid', { name: 'phone.answer', request: { callId: 'x', withVideo: false } }],
    ['extra field', { name: 'phone.answer', request: { callId: CALL_ID, withVideo: false, evil: 1 } }],
    ['bad signal', { name: 'phone.signal', request: { callId: CALL_ID, data: { type: 'offer', sdp: 'x'.repeat(40_000) } } }],
  ])('rejects %s with VALIDATION_FAILED and does not run the handler', async (_what, message) => {
    const before = calls.length;
    const result = await dispatch(message);
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(calls.length).toBe(before);
  });

  it('runs the handler with the parsed request', async () => {
    expect(await dispatch({ name: 'phone.answer', request: { callId: CALL_ID, withVideo: true } })).toEqual({ ok: true, value: {} });
    expect(calls.at(-1)).toEqual({ callId: CALL_ID, withVideo: true });
  });

  it('strips fields the contract does not name from results', async () => {
    expect(await dispatch({ name: 'auth.session', request: {} })).toEqual({ ok: true, value: { user: ALICE, serverUrl: 'http://127.0.0.1:4600' } });
  });

  it('keeps typed errors and hides untyped ones', async () => {
    expect(await dispatch({ name: 'phone.hold', request: { callId: CALL_ID, held: true } })).toEqual({
      ok: false,
      error: { code: 'CALL_NOT_FOUND', message: 'No such call' },
    });
    const hidden = await dispatch({ name: 'phone.decline', request: { callId: CALL_ID } });
    expect(hidden).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(hidden)).not.toContain('secret');
  });

  it('refuses a result that breaks the contract', async () => {
    expect(await dispatch({ name: 'host.info', request: {} })).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });
});

describe('bridge client (renderer side)', () => {
  function pair(answer: (message: unknown) => unknown) {
    let push: (message: unknown) => void = () => {};
    const invalid: string[] = [];
    const client = createBridgeClient(
      {
        invoke: async (message) => answer(message),
        subscribe: (listener) => {
          push = listener;
          return () => (push = () => {});
        },
      },
      { onInvalid: (what) => invalid.push(what) },
    );
    return { client, push: (message: unknown) => push(message), invalid };
  }

  it('turns a result outside the contract into a TRANSPORT error', async () => {
    const { client, invalid } = pair(() => ({ ok: true, value: { kind: 'toaster' } }));
    expect(await client.invoke('host.info', {})).toMatchObject({ ok: false, error: { code: 'TRANSPORT' } });
    expect(invalid).toEqual(['host.info']);
  });

  it('turns a rejected transport into a TRANSPORT error and unwrap throws it typed', async () => {
    const { client } = pair(() => {
      throw new Error('channel closed');
    });
    const result = await client.invoke('settings.get', {});
    expect(() => unwrap(result)).toThrow(BridgeError);
    expect(result).toMatchObject({ ok: false, error: { code: 'TRANSPORT' } });
  });

  it('delivers valid events, drops invalid ones, and unsubscribes', async () => {
    const { client, push, invalid } = pair(() => ({ ok: true, value: {} }));
    const seen: unknown[] = [];
    const off = client.on('phone.ringStopped', (payload) => seen.push(payload));
    push({ name: 'phone.ringStopped', payload: { callId: CALL_ID, reason: 'answered-elsewhere' } });
    push({ name: 'phone.ringStopped', payload: { callId: CALL_ID, reason: 'because' } });
    push({ name: 'no.such', payload: {} });
    off();
    push({ name: 'phone.ringStopped', payload: { callId: CALL_ID, reason: 'cancelled' } });
    expect(seen).toEqual([{ callId: CALL_ID, reason: 'answered-elsewhere' }]);
    expect(invalid).toEqual(['phone.ringStopped', 'event']);
    expect(() => client.on('bogus' as never, () => {})).toThrow(TypeError);
  });
});

describe('bridge event hub (sending side)', () => {
  it('validates before sending and fans out to every sink', () => {
    const hub = new BridgeEventHub();
    const a: EventMessage[] = [];
    const b: EventMessage[] = [];
    hub.addSink((m) => a.push(m));
    const removeB = hub.addSink((m) => b.push(m));
    hub.emit('shortcut.toggleMute', {});
    removeB();
    hub.emit('deepLink.error', { link: 'softphone://x', message: 'bad' });
    expect(a.map((m) => m.name)).toEqual(['shortcut.toggleMute', 'deepLink.error']);
    expect(b.map((m) => m.name)).toEqual(['shortcut.toggleMute']);
    expect(() => hub.emit('phone.ringStopped', { callId: 'nope', reason: 'answered' })).toThrow();
  });
});
