import { describe, expect, it } from 'vitest';
import { ALICE, AT, BOB, CALL_ID, CAROL, SUPPORT, callView } from '../testing/fixtures';
import type { AgentStatus, HistoryEntry, MissedCall } from '../protocol';
import { defaultSettings } from '../settings';
import type { CallView, PhoneSnapshot } from './deps';
import { diagnosticsText, redactSecrets } from './diagnostics';
import { mergeHistory, pageFromCache } from './history-cache';
import { MissedCallTracker, missedNotifications } from './missed-calls';
import { callService } from './service-api';
import { hostStrings } from './strings';
import { trayStatus, trayView } from './tray-model';
import type { HostInfo } from '../bridge';
import { z } from 'zod';

const en = hostStrings('en');
const AVAILABLE = { status: 'available', awayReason: 'break' } as const;
const snapshot = (overrides: Partial<PhoneSnapshot> = {}): PhoneSnapshot => ({
  connection: { status: 'online', reason: null, code: null },
  user: ALICE,
  deviceId: 'device-1',
  presence: 'online',
  calls: [],
  missedCalls: [],
  transfers: [],
  roles: [],
  agent: null,
  autoAnswer: null,
  ...overrides,
});
const call = (overrides: Partial<CallView>): CallView => callView(overrides);
const missed = (n: number, from = BOB): MissedCall => ({
  id: `30000000-0000-4000-8000-00000000000${n}`,
  callId: `40000000-0000-4000-8000-00000000000${n}`,
  from,
  media: n % 2 ? 'audio' : 'video',
  at: '2025-01-01T10:00:00.000Z',
  reason: 'no-answer',
});

describe('tray model', () => {
  it.each([
    [null, 'available', 'signed-out'],
    [snapshot({ connection: { status: 'offline', reason: 'x', code: null } }), 'available', 'offline'],
    [snapshot({ connection: { status: 'reconnecting', reason: 'x', code: null } }), 'dnd', 'reconnecting'],
    [snapshot({ calls: [call({ phase: 'active' })] }), 'dnd', 'in-call'],
    [snapshot({ calls: [call({ direction: 'outgoing', phase: 'ringback' })] }), 'available', 'in-call'],
    [snapshot(), 'dnd', 'dnd'],
    [snapshot({ presence: 'dnd' }), 'available', 'dnd'],
    [snapshot({ calls: [call({ phase: 'incoming' })] }), 'available', 'online'],
    [snapshot(), 'available', 'online'],
    [snapshot({ presence: 'away' }), 'away', 'online'], // away still rings: the tray shows the phone as on
  ] as const)('%#: status %s', (snap, chosen, expected) => {
    expect(trayStatus(snap, chosen)).toBe(expected);
  });

  it('tooltip names the caller and the missed count, in the chosen language', () => {
    const view = trayView(snapshot({ calls: [call({})] }), AVAILABLE, 2, en);
    expect(view).toEqual({ status: 'online', missedCount: 2, ringing: true, tooltip: 'Softphone — Online\nIncoming call from \u2068Bob\u2069 (@bob)\n2 missed calls', agentMenu: [] });
    expect(trayView(snapshot(), AVAILABLE, 1, hostStrings('system', 'zh-Hans-CN')).tooltip).toBe('软电话 — 在线\n1 个未接来电');
  });

  it('an agent reads its agent state and gets its status items: Back to available after a missed offer, Finish wrap-up (blocked without a required outcome)', () => {
    const agent = (overrides: Partial<AgentStatus>): AgentStatus => ({ state: 'available', chosen: 'online', reason: null, since: AT, lines: [SUPPORT], wrapUp: null, offer: null, ...overrides });
    const missedOffer = trayView(snapshot({ agent: agent({ state: 'away', chosen: 'away', reason: 'missed-offer' }) }), { status: 'away', awayReason: 'break' }, 0, en);
    expect(missedOffer.tooltip).toBe('Softphone — Away: Missed call');
    expect(missedOffer.agentMenu[0]).toEqual({ type: 'action', label: 'Back to available', enabled: true, command: { kind: 'set-status', status: 'available' } });
    // The server's missed-offer reason is no choice: nothing in the list is checked for away.
    expect(missedOffer.agentMenu.filter((e) => e.type === 'choice' && e.checked)).toEqual([]);

    const task = { callId: CALL_ID, line: SUPPORT, mode: 'time-boxed' as const, startedAt: AT, until: AT, endedAt: null, outcomeCodes: [{ code: 'ok', label: 'OK' }], outcomeRequired: true, draft: { notes: '', outcomeCode: null, tags: [] }, editUntil: AT };
    const wrapping = trayView(snapshot({ agent: agent({ state: 'wrap-up', wrapUp: task }) }), AVAILABLE, 0, en);
    expect(wrapping.tooltip).toBe('Softphone — Wrap-up');
    expect(wrapping.agentMenu[0]).toEqual({ type: 'action', label: 'Finish wrap-up (choose an outcome first)', enabled: false, command: { kind: 'finish-wrap-up', callId: CALL_ID } });
    const ready = trayView(snapshot({ agent: agent({ state: 'wrap-up', wrapUp: { ...task, draft: { ...task.draft, outcomeCode: 'ok' } } }) }), AVAILABLE, 0, en);
    expect(ready.agentMenu[0]).toMatchObject({ label: 'Finish wrap-up', enabled: true });

    const lunch = trayView(snapshot({ agent: agent({ state: 'away', chosen: 'away', reason: 'lunch' }) }), { status: 'away', awayReason: 'lunch' }, 0, en);
    expect(lunch.agentMenu.filter((e) => e.type === 'choice').map((e) => (e.type === 'choice' && e.checked ? `[${e.label}]` : e.label))).toEqual([
      'Available',
      'Away: Break',
      '[Away: Lunch]',
      'Away: Training',
      'Away: Meeting',
      'Away: Other',
      'Do not disturb',
    ]);
    expect(trayView(snapshot(), AVAILABLE, 0, en).agentMenu).toEqual([]);
  });
});

