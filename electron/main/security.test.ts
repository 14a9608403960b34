import { describe, expect, it, vi } from 'vitest';

/** BrowserWindow is the one Electron object secure-window.ts touches; the fake records its options. */
const createdWindows: Record<string, unknown>[] = [];
vi.mock('electron', () => ({
  BrowserWindow: class {
    constructor(options: Record<string, unknown>) {
      createdWindows.push(options);
    }
  },
}));
import { appProtocolHandler, resolveAppFile } from './app-protocol';
import { APP_ORIGIN, launchConfig, routeUrl } from './config';
import { PRODUCTION_CSP } from './csp';
import { hardenSession, hardenWebContents, isPermissionAllowed, safeExternalUrl } from './security';

describe('permissions', () => {
  it.each([
    ['media', `${APP_ORIGIN}/index.html`, true],
    ['display-capture', `${APP_ORIGIN}/`, true],
    ['notifications', `${APP_ORIGIN}/#/incoming`, true],
    ['media', 'https://evil.example/', false],
    ['media', 'app://other/', false],
    ['geolocation', `${APP_ORIGIN}/`, false],
    ['openExternal', `${APP_ORIGIN}/`, false],
    ['clipboard-read', `${APP_ORIGIN}/`, false],
    ['media', '', false],
  ])('%s from %s -> %s', (permission, url, allowed) => {
    expect(isPermissionAllowed(permission, url, APP_ORIGIN)).toBe(allowed);
  });

  it('installs request and check handlers that apply the same rule', () => {
    let request: ((...args: never[]) => void) | null = null;
    let check: ((...args: never[]) => boolean) | null = null;
    hardenSession(
      {
        setPermissionRequestHandler: (handler: never) => void (request = handler),
        setPermissionCheckHandler: (handler: never) => void (check = handler),
      } as never,
      APP_ORIGIN,
    );
    const answers: boolean[] = [];
    const contents = { getURL: () => `${APP_ORIGIN}/` };
    (request as unknown as (...a: unknown[]) => void)(contents, 'media', (granted: boolean) => answers.push(granted), { requestingUrl: `${APP_ORIGIN}/` });
    (request as unknown as (...a: unknown[]) => void)(contents, 'media', (granted: boolean) => answers.push(granted), { requestingUrl: 'https://evil.example/' });
    (request as unknown as (...a: unknown[]) => void)(contents, 'geolocation', (granted: boolean) => answers.push(granted), { requestingUrl: `${APP_ORIGIN}/` });
    expect(answers).toEqual([true, false, false]);
    expect((check as unknown as (...a: unknown[]) => boolean)(null, 'notifications', APP_ORIGIN, {})).toBe(true);
    expect((check as unknown as (...a: unknown[]) => boolean)(null, 'notifications', 'https://evil.example', {})).toBe(false);
  });
});

