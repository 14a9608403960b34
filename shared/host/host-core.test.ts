import { describe, expect, it } from 'vitest';
import { ALICE, BOB, CALL_ID, CALL_ID_2, CAROL, SUPPORT, incomingCall } from '../testing/fixtures';
import { AUTO_ANSWER_DELAY_MS } from '../phone/auto-answer';
import type { AgentStatus, MissedCall } from '../protocol';
import { createHostHandlers } from './host-handlers';
import { flushAll, hostHarness } from './host-test-harness';

/** An answered outgoing call to Bob (CALL_ID_2). */
async function activeOutgoing(h: ReturnType<typeof hostHarness>, media: 'audio' | 'video' = 'audio') {
  h.transport.respond('call:invite', () => ({ ok: true, callId: CALL_ID_2, status: 'ringing', devices: 1, callee: BOB, ringUntil: '2025-01-01T10:01:00.000Z' }));
  await h.core.placeCall('bob', media);
  h.transport.push('call:accepted', { callId: CALL_ID_2, by: BOB, deviceId: 'device-bob-1' });
  await flushAll();
}

const missed = (id: string, from = ALICE, at = '2025-01-01T09:00:00.000Z'): MissedCall => ({ id, callId: id, from, media: 'audio', at, reason: 'no-answer' });
const M1 = '10000000-0000-4000-8000-000000000001';
const M2 = '10000000-0000-4000-8000-000000000002';
const M3 = '10000000-0000-4000-8000-000000000003';
const M4 = '10000000-0000-4000-8000-000000000004';

describe('host core: ring surfaces', () => {
  it('one incoming call starts every surface once, with the ring settings, and tells the renderers', async () => {
    const h = hostHarness({ settings: { version: 2, ringtone: 'soft', ringerDeviceId: 'usb-headset', ringOnAllOutputs: true } });
    await h.online();
    h.transport.push('call:incoming', incomingCall({ from: BOB, media: 'video' }));
    h.transport.push('call:incoming', incomingCall({ from: BOB, media: 'video' }));
    await flushAll();
    const ring = { silent: false, waiting: false, ringtone: 'soft', ringerDeviceId: 'usb-headset', ringOnAllOutputs: true, autoAnswer: false };
    expect(h.surfaceLog).toEqual(['incoming-window', 'notification', 'tray'].map((surface) => ({ surface, action: 'start', callId: CALL_ID, ring })));
    expect(h.eventNames().filter((n) => n === 'phone.incoming')).toHaveLength(1);
    expect(h.trays.at(-1)).toMatchObject({ ringing: true, tooltip: expect.stringContaining('Incoming call from \u2068Bob\u2069 (@bob)') });
  });

  it.each([
    ['answered elsewhere', 'answered-elsewhere'],
    ['cancelled by the caller', 'cancelled'],
    ['timed out', 'no-answer'],
    ['declined everywhere', 'declined-elsewhere'],
  ] as const)('every surface stops together when the call is %s', async (_label, reason) => {
    const h = hostHarness();
    await h.online();
    h.transport.push('call:incoming', incomingCall({ from: BOB }));
    await flushAll();
    h.transport.push('call:ended', { callId: CALL_ID, reason });
    await flushAll();
    const stops = h.surfaceLog.filter((r) => r.action === 'stop');
    expect(stops.map((r) => r.surface)).toEqual(['incoming-window', 'notification', 'tray']);
    expect(new Set(stops.map((r) => (r.action === 'stop' ? r.reason : null)))).toEqual(new Set([reason]));
    expect(h.events.filter((e) => e.name === 'phone.ringStopped')).toEqual([{ name: 'phone.ringStopped', payload: { callId: CALL_ID, reason } }]);
    expect(h.trays.at(-1)?.ringing).toBe(false);
  });

  it('answering here stops every surface, brings the main window forward and records audio-only for "answer"', async () => {
    const h = hostHarness();
    await h.online();
    h.transport.respond('call:accept', () => ({ ok: true, caller: BOB }));
    h.transport.push('call:incoming', incomingCall({ from: BOB, media: 'video' }));
    await flushAll();
    const handlers = createHostHandlers(h.core);
    await handlers['phone.answer']({ callId: CALL_ID, withVideo: false });
    await flushAll();
    expect(h.surfaceLog.filter((r) => r.action === 'stop').map((r) => r.surface)).toEqual(['incoming-window', 'notification', 'tray']);
    const answered = h.events.find((e) => e.name === 'phone.answered');
    expect(answered?.payload).toMatchObject({ initiator: false, localMedia: 'audio' });
    expect(h.presented).toEqual(['answered']);
    expect(h.power.at(-1)).toBe('prevent-display-sleep');
    expect(h.trays.at(-1)?.status).toBe('in-call');
  });

  it('declining stops every surface; a broken surface does not keep the others from ringing or stopping', async () => {
    const h = hostHarness();
    h.surfaces[0]!.failOnStart = true;
    await h.online();
    h.transport.push('call:incoming', incomingCall({ from: BOB }));
    await flushAll();
    expect(h.surfaceLog.filter((r) => r.action === 'start').map((r) => r.surface)).toEqual(['notification', 'tray']);
    expect(h.logger.messages('error').some((m) => m.includes('incoming-window'))).toBe(true);
    await createHostHandlers(h.core)['phone.decline']({ callId: CALL_ID });
    await flushAll();
    expect(h.transport.sent('call:reject')).toEqual([{ callId: CALL_ID, reason: 'declined' }]);
    expect(h.surfaceLog.filter((r) => r.action === 'stop').map((r) => r.surface)).toEqual(['incoming-window', 'notification', 'tray']);
  });

  it('a blocked caller never reaches a surface (ring policy from settings)', async () => {
    const h = hostHarness({ settings: { version: 2, blocklist: [BOB.username] } });
    await h.online();
    h.transport.push('call:incoming', incomingCall({ from: BOB }));
    await flushAll();
    expect(h.surfaceLog).toEqual([]);
    expect(h.transport.sent('call:reject')).toEqual([{ callId: CALL_ID, reason: 'blocked' }]);
  });

  it('a call still ringing at reconnect that the server no longer lists stops ringing', async () => {
    const h = hostHarness();
    await h.online();
    h.transport.push('call:incoming', incomingCall({ from: BOB }));
    await flushAll();
    h.transport.drop();
    h.transport.acceptConnection();
    h.transport.push('session:ready', (await import('../testing/phone-harness')).sessionReady({ pendingInvites: [] }));
    await flushAll();
    expect(h.surfaceLog.filter((r) => r.action === 'stop').map((r) => r.surface)).toEqual(['incoming-window', 'notification', 'tray']);
  });
});