describe('missed calls', () => {
  it('one notification for one call, one group for a batch', () => {
    expect(missedNotifications([missed(1)], en)).toEqual([{ id: missed(1).id, title: 'Missed call from \u2068Bob\u2069 (@bob)', body: 'Audio call', missedIds: [missed(1).id] }]);
    expect(missedNotifications([missed(1), missed(2, CAROL), missed(3)], en)).toEqual([
      { id: `missed-group:${missed(1).id}`, title: '3 missed calls', body: '\u2068Bob\u2069 (@bob) ×2, \u2068Carol\u2069 (@carol)', missedIds: [missed(1).id, missed(2).id, missed(3).id] },
    ]);
    expect(missedNotifications([], en)).toEqual([]);
  });

  it('counts each id once and resets', () => {
    const tracker = new MissedCallTracker();
    expect(tracker.add([missed(1), missed(2)])).toHaveLength(2);
    expect(tracker.add([missed(2), missed(3)]).map((c) => c.id)).toEqual([missed(3).id]);
    expect(tracker.count).toBe(3);
    expect(tracker.reset()).toHaveLength(3);
    expect(tracker.count).toBe(0);
    expect(tracker.add([missed(1)])).toEqual([]);
  });
});

describe('history cache', () => {
  const entry = (n: number, missedCall = false): HistoryEntry => ({
    callId: `50000000-0000-4000-8000-0000000000${String(n).padStart(2, '0')}`,
    direction: 'incoming',
    peer: BOB,
    media: 'audio',
    outcome: missedCall ? 'no-answer' : 'answered',
    endReason: null,
    missed: missedCall,
    startedAt: `2025-01-01T10:${String(n).padStart(2, '0')}:00.000Z`,
    answeredAt: null,
    endedAt: null,
    ringMs: null,
    talkMs: null,
  });

  it('merges newest first without duplicates and pages offline with its own cursors', () => {
    const merged = mergeHistory([entry(1), entry(2, true)], [entry(3), entry(2, true)]);
    expect(merged.map((e) => e.startedAt.slice(14, 16))).toEqual(['03', '02', '01']);
    const first = pageFromCache(merged, { limit: 2, missedOnly: false });
    expect(first).toMatchObject({ source: 'cache', nextCursor: 'cache:2' });
    expect(pageFromCache(merged, { limit: 2, cursor: 'cache:2', missedOnly: false }).calls).toEqual([entry(1)]);
    expect(pageFromCache(merged, { limit: 10, missedOnly: true }).calls).toEqual([entry(2, true)]);
  });
});

describe('diagnostics', () => {
  it('contains version, settings and connection but no secrets', () => {
    const text = diagnosticsText({
      info: { kind: 'electron', platform: 'linux', version: '1.2.3', capabilities: {} as z.infer<typeof HostInfo>['capabilities'] },
      settings: { ...defaultSettings(), blocklist: ['eve'], ringerDeviceId: 'secret-device-id' },
      snapshot: snapshot({ connection: { status: 'reconnecting', reason: 'server unreachable', code: 'transport' } }),
      logLines: ['login ok token=abc.def', 'Authorization: Bearer eyJhbGciOi.eyJzdWIi.sig', '{"refreshToken":"r-123"}'],
      now: new Date('2025-01-01T10:00:00.000Z'),
    });
    expect(text).toContain('Host: electron 1.2.3 on linux');
    expect(text).toContain('Connection: reconnecting (server unreachable) [transport]');
    expect(text).toContain('"blocklist":"1 entries"');
    for (const secret of ['abc.def', 'eyJhbGciOi', 'r-123', 'secret-device-id', 'eve']) expect(text).not.toContain(secret);
    expect(redactSecrets('password: hunter2')).toBe('password: [redacted]');
  });
});

describe('service API errors', () => {
  const schema = z.object({ ok: z.literal(1) });
  const base = { method: 'GET' as const, serverUrl: 'http://127.0.0.1:1/', path: '/api/x' };

  it('maps unreachable, typed errors, server failures and bad bodies', async () => {
    await expect(callService(() => Promise.reject(new Error('ECONNREFUSED')), base, schema)).rejects.toMatchObject({ code: 'OFFLINE' });
    await expect(
      callService(async () => ({ status: 401, body: { error: { code: 'TOKEN_EXPIRED', message: 'expired' } } }), base, schema),
    ).rejects.toMatchObject({ code: 'TOKEN_EXPIRED', message: 'expired' });
    await expect(callService(async () => ({ status: 502, body: null }), base, schema)).rejects.toMatchObject({ code: 'OFFLINE' });
    await expect(callService(async () => ({ status: 200, body: { ok: 2 } }), base, schema)).rejects.toMatchObject({ code: 'INTERNAL' });
    let seenUrl = '';
    await expect(
      callService(
        async (request) => {
          seenUrl = request.url;
          return { status: 200, body: { ok: 1 } };
        },
        { ...base, query: { q: 'a b', limit: 5, cursor: undefined }, token: 't' },
        schema,
      ),
    ).resolves.toEqual({ ok: 1 });
    expect(seenUrl).toBe('http://127.0.0.1:1/api/x?q=a%20b&limit=5');
  });
});