describe('navigation and external links', () => {
  it.each([
    ['https://example.com/help', 'https://example.com/help'],
    ['http://example.com', 'http://example.com/'],
    ['file:///etc/passwd', null],
    ['javascript:alert(1)', null],
    ['softphone://call/bob', null],
    ['https://user:pw@example.com/', null],
    ['https://exa mple.com/', null],
    ['https://example.com/\u0000', null],
    ['not a url', null],
  ])('safeExternalUrl(%j) = %j', (url, expected) => {
    expect(safeExternalUrl(url)).toBe(expected);
  });

  it('denies navigation, webviews and window.open, opening only safe links outside', () => {
    const handlers: Record<string, (event: { preventDefault(): void }) => void> = {};
    let openHandler: ((details: { url: string }) => { action: string }) | null = null;
    const opened: string[] = [];
    hardenWebContents(
      {
        on: ((event: string, handler: (event: { preventDefault(): void }) => void) => {
          handlers[event] = handler;
        }) as never,
        setWindowOpenHandler: ((handler: never) => {
          openHandler = handler;
        }) as never,
      },
      (url) => opened.push(url),
    );
    for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      let prevented = false;
      handlers[event]!({ preventDefault: () => (prevented = true) });
      expect(prevented).toBe(true);
    }
    const open = openHandler as unknown as (details: { url: string }) => { action: string };
    expect(open({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(open({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://example.com/']);
  });

  it('every window is isolated and sandboxed without Node, whatever the caller passes', async () => {
    const { createSecureWindow } = await import('./windows/secure-window');
    createSecureWindow({ width: 10, webPreferences: { nodeIntegration: true, devTools: true } } as never, '/p.cjs', false);
    expect(createdWindows.at(-1)).toMatchObject({
      width: 10,
      webPreferences: { preload: '/p.cjs', contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false, devTools: false },
    });
  });
});

describe('app:// protocol and CSP', () => {
  const root = '/opt/softphone/dist/renderer';

  it.each([
    [`${APP_ORIGIN}/`, `${root}/index.html`],
    [`${APP_ORIGIN}/index.html#/incoming`, `${root}/index.html`],
    [`${APP_ORIGIN}/assets/app-1a2b.js`, `${root}/assets/app-1a2b.js`],
    [`${APP_ORIGIN}/../../etc/passwd.txt`, `${root}/etc/passwd.txt`],
    [`${APP_ORIGIN}/%2e%2e/%2e%2e/etc/passwd.txt`, `${root}/etc/passwd.txt`],
    [`${APP_ORIGIN}/a%5c..%5c..%5csecret.txt`, null],
    [`${APP_ORIGIN}/%00.js`, null],
    ['app://evil/index.html', null],
    ['file:///opt/softphone/dist/renderer/index.html', null],
  ])('%s -> %s', (url, expected) => {
    expect(resolveAppFile(root, url)).toBe(expected);
  });

  it('serves files with the strict CSP and refuses the rest', async () => {
    const handler = appProtocolHandler(root, async (file) => {
      if (file.endsWith('index.html')) return new TextEncoder().encode('<!doctype html>');
      throw new Error('ENOENT');
    });
    const ok = await handler({ url: `${APP_ORIGIN}/`, method: 'GET' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toBe(PRODUCTION_CSP);
    expect(ok.headers.get('content-type')).toContain('text/html');
    expect((await handler({ url: `${APP_ORIGIN}/missing.js`, method: 'GET' })).status).toBe(404);
    expect((await handler({ url: `${APP_ORIGIN}/`, method: 'POST' })).status).toBe(405);
  });

  it('the CSP allows no inline or eval code', () => {
    expect(PRODUCTION_CSP).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(PRODUCTION_CSP).toContain("script-src 'self'");
    expect(PRODUCTION_CSP).toContain("object-src 'none'");
  });

  it('launch config: production loads app://, development may load the dev server; updates need https', () => {
    expect(launchConfig(['electron', '--hidden'], {}, true)).toMatchObject({ startHidden: true, rendererBase: `${APP_ORIGIN}/`, rendererOrigin: APP_ORIGIN, updateUrl: null });
    expect(launchConfig([], { SOFTPHONE_RENDERER_URL: 'http://127.0.0.1:5173/' }, true).rendererBase).toBe(`${APP_ORIGIN}/`);
    expect(launchConfig([], { SOFTPHONE_RENDERER_URL: 'http://127.0.0.1:5173/' }, false).rendererOrigin).toBe('http://127.0.0.1:5173');
    expect(launchConfig([], { SOFTPHONE_UPDATE_URL: 'http://updates.example.com' }, true).updateUrl).toBeNull();
    expect(launchConfig([], { SOFTPHONE_UPDATE_URL: 'https://updates.example.com/softphone' }, true).updateUrl).toBe('https://updates.example.com/softphone');
    expect(routeUrl(`${APP_ORIGIN}/`, '/incoming')).toBe(`${APP_ORIGIN}/#/incoming`);
  });

  it('test switches (fake media, probe, server URL, user data) work only in an unpackaged build', () => {
    const argv = ['softphone', '--softphone-test'];
    const env = { SOFTPHONE_SERVER_URL: 'http://127.0.0.1:4600', SOFTPHONE_USER_DATA: '/tmp/profile' };
    expect(launchConfig(argv, env, false)).toMatchObject({ testMode: true, serverUrl: 'http://127.0.0.1:4600', userDataDir: '/tmp/profile' });
    expect(launchConfig(argv, env, true)).toMatchObject({ testMode: false, serverUrl: null, userDataDir: null });
  });
});