describe('host core: missed calls', () => {
  it('groups a batch delivered at connect, counts each call once across reconnects, and resets on history.opened', async () => {
    const h = hostHarness();
    await h.online();
    h.transport.push('missed:calls', { calls: [missed(M1, BOB), missed(M2, BOB), missed(M3, CAROL)] });
    await flushAll();
    expect(h.notifications).toEqual([[{ id: `missed-group:${M1}`, title: '3 missed calls', body: '\u2068Bob\u2069 (@bob) ×2, \u2068Carol\u2069 (@carol)', missedIds: [M1, M2, M3] }]]);
    expect(h.badges).toEqual([3]);

    h.transport.drop();
    h.transport.acceptConnection();
    h.transport.push('session:ready', (await import('../testing/phone-harness')).sessionReady());
    h.transport.push('missed:calls', { calls: [missed(M1, BOB), missed(M2, BOB), missed(M3, CAROL)] });
    h.transport.push('missed:calls', { calls: [missed(M4, CAROL)] });
    await flushAll();
    expect(h.notifications.slice(1)).toEqual([[{ id: M4, title: 'Missed call from \u2068Carol\u2069 (@carol)', body: 'Audio call', missedIds: [M4] }]]);
    expect(h.badges.at(-1)).toBe(4);
    expect(h.core.bridgeSnapshot().missedCount).toBe(4);
    expect(h.trays.at(-1)?.tooltip).toContain('4 missed calls');

    h.transport.respond('missed:ack', (p) => ({ ok: true, acknowledged: (p as { ids: string[] }).ids.length }));
    expect(await createHostHandlers(h.core)['history.opened']({})).toEqual({ missedCount: 0 });
    expect(h.badges.at(-1)).toBe(0);
    expect(h.transport.sent('missed:ack')).toEqual([{ ids: [M1, M2, M3, M4] }]);
    expect(h.core.bridgeSnapshot().missedCount).toBe(0);
  });
});

