import { describe, expect, it } from 'vitest';
import type { NotificationConstructorOptions } from 'electron';
import { BOB, CALL_ID, incomingCall } from '../../../shared/testing/fixtures';
import { hostStrings, type TrayView } from '../../../shared/host';
import { flushAll, hostHarness } from '../../../shared/host/host-test-harness';
import { IncomingWindowSurface, type IncomingWindowLike } from '../windows/incoming-window';
import { incomingWindowBounds } from '../windows/placement';
import { MissedCallNotifier } from './missed-notifier';
import { NotificationActionTokens } from './notification-actions';
import { incomingToastXml } from './notification-content';
import { NotificationSurface, type NotificationLike } from './notification-surface';
import { TraySurface } from './tray-surface';

/** A stand-in for BrowserWindow that records what the surface did to it. */
class FakeWindow {
  calls: string[] = [];
  bounds: unknown = null;
  visible = false;
  private showListeners: (() => void)[] = [];
  showInactive() {
    this.calls.push('showInactive');
    this.visible = true;
    this.showListeners.splice(0).forEach((l) => l());
  }
  show() {
    this.calls.push('show');
    this.visible = true;
  }
  focus() {
    this.calls.push('focus');
  }
  hide() {
    this.calls.push('hide');
    this.visible = false;
  }
  moveTop() {
    this.calls.push('moveTop');
  }
  setBounds(bounds: unknown) {
    this.bounds = bounds;
  }
  isDestroyed() {
    return false;
  }
  once(event: string, listener: () => void) {
    if (event === 'show') this.showListeners.push(listener);
    return this;
  }
}

class FakeNotification implements NotificationLike {
  static made: FakeNotification[] = [];
  shown = false;
  closed = false;
  private listeners: Record<string, ((...args: never[]) => void)[]> = {};
  constructor(readonly options: NotificationConstructorOptions) {
    FakeNotification.made.push(this);
  }
  on(event: string, listener: (...args: never[]) => void) {
    (this.listeners[event] ??= []).push(listener);
    return this;
  }
  emit(event: string, ...args: unknown[]) {
    for (const l of this.listeners[event] ?? []) (l as (...a: unknown[]) => void)(...args);
  }
  show() {
    this.shown = true;
  }
  close() {
    this.closed = true;
  }
}

const WORK_AREA = { x: 0, y: 0, width: 1920, height: 1040 };
const en = hostStrings('en');

/** The real Electron surfaces (over fake Electron objects) plugged into the real host core. */
function desktop(platform = 'linux', pops = true) {
  FakeNotification.made = [];
  const window = new FakeWindow();
  const actions: string[] = [];
  const flashes: boolean[] = [];
  const trayCalls: { icon: string; tooltip: string; badge: number }[] = [];
  let clock = 1_000;
  const latencies: number[] = [];
  const incoming = new IncomingWindowSurface({
    window: () => window as unknown as IncomingWindowLike,
    primaryWorkArea: () => WORK_AREA,
    platform,
    pops,
    now: () => (clock += 2),
    onShown: (_id, ms) => latencies.push(ms),
  });
  const tokens = new NotificationActionTokens(() => `token-${'x'.repeat(20)}-${actions.length}`);
  const notification = new NotificationSurface({
    create: (options) => new FakeNotification(options),
    isSupported: () => true,
    strings: () => en,
    platform,
    tokens,
    onClick: () => incoming.bringForward(),
    onAnswer: (id) => actions.push(`answer:${id}`),
    onDecline: (id) => actions.push(`decline:${id}`),
  });
  let lastView: TrayView | null = null;
  const tray = new TraySurface({
    setImage: (icon) => trayCalls.push({ icon, tooltip: lastView?.tooltip ?? '', badge: lastView?.missedCount ?? 0 }),
    setToolTip: () => {},
    setMenu: () => {},
    setBadgeCount: () => {},
    flashFrame: (on) => flashes.push(on),
    strings: () => en,
    dndOn: () => false,
    run: () => {},
  });
  const h = hostHarness({
    ports: {
      ringSurfaces: [incoming, notification, tray],
      status: (view) => {
        lastView = view;
        tray.update(view);
      },
    },
  });
  return { h, window, incoming, notification, tokens, actions, flashes, trayCalls, latencies };
}

