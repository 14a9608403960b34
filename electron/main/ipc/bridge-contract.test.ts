import { describe, expect, it } from 'vitest';
import { BRIDGE_CHANNELS, unwrap, type HostInfo } from '../../../shared/bridge';
import { HostCore } from '../../../shared/host';
import { attachHostToIpc, createSenderCheck } from './index';
import { createPreloadBridge } from '../../preload/bridge-preload';
import { defineBridgeContractSuite } from '../../../test/bridge/contract-suite';
import { memoryHostPorts } from '../../../test/bridge/memory-ports';
import { StructuredCloneIpc } from './structured-clone-ipc';

const APP_ORIGIN = 'app://softphone';
const INFO: HostInfo = {
  kind: 'electron',
  platform: process.platform,
  version: '0.0.0-test',
  capabilities: { incomingWindow: true, screenSources: false, globalShortcuts: true, startAtLogin: true, deepLinkHandlers: true, clipboard: false },
};

/** The Electron adapter exactly as main wires it (attachHostToIpc + the preload's bridge), over structured-clone IPC. */
async function electronParty() {
  const ipc = new StructuredCloneIpc();
  const window = ipc.connectRenderer(`${APP_ORIGIN}/index.html#/`);
  const core = new HostCore(memoryHostPorts(INFO));
  const detach = attachHostToIpc({
    ipc: ipc.main,
    core,
    isTrustedSender: createSenderCheck(() => [window.contents], APP_ORIGIN),
    targets: () => [window.contents],
    log: { warn() {}, error() {} },
  });
  await core.start();
  return { ipc, window, core, bridge: createPreloadBridge(window.renderer), detach };
}

defineBridgeContractSuite('Electron IPC adapter over structured-clone IPC', async () => {
  const { core, bridge, detach } = await electronParty();
  return {
    bridge,
    openLink: (link) => core.handleDeepLink(link),
    close: async () => {
      detach();
      await core.stop();
    },
  };
});

describe('Electron IPC sender check', () => {
  it('drops calls from foreign WebContents, iframes and other origins, and serves the app window', async () => {
    const { ipc, window, core, detach } = await electronParty();
    const stranger = ipc.connectRenderer(`${APP_ORIGIN}/index.html`);
    const foreign = createPreloadBridge(stranger.renderer);
    expect(await foreign.invoke('settings.get', {})).toMatchObject({ ok: false, error: { code: 'TRANSPORT' } });

    const message = { name: 'settings.update', request: { status: 'dnd' } };
    await expect(ipc.invokeAs({ sender: { id: window.id }, senderFrame: { url: `${APP_ORIGIN}/x`, parent: {} } }, BRIDGE_CHANNELS.invoke, message)).rejects.toThrow(/untrusted/);
    await expect(ipc.invokeAs({ sender: { id: window.id }, senderFrame: { url: 'https://evil.example/', parent: null } }, BRIDGE_CHANNELS.invoke, message)).rejects.toThrow(/untrusted/);
    await expect(ipc.invokeAs({ sender: { id: window.id }, senderFrame: null }, BRIDGE_CHANNELS.invoke, message)).rejects.toThrow(/untrusted/);
    expect(core.settings.status).toBe('available');

    const own = await ipc.invokeAs({ sender: { id: window.id }, senderFrame: { url: `${APP_ORIGIN}/index.html`, parent: null } }, BRIDGE_CHANNELS.invoke, message);
    expect(own).toMatchObject({ ok: true, value: { status: 'dnd' } });
    expect(core.settings.status).toBe('dnd');
    detach();
    await core.stop();
  });

  it('sends events only to live windows', async () => {
    const { ipc, window, core, bridge, detach } = await electronParty();
    const seen: unknown[] = [];
    bridge.on('settings.changed', (s) => seen.push(s.dndMode));
    unwrap(await bridge.invoke('settings.update', { dndMode: 'silent' }));
    await new Promise((resolve) => setTimeout(resolve, 0));
    window.destroy();
    const afterClose = await ipc.invokeAs({ sender: { id: window.id }, senderFrame: { url: `${APP_ORIGIN}/`, parent: null } }, BRIDGE_CHANNELS.invoke, {
      name: 'settings.update',
      request: { dndMode: 'reject' },
    });
    expect(afterClose).toMatchObject({ ok: true, value: { dndMode: 'reject' } });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(seen).toEqual(['silent']);
    detach();
    await core.stop();
  });
});