describe('host core: tray status', () => {
  it('follows connection, DND and calls', async () => {
    const h = hostHarness();
    await h.core.start();
    expect(h.trays.at(-1)?.status).toBe('reconnecting');
    h.transport.acceptConnection();
    h.transport.push('session:ready', (await import('../testing/phone-harness')).sessionReady());
    await flushAll();
    expect(h.trays.at(-1)?.status).toBe('online');
    h.transport.respond('presence:set', () => ({ ok: true, status: 'dnd' }));
    await h.core.toggleDnd();
    expect(h.core.settings.status).toBe('dnd');
    expect(h.trays.at(-1)?.status).toBe('dnd');
    expect(h.transport.sent('presence:set')).toEqual([{ status: 'dnd' }]);
    h.transport.drop();
    await flushAll();
    expect(h.trays.at(-1)?.status).toBe('reconnecting');
    h.transport.acceptConnection();
    h.transport.push('session:ready', (await import('../testing/phone-harness')).sessionReady());
    await flushAll();
    await activeOutgoing(h);
    expect(h.trays.at(-1)?.status).toBe('in-call');
    expect(h.power.at(-1)).toBe('prevent-app-suspension');
  });

  it('is signed-out without a session, and sign-out clears tokens and the history cache', async () => {
    const h = hostHarness({ signedIn: false });
    await h.core.start();
    expect(h.trays.at(-1)?.status).toBe('signed-out');
    const signedIn = hostHarness();
    await signedIn.online();
    signedIn.storage.history = [];
    await createHostHandlers(signedIn.core)['auth.logout']({});
    expect(signedIn.storage.session).toBeNull();
    expect(signedIn.storage.history).toBeNull();
    expect(signedIn.trays.at(-1)?.status).toBe('signed-out');
  });
});

describe('host core: deep links and shortcuts', () => {
  it('prompts for a valid link without dialling, and reports a bad one', async () => {
    const h = hostHarness();
    await h.online();
    const prompt = h.core.handleDeepLink('softphone://call/bob?media=video');
    expect(prompt).toMatchObject({ username: 'bob', media: 'video', scheme: 'softphone' });
    expect(h.transport.sent('call:invite')).toEqual([]);
    expect(h.events.at(-1)).toEqual({ name: 'deepLink.prompt', payload: prompt });
    expect(h.core.handleDeepLink('tel:+1 555 0100')).toBeNull();
    expect(h.events.at(-1)).toMatchObject({ name: 'deepLink.error', payload: { message: expect.stringContaining('turned off') } });
    expect(h.presented).toEqual(['deep-link', 'deep-link']);
    await expect(h.core.confirmDeepLink('link-999', true, 'audio')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await h.core.confirmDeepLink(prompt!.promptId, false, 'audio')).toBeNull();
    expect(h.transport.sent('call:invite')).toEqual([]);
  });

  it('asks to sign in when a link arrives signed out', async () => {
    const h = hostHarness({ signedIn: false });
    await h.core.start();
    expect(h.core.handleDeepLink('softphone://call/bob')).toBeNull();
    expect(h.events.at(-1)).toMatchObject({ name: 'deepLink.error', payload: { message: 'Sign in to call bob.' } });
  });

  it('answer, decline-or-hang-up and mute shortcuts act on the right call', async () => {
    const h = hostHarness();
    await h.online();
    await h.core.runShortcut('toggleMute');
    expect(h.eventNames()).not.toContain('shortcut.toggleMute');
    await activeOutgoing(h);
    await h.core.runShortcut('toggleMute');
    expect(h.events.at(-1)).toEqual({ name: 'shortcut.toggleMute', payload: {} });
    h.transport.push('call:incoming', incomingCall({ from: CAROL }));
    await flushAll();
    await h.core.runShortcut('declineOrHangup');
    expect(h.transport.sent('call:reject')).toEqual([{ callId: CALL_ID, reason: 'declined' }]);
    await h.core.runShortcut('declineOrHangup');
    expect(h.transport.sent('call:hangup')).toEqual([{ callId: CALL_ID_2, reason: 'hangup' }]);
  });
});