describe('Electron ring surfaces driven by PhoneCore events', () => {
  it('an incoming call shows the hidden window without focus in the corner, a silent notification, and flashes the taskbar', async () => {
    const d = desktop();
    await d.h.online();
    d.h.transport.push('call:incoming', incomingCall({ from: BOB, media: 'video' }));
    await flushAll();
    expect(d.window.calls).toEqual(['showInactive', 'moveTop']);
    expect(d.window.bounds).toEqual(incomingWindowBounds(WORK_AREA, 'linux'));
    expect(d.latencies).toEqual([2]);
    const [shown] = FakeNotification.made;
    expect(shown?.options).toMatchObject({ title: 'Incoming call from \u2068Bob\u2069 (@bob)', body: 'Video call', silent: true, urgency: 'critical' });
    expect(shown?.shown).toBe(true);
    expect(d.flashes).toEqual([true]);
    expect(d.trayCalls.at(-1)?.icon).toBe('ringing');
  });

  it('answered elsewhere hides the window, closes the notification, stops the flash and restores the tray icon', async () => {
    const d = desktop();
    await d.h.online();
    d.h.transport.push('call:incoming', incomingCall({ from: BOB }));
    await flushAll();
    d.h.transport.push('call:ended', { callId: CALL_ID, reason: 'answered-elsewhere' });
    await flushAll();
    expect(d.window.calls.at(-1)).toBe('hide');
    expect(d.window.visible).toBe(false);
    expect(FakeNotification.made[0]?.closed).toBe(true);
    expect(d.flashes).toEqual([true, false]);
    expect(d.trayCalls.at(-1)?.icon).toBe('online');
  });

  it('a notification click brings the window forward with focus; a later click after the ring does nothing', async () => {
    const d = desktop();
    await d.h.online();
    d.h.transport.push('call:incoming', incomingCall({ from: BOB }));
    await flushAll();
    FakeNotification.made[0]!.emit('click');
    expect(d.window.calls.slice(-2)).toEqual(['show', 'focus']);
    d.h.transport.push('call:ended', { callId: CALL_ID, reason: 'cancelled' });
    await flushAll();
    const before = d.window.calls.length;
    d.incoming.bringForward();
    expect(d.window.calls.length).toBe(before);
  });

  it('Wayland: the notification rings and the window stays hidden until the notification is clicked', async () => {
    const d = desktop('linux', false);
    await d.h.online();
    d.h.transport.push('call:incoming', incomingCall({ from: BOB }));
    await flushAll();
    expect(d.window.calls).toEqual([]);
    expect(FakeNotification.made[0]).toMatchObject({ shown: true, options: { urgency: 'critical', timeoutType: 'never' } });
    FakeNotification.made[0]!.emit('click');
    expect(d.window.calls).toEqual(['show', 'focus']);
    expect(d.latencies).toEqual([]);
  });

  it('macOS offers Answer and Decline actions; details.actionIndex maps to the call', async () => {
    const d = desktop('darwin');
    await d.h.online();
    d.h.transport.push('call:incoming', incomingCall({ from: BOB }));
    await flushAll();
    const shown = FakeNotification.made[0]!;
    expect(shown.options.actions).toEqual([
      { type: 'button', text: 'Answer' },
      { type: 'button', text: 'Decline' },
    ]);
    // Electron 41: the index is in details.actionIndex (the positional argument is deprecated and may go).
    shown.emit('action', { actionIndex: 1 });
    shown.emit('action', { actionIndex: 0 });
    expect(d.actions).toEqual([`decline:${CALL_ID}`, `answer:${CALL_ID}`]);
    expect(d.window.bounds).toMatchObject({ y: 16 });
  });

  it('Windows gets toast XML whose buttons carry a one-time token, revoked when the ring stops', async () => {
    const d = desktop('win32');
    await d.h.online();
    d.h.transport.push('call:incoming', incomingCall({ from: { ...BOB, displayName: 'Bob <&> "B"' } }));
    await flushAll();
    const xml = FakeNotification.made[0]!.options.toastXml!;
    expect(xml).toContain('scenario="incomingCall"');
    expect(xml).toContain('Incoming call from \u2068Bob &lt;&amp;&gt; &quot;B&quot;\u2069 (@bob)');
    const link = /arguments="(softphone:\/\/notification\/[^"]+\/answer)"/.exec(xml)![1]!;
    expect(d.tokens.redeem(link.replace('/answer', '/decline').replace(/token-[^/]+/, 'forged-token-xxxxxxxxxxxx'))).toBeNull();
    d.h.transport.push('call:ended', { callId: CALL_ID, reason: 'cancelled' });
    await flushAll();
    expect(d.tokens.redeem(link)).toBeNull();
  });
});

describe('notification action tokens', () => {
  it('redeems a valid token once, for the call it was issued for', () => {
    let n = 0;
    const tokens = new NotificationActionTokens(() => `abcdefghijklmnop${n++}`);
    const token = tokens.issue(CALL_ID);
    expect(tokens.redeem(`softphone://notification/${token}/answer`)).toEqual({ callId: CALL_ID, action: 'answer' });
    expect(tokens.redeem(`softphone://notification/${token}/answer`)).toBeNull();
    expect(tokens.redeem('softphone://notification/short/answer')).toBeNull();
    expect(NotificationActionTokens.isNotificationLink('softphone://call/bob')).toBe(false);
  });

  it('escapes everything in the toast XML', () => {
    const view = { callId: CALL_ID, peer: { ...BOB, displayName: "O'Neil & <Co>" }, media: 'audio' } as Parameters<typeof incomingToastXml>[0];
    const xml = incomingToastXml(view, en, 'tok');
    expect(xml).toContain('O&apos;Neil &amp; &lt;Co&gt;');
    expect(xml).not.toContain('<Co>');
  });
});

