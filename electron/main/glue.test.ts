import { describe, expect, it } from 'vitest';
import { defaultSettings, applySettingsPatch } from '../../shared/settings';
import { ALICE } from '../../shared/testing/fixtures';
import type { StoredSession } from '../../shared/host';
import { networkFingerprint, watchConnectivity } from './connectivity';
import { quitDecision, secondInstanceAction } from './lifecycle';
import { RecentLines, loggerOver } from './logging';
import { historyCacheStore, sessionStore, settingsStore, type KeyValueStore, type SecretBox } from './persistence';
import { PowerSaveController } from './power-save';
import { linuxAutostartEntry, systemIntegration, type SystemIntegrationDeps } from './system-integration';
import { findDeepLinkArg } from '../../shared/host';

class MapStore implements KeyValueStore {
  readonly map = new Map<string, unknown>();
  get(key: string) {
    return this.map.get(key);
  }
  set(key: string, value: unknown) {
    this.map.set(key, value);
  }
  delete(key: string) {
    this.map.delete(key);
  }
}

/** Reversible stand-in for safeStorage (XOR), enough to prove nothing is stored in clear. */
const box = (available = true): SecretBox => ({
  isEncryptionAvailable: () => available,
  encryptString: (plain) => Buffer.from([...Buffer.from(plain)].map((b) => b ^ 0x5a)),
  decryptString: (encrypted) => Buffer.from([...encrypted].map((b) => b ^ 0x5a)).toString(),
});

const SESSION: StoredSession = {
  serverUrl: 'http://127.0.0.1:4600',
  user: ALICE,
  accessToken: 'eyJaccess.token.sig',
  accessTokenExpiresAt: '2030-01-01T00:00:00.000Z',
  refreshToken: 'refresh-secret',
  refreshTokenExpiresAt: '2030-02-01T00:00:00.000Z',
};

describe('persistence', () => {
  it('stores the session encrypted and reads it back', () => {
    const kv = new MapStore();
    const store = sessionStore(kv, box(), () => {});
    store.save(SESSION);
    expect(JSON.stringify([...kv.map])).not.toContain('refresh-secret');
    expect(store.load()).toEqual(SESSION);
    store.clear();
    expect(store.load()).toBeNull();
  });

  it('keeps the session in memory only when the platform has no encryption', () => {
    const kv = new MapStore();
    const warnings: string[] = [];
    const store = sessionStore(kv, box(false), (m) => warnings.push(m));
    store.save(SESSION);
    expect(kv.map.size).toBe(0);
    expect(store.load()).toEqual(SESSION);
    expect(warnings[0]).toMatch(/memory only/);
  });

  it('treats an undecryptable or tampered session as signed out', () => {
    const kv = new MapStore();
    kv.set('session', Buffer.from('garbage').toString('base64'));
    const warnings: string[] = [];
    expect(sessionStore(kv, box(), (m) => warnings.push(m)).load()).toBeNull();
    kv.set('session', box().encryptString(JSON.stringify({ user: 'x' })).toString('base64'));
    expect(sessionStore(kv, box(), () => {}).load()).toBeNull();
  });

  it('settings and history cache round-trip; an invalid cache reads as none', () => {
    const kv = new MapStore();
    settingsStore(kv).save(defaultSettings());
    expect(settingsStore(kv).load()).toEqual(defaultSettings());
    kv.set('historyCache', [{ callId: 'nope' }]);
    expect(historyCacheStore(kv).load()).toBeNull();
  });
});