describe('host core: settings', () => {
  it('auto-answer for line calls is a device setting handed to PhoneCore: the snapshot shows the countdown, the bridge stops it, or it answers audio-only', async () => {
    const h = hostHarness();
    const agent: AgentStatus = { state: 'available', chosen: 'online', reason: null, since: '2025-01-01T09:00:00.000Z', lines: [SUPPORT], wrapUp: null, offer: null };
    await h.online({ agent });
    const handlers = createHostHandlers(h.core);
    h.transport.respond('call:accept', () => ({ ok: true, caller: BOB }));
    h.transport.push('call:incoming', incomingCall({ from: BOB, line: SUPPORT }));
    await flushAll();
    expect(h.core.bridgeSnapshot().autoAnswer).toBeNull();
    expect(h.events.find((e) => e.name === 'phone.incoming')).toMatchObject({ payload: { ring: { autoAnswer: false } } });
    h.transport.push('call:ended', { callId: CALL_ID, reason: 'cancelled' });

    await handlers['settings.update']({ autoAnswerLineCalls: true });
    expect(h.storage.settings).toMatchObject({ autoAnswerLineCalls: true });
    h.transport.push('call:incoming', incomingCall({ callId: CALL_ID_2, from: BOB, line: SUPPORT }));
    await flushAll();
    expect(h.core.bridgeSnapshot().autoAnswer).toMatchObject({ callId: CALL_ID_2 });
    // Every ring surface is told: the ringer plays the short auto-answer tone instead of the ringtone.
    expect(h.events.filter((e) => e.name === 'phone.incoming').at(-1)).toMatchObject({ payload: { call: { callId: CALL_ID_2 }, ring: { autoAnswer: true } } });
    await handlers['phone.cancelAutoAnswer']({ callId: CALL_ID_2 });
    expect(h.core.bridgeSnapshot().autoAnswer).toBeNull();
    // It keeps ringing, now with the ringtone: the ringer is told again without auto-answer.
    expect(h.events.filter((e) => e.name === 'phone.incoming').at(-1)).toMatchObject({ payload: { call: { callId: CALL_ID_2 }, ring: { autoAnswer: false } } });
    h.clock.advance(AUTO_ANSWER_DELAY_MS);
    await flushAll();
    expect(h.transport.sent('call:accept')).toEqual([]);
    h.transport.push('call:ended', { callId: CALL_ID_2, reason: 'cancelled' });

    const third = 'cccccccc-cccc-4ccc-8ccc-cccccccccccc';
    h.transport.push('call:incoming', incomingCall({ callId: third, from: BOB, line: SUPPORT, media: 'video' }));
    await flushAll();
    h.clock.advance(AUTO_ANSWER_DELAY_MS);
    await flushAll();
    expect(h.transport.sent('call:accept')).toEqual([{ callId: third }]);
    expect(h.events.find((e) => e.name === 'phone.answered')).toMatchObject({ payload: { call: { callId: third }, localMedia: 'audio' } });
  });

  it('migrates stored settings at start and saves them; a failing OS integration reverts the change', async () => {
    const applied: string[] = [];
    const h = hostHarness({
      settings: { serverUrl: 'http://127.0.0.1:4600', dnd: true },
      ports: {
        applySystemSettings: (next) => {
          applied.push(next.shortcuts.answer ?? 'none');
          if (next.shortcuts.answer === 'Alt+F1') throw new Error('shortcut taken');
        },
      },
    });
    await h.core.start();
    expect(h.storage.settings).toMatchObject({ version: 5, status: 'dnd', dndMode: 'reject', autoAnswerLineCalls: false });
    await expect(h.core.updateSettings({ shortcuts: { answer: 'Alt+F1' } })).rejects.toThrow('shortcut taken');
    expect(h.core.settings.shortcuts.answer).toBeNull();
    expect(applied).toEqual(['none', 'Alt+F1', 'none']);
  });

  it('changing the server URL signs out of the old server', async () => {
    const h = hostHarness();
    await h.online();
    await h.core.updateSettings({ serverUrl: 'https://phone.example.com' });
    expect(h.storage.session).toBeNull();
    expect(h.core.bridgeSnapshot().status).toBe('signed-out');
  });
});

describe('host core: presence', () => {
  it('forwards presence changes, and renews the subscription after a reconnect, reporting the statuses found then', async () => {
    const h = hostHarness();
    await h.online();
    let serverStatus: 'online' | 'offline' = 'online';
    h.transport.respond('presence:subscribe', (p) => ({ ok: true, presence: (p as { userIds: string[] }).userIds.map((userId) => ({ userId, status: serverStatus })) }));
    const presenceEvents = () => h.events.filter((e) => e.name === 'phone.presence').map((e) => e.payload);

    expect(await createHostHandlers(h.core)['phone.subscribePresence']({ userIds: [BOB.userId] })).toEqual({ presence: [{ userId: BOB.userId, status: 'online' }] });
    h.transport.push('presence:changed', { userId: BOB.userId, status: 'busy' });
    await flushAll();
    expect(presenceEvents()).toEqual([{ userId: BOB.userId, status: 'busy' }]);

    serverStatus = 'offline'; // Bob went away while this socket was down: no presence:changed reached it
    h.transport.drop();
    await flushAll();
    h.transport.acceptConnection();
    h.transport.push('session:ready', (await import('../testing/phone-harness')).sessionReady());
    await flushAll();
    expect(h.transport.sent('presence:subscribe')).toEqual([{ userIds: [BOB.userId] }, { userIds: [BOB.userId] }]);
    expect(presenceEvents()).toEqual([
      { userId: BOB.userId, status: 'busy' },
      { userId: BOB.userId, status: 'offline' },
    ]);
  });
});