describe('missed-call notifications and the tray', () => {
  it('shows grouped notifications and clears them when the history is opened', async () => {
    FakeNotification.made = [];
    const opened: string[] = [];
    const notifier = new MissedCallNotifier({ create: (o) => new FakeNotification(o), isSupported: () => true, onClick: () => opened.push('main') });
    notifier.notify([{ id: 'a', title: '3 missed calls', body: 'Bob (2), Carol', missedIds: ['1', '2', '3'] }]);
    FakeNotification.made[0]!.emit('click');
    expect(opened).toEqual(['main']);
    notifier.notify([{ id: 'b', title: 'Missed call from Bob', body: 'Audio call', missedIds: ['4'] }]);
    notifier.clear();
    expect(FakeNotification.made.map((n) => [n.options.title, n.closed])).toEqual([
      ['3 missed calls', false],
      ['Missed call from Bob', true],
    ]);
  });

  it('tray icon, tooltip, badge and menu follow the status', () => {
    const calls: Record<string, unknown[]> = { image: [], tooltip: [], badge: [], menu: [] };
    const commands: unknown[] = [];
    const tray = new TraySurface({
      setImage: (i) => calls.image!.push(i),
      setToolTip: (t) => calls.tooltip!.push(t),
      setMenu: (m) => calls.menu!.push(m),
      setBadgeCount: (c) => calls.badge!.push(c),
      flashFrame: () => {},
      strings: () => en,
      dndOn: () => true,
      run: (c) => commands.push(c),
    });
    for (const status of ['online', 'in-call', 'dnd', 'reconnecting', 'offline'] as const) {
      tray.update({ status, missedCount: 2, ringing: false, tooltip: `Softphone — ${status}`, agentMenu: [] });
    }
    expect(calls.image).toEqual(['online', 'in-call', 'dnd', 'reconnecting', 'offline']);
    expect(calls.badge).toEqual([2, 2, 2, 2, 2]);
    const menu = calls.menu!.at(-1) as { label?: string; click?: () => void; checked?: boolean }[];
    expect(menu.map((item) => item.label).filter(Boolean)).toEqual(['Softphone — offline', 'Open Softphone', 'Turn off Do not disturb', 'Quit']);
    menu.find((item) => item.label === 'Quit')!.click!();
    menu.find((item) => item.label === 'Turn off Do not disturb')!.click!();
    expect(commands).toEqual(['quit', 'toggle-dnd']);

    // A support-line agent: its one-click actions on top, the status choices in a submenu, no plain DND toggle.
    const finish = { kind: 'finish-wrap-up' as const, callId: 'c1' };
    tray.update({
      status: 'online',
      missedCount: 0,
      ringing: false,
      tooltip: 'Softphone — Wrap-up',
      agentMenu: [
        { type: 'action', label: 'Finish wrap-up', enabled: true, command: finish },
        { type: 'separator' },
        { type: 'choice', label: 'Available', checked: true, command: { kind: 'set-status', status: 'available' } },
        { type: 'choice', label: 'Away: Lunch', checked: false, command: { kind: 'set-status', status: 'away', awayReason: 'lunch' } },
      ],
    });
    const agentMenu = calls.menu!.at(-1) as { label?: string; click?: () => void; submenu?: { label: string; type: string; checked: boolean; click: () => void }[] }[];
    expect(agentMenu.map((item) => item.label).filter(Boolean)).toEqual(['Softphone — Wrap-up', 'Open Softphone', 'Finish wrap-up', 'Agent status', 'Quit']);
    const submenu = agentMenu.find((item) => item.label === 'Agent status')!.submenu!;
    expect(submenu.map((item) => [item.label, item.type, item.checked])).toEqual([
      ['Available', 'radio', true],
      ['Away: Lunch', 'radio', false],
    ]);
    agentMenu.find((item) => item.label === 'Finish wrap-up')!.click!();
    submenu[1]!.click();
    expect(commands.slice(2)).toEqual([finish, { kind: 'set-status', status: 'away', awayReason: 'lunch' }]);
  });
});

describe('incoming window placement', () => {
  it.each([
    ['linux', { x: 0, y: 0, width: 1920, height: 1040 }, { x: 1544, y: 836, width: 360, height: 188 }],
    ['win32', { x: 1920, y: 0, width: 1280, height: 984 }, { x: 2824, y: 780, width: 360, height: 188 }],
    ['darwin', { x: 0, y: 25, width: 1440, height: 875 }, { x: 1064, y: 41, width: 360, height: 188 }],
    ['linux', { x: 0, y: 0, width: 300, height: 150 }, { x: 0, y: 0, width: 300, height: 150 }],
  ])('%s %j', (platform, workArea, expected) => {
    expect(incomingWindowBounds(workArea, platform)).toEqual(expected);
  });
});

