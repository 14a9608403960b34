import { describe, expect, it } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { hostStrings } from '../../shared/host';
import { appMenuTemplate } from './app-menu';
import { selfLaunch } from './config';
import { probeLinuxTrayHost } from './linux-tray-host';
import { chromiumFeatures, isWaylandSession, sessionTraits } from './session-traits';
import { updateFeed } from './updater';
import { publishArgs } from '../../scripts/publish-args.mjs';

const en = hostStrings('en');
const noSwitches = { ozonePlatform: '', ozonePlatformHint: '' };

/** Every item of a menu template, depth first. */
function items(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? items(item.submenu) : [])]);
}

describe('Wayland and the incoming window', () => {
  it('Linux under Wayland (Electron 38+ default) is detected from the session unless X11 is forced', () => {
    expect(isWaylandSession('linux', { XDG_SESSION_TYPE: 'wayland', WAYLAND_DISPLAY: 'wayland-0' }, noSwitches)).toBe(true);
    expect(isWaylandSession('linux', { WAYLAND_DISPLAY: 'wayland-0' }, noSwitches)).toBe(true);
    expect(isWaylandSession('linux', { XDG_SESSION_TYPE: 'x11', DISPLAY: ':0' }, noSwitches)).toBe(false);
    expect(isWaylandSession('linux', { XDG_SESSION_TYPE: 'x11', WAYLAND_DISPLAY: 'wayland-0' }, noSwitches)).toBe(false);
    expect(isWaylandSession('linux', { WAYLAND_DISPLAY: 'wayland-0' }, { ozonePlatform: 'x11', ozonePlatformHint: '' })).toBe(false);
    expect(isWaylandSession('linux', { WAYLAND_DISPLAY: 'wayland-0' }, { ozonePlatform: '', ozonePlatformHint: 'x11' })).toBe(false);
    expect(isWaylandSession('darwin', { WAYLAND_DISPLAY: 'wayland-0' }, noSwitches)).toBe(false);
  });

  it('on Wayland the notification rings (the window does not pop); all-workspaces only where it does something', () => {
    expect(sessionTraits('linux', true)).toEqual({ wayland: true, allWorkspaces: false, incomingWindowPops: false });
    expect(sessionTraits('linux', false)).toEqual({ wayland: false, allWorkspaces: true, incomingWindowPops: true });
    expect(sessionTraits('darwin', false)).toMatchObject({ allWorkspaces: true, incomingWindowPops: true });
    expect(sessionTraits('win32', false)).toMatchObject({ allWorkspaces: false, incomingWindowPops: true });
    expect(chromiumFeatures('linux')).toEqual(['GlobalShortcutsPortal']);
    expect(chromiumFeatures('win32')).toEqual([]);
  });
});

describe('application menu', () => {
  const actions = { open: () => undefined, quit: () => undefined };
  it.each(['darwin', 'win32', 'linux'])('%s: no reload anywhere, Quit is the app’s own (not role quit), devtools only unpackaged', (platform) => {
    for (const packaged of [true, false]) {
      const all = items(appMenuTemplate(platform, en, packaged, actions));
      expect(all.filter((item) => item.role && /reload/i.test(item.role))).toEqual([]);
      expect(all.some((item) => item.role === 'quit')).toBe(false);
      const quit = all.find((item) => item.label === en.menuQuit);
      expect(quit).toMatchObject({ accelerator: 'CommandOrControl+Q' });
      expect(typeof quit?.click).toBe('function');
      expect(all.some((item) => item.role === 'toggleDevTools')).toBe(!packaged);
      expect(all.some((item) => item.role === 'editMenu')).toBe(true);
    }
  });
});

describe('self launch, updates, tray host', () => {
  it('the OS starts the packaged executable, or the dev binary with the absolute app folder', () => {
    expect(selfLaunch(true, '/opt/Softphone/softphone', '/opt/Softphone/resources/app.asar')).toEqual({ exe: '/opt/Softphone/softphone', args: [] });
    expect(selfLaunch(false, '/repo/node_modules/electron/dist/electron', '/repo')).toEqual({ exe: '/repo/node_modules/electron/dist/electron', args: ['/repo'] });
  });

  it('update feed: the run-time URL, else the packaged app-update.yml, else none', () => {
    expect(updateFeed('https://u.example/sp', false)).toEqual({ url: 'https://u.example/sp' });
    expect(updateFeed(null, true)).toEqual({ url: null });
    expect(updateFeed(null, false)).toBeNull();
    expect(publishArgs(undefined)).toEqual([]);
    expect(publishArgs('https://u.example/sp')).toEqual(['-c.publish.provider=generic', '-c.publish.url=https://u.example/sp']);
    expect(() => publishArgs('http://u.example/sp')).toThrow(/https/);
  });

  it('a Linux tray is assumed only when a StatusNotifierWatcher owns its bus name', async () => {
    const answer = (error: Error | null, stdout: string) => (_f: string, _a: string[], _o: unknown, done: (e: Error | null, out: string) => void) => done(error, stdout);
    expect(await probeLinuxTrayHost(answer(null, 'method return ...\n   boolean true\n'))).toBe(true);
    expect(await probeLinuxTrayHost(answer(null, 'method return ...\n   boolean false\n'))).toBe(false);
    expect(await probeLinuxTrayHost(answer(new Error('spawn dbus-send ENOENT'), ''))).toBe(false);
  });
});