describe('system integration', () => {
  function deps() {
    const log: string[] = [];
    const taken = new Set(['Alt+F4']);
    const d: SystemIntegrationDeps = {
      platform: 'win32',
      launch: { exe: 'C:\\Program Files\\Softphone\\Softphone.exe', args: [] },
      setLoginItem: (on, args) => log.push(`login:${on}:${args.join(' ')}`),
      setLinuxAutostart: (entry) => log.push(`autostart:${entry ? 'on' : 'off'}`),
      register: (accelerator) => {
        log.push(`register:${accelerator}`);
        return !taken.has(accelerator);
      },
      unregister: (accelerator) => log.push(`unregister:${accelerator}`),
      setProtocolClient: (scheme, on) => log.push(`protocol:${scheme}:${on}`),
      runShortcut: (action) => log.push(`run:${action}`),
    };
    return { d, log };
  }

  it('applies everything at start-up (shortcuts off by default) and only what changed later', () => {
    const { d, log } = deps();
    const apply = systemIntegration(d);
    const start = defaultSettings();
    apply(start, null);
    expect(log).toEqual(['login:false:--hidden', 'protocol:tel:false', 'protocol:callto:false']);
    log.length = 0;
    const next = applySettingsPatch(start, { startAtLogin: true, shortcuts: { answer: 'CommandOrControl+Shift+A' }, deepLinks: { tel: true } });
    apply(next, start);
    expect(log).toEqual(['login:true:--hidden', 'protocol:tel:true', 'register:CommandOrControl+Shift+A']);
    log.length = 0;
    apply(applySettingsPatch(next, { shortcuts: { answer: null } }), next);
    expect(log).toEqual(['unregister:CommandOrControl+Shift+A']);
  });

  it('a shortcut taken by another app fails clearly and leaves none of the new ones registered', () => {
    const { d, log } = deps();
    const apply = systemIntegration(d);
    const start = defaultSettings();
    expect(() => apply(applySettingsPatch(start, { shortcuts: { answer: 'Alt+F9', toggleMute: 'Alt+F4' } }), start)).toThrow(/Alt\+F4 is already used/);
    expect(log).toEqual(['register:Alt+F9', 'register:Alt+F4', 'unregister:Alt+F9']);
  });

  it('Linux uses an XDG autostart entry that starts hidden', () => {
    const { d, log } = deps();
    systemIntegration({ ...d, platform: 'linux' })(applySettingsPatch(defaultSettings(), { startAtLogin: true }), defaultSettings());
    expect(log).toEqual(['autostart:on']);
    expect(linuxAutostartEntry({ exe: '/opt/Soft Phone/softphone', args: [] })).toContain('Exec="/opt/Soft Phone/softphone" --hidden');
    // Unpackaged (`electron .`): the Electron binary with the app folder as an absolute path.
    expect(linuxAutostartEntry({ exe: '/repo/node_modules/electron/dist/electron', args: ['/home/dev/soft phone'] })).toContain(
      'Exec=/repo/node_modules/electron/dist/electron "/home/dev/soft phone" --hidden',
    );
  });
});

describe('lifecycle, power, connectivity, logs', () => {
  it('quits at once unless a call is active; the OS shutdown never waits', () => {
    expect(quitDecision('tray', false)).toBe('quit');
    expect(quitDecision('tray', true)).toBe('confirm');
    expect(quitDecision('shortcut', true)).toBe('confirm');
    expect(quitDecision('os', true)).toBe('quit');
    expect(secondInstanceAction(['app', 'softphone://call/bob'], findDeepLinkArg)).toEqual({ focus: true, link: 'softphone://call/bob' });
  });

  it('holds one power-save blocker of the right kind', () => {
    const log: string[] = [];
    let id = 0;
    const power = new PowerSaveController({ start: (type) => (log.push(`start:${type}`), ++id), stop: (n) => log.push(`stop:${n}`) });
    power.apply('prevent-app-suspension');
    power.apply('prevent-app-suspension');
    power.apply('prevent-display-sleep');
    power.apply(null);
    expect(log).toEqual(['start:prevent-app-suspension', 'stop:1', 'start:prevent-display-sleep', 'stop:2']);
  });

  it('reports network changes (online flag or addresses) and nothing else', () => {
    let online = true;
    let addresses = ['192.168.1.5'];
    let tick: () => void = () => {};
    const changes: string[] = [];
    const stop = watchConnectivity({ isOnline: () => online, addresses: () => addresses, onChange: (why) => changes.push(why), setInterval: (run) => (tick = run), clearInterval: () => {} });
    tick();
    addresses = ['10.0.0.7'];
    tick();
    online = false;
    tick();
    online = true;
    tick();
    stop();
    expect(changes).toEqual(['network addresses changed', 'network lost', 'network back']);
    expect(networkFingerprint(true, ['b', 'a'])).toBe('online|a,b');
  });

  it('keeps recent log lines, redacted and bounded', () => {
    const recent = new RecentLines(2);
    const seen: unknown[][] = [];
    const logger = loggerOver({ debug: () => {}, info: (...a) => seen.push(a), warn: () => {}, error: () => {} }, recent, () => new Date('2025-01-01T00:00:00.000Z'));
    logger.info('one');
    logger.info('token refreshed', { refreshToken: 'r-secret' });
    logger.info('three');
    expect(recent.all()).toEqual(['2025-01-01T00:00:00.000Z [info] token refreshed {"refreshToken":[redacted]}', '2025-01-01T00:00:00.000Z [info] three']);
    expect(seen).toHaveLength(3);
  });
});
