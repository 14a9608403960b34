import { defineBridgeContractSuite } from '../../../test/bridge/contract-suite';
import type { FetchLike } from '../../../shared/host';
import { silentLogger } from '../../../shared/phone';
import { memoryStorage } from './storage-ports';
import { createWebHost } from './web-host';

/** The bridge contract suite, unchanged, against the web host's wiring (browser storage ports replaced by in-memory Web Storage). */
defineBridgeContractSuite('web host (in-page host core, structured-clone bridge)', async () => {
  const host = await createWebHost({
    info: {
      kind: 'web',
      platform: 'test',
      version: '0.0.0-test',
      capabilities: { incomingWindow: false, screenSources: false, globalShortcuts: false, startAtLogin: false, deepLinkHandlers: false, clipboard: false },
    },
    storage: memoryStorage(),
    tabStorage: memoryStorage(),
    fetch: globalThis.fetch as unknown as FetchLike,
    pageOrigin: null,
    logger: silentLogger,
  });
  return { bridge: host.bridge, openLink: (link) => host.core.handleDeepLink(link), close: () => host.stop() };
});
