import { DirectoryResponse, HistoryResponse, IceServersResponse, LinesResponse } from '../protocol';
import { BridgeError, type BridgeHandlers, type HistoryPage } from '../bridge';
import { diagnosticsText } from './diagnostics';
import { isCacheCursor, mergeHistory, pageFromCache } from './history-cache';
import type { HostCore } from './host-core';
import { callService } from './service-api';

/** Failures after which the offline copy of the history is shown instead. */
const OFFLINE_CODES = new Set(['OFFLINE', 'TIMEOUT', 'INTERNAL']);

/** Every bridge call, implemented once on top of the host core. */
export function createHostHandlers(core: HostCore): BridgeHandlers {
  const { ports, sessions } = core;
  const done = {};

  return {
    'auth.register': async ({ serverUrl, ...input }) => {
      const url = await chooseServer(core, serverUrl);
      const session = await core.signIn(sessions.register(url, input));
      return { user: session.user, serverUrl: session.serverUrl };
    },
    'auth.login': async ({ serverUrl, username, password }) => {
      const url = await chooseServer(core, serverUrl);
      const session = await core.signIn(sessions.login(url, username, password));
      return { user: session.user, serverUrl: session.serverUrl };
    },
    'auth.logout': async () => {
      await core.signOut();
      return done;
    },
    'auth.session': () => ({ user: sessions.session?.user ?? null, serverUrl: sessions.session?.serverUrl ?? core.settings.serverUrl }),

    'phone.snapshot': () => core.bridgeSnapshot(),
    'phone.call': ({ to, media }) => core.placeCall(to, media),
    'phone.answer': async ({ callId, withVideo }) => {
      await core.answer(callId, withVideo);
      return done;
    },
    'phone.decline': async ({ callId }) => {
      await core.requirePhone().decline(callId);
      return done;
    },
    'phone.end': async ({ callId, reason, mediaLastSeenAt }) => {
      await core.requirePhone().end(callId, reason, mediaLastSeenAt ? { mediaLastSeenAt: Date.parse(mediaLastSeenAt) } : {});
      return done;
    },
    'phone.hold': async ({ callId, held }) => {
      await core.requirePhone().hold(callId, held);
      return done;
    },
    'phone.mute': async ({ callId, muted }) => {
      await core.requirePhone().mute(callId, muted);
      return done;
    },
    'phone.signal': async ({ callId, data }) => {
      await core.requirePhone().sendSignal(callId, data);
      return done;
    },
    'phone.ackMissed': async ({ ids }) => {
      await core.requirePhone().acknowledgeMissed(ids);
      return done;
    },
    'phone.setPresence': async ({ status, reason }) => {
      await core.requirePhone().setPresence(status, reason);
      return done;
    },
    'phone.subscribePresence': ({ userIds }) => core.subscribePresence(userIds),
    'phone.transfer': ({ callId, to, mode }) => core.requirePhone().transfer(callId, to, mode),
    'phone.transferAction': ({ transferId, action }) => core.requirePhone().transferAction(transferId, action),
    'phone.checkConnection': () => core.requirePhone().checkConnection(),

    'phone.cancelAutoAnswer': ({ callId }) => {
      core.cancelAutoAnswer(callId);
      return done;
    },
    'wrapup.save': ({ callId, ...draft }) => core.requirePhone().saveWrapUp(callId, draft),
    'wrapup.done': ({ callId, ...draft }) => core.requirePhone().finishWrapUp(callId, draft),
    'lines.list': () => sessions.authorized((token, serverUrl) => callService(ports.http, { method: 'GET', serverUrl, path: '/api/lines', token }, LinesResponse)),
    'lines.watch': async ({ lineIds }) => ({ views: await core.requirePhone().watchLines(lineIds) }),

    'directory.search': ({ q, limit }) =>
      sessions.authorized((token, serverUrl) => callService(ports.http, { method: 'GET', serverUrl, path: '/api/directory', query: { q, limit }, token }, DirectoryResponse)),
    'history.list': (request) => listHistory(core, request),
    'history.opened': async () => {
      await core.historyOpened();
      return { missedCount: 0 as const };
    },
    'ice.servers': () =>
      sessions.authorized((token, serverUrl) => callService(ports.http, { method: 'GET', serverUrl, path: '/api/ice-servers', token }, IceServersResponse)),

    'settings.get': () => core.settings,
    'settings.update': (patch) => core.updateSettings(patch),

    'host.info': () => ports.info,
    'screen.sources': async ({ types }) =>
      ports.screenSources ? { supported: true, sources: await ports.screenSources(types) } : { supported: false, sources: [] },
    'diagnostics.copy': () => {
      const text = diagnosticsText({
        info: ports.info,
        settings: core.settings,
        snapshot: core.snapshot(),
        logLines: ports.recentLogLines?.() ?? [],
        now: new Date(core.now()),
      });
      ports.clipboard?.(text);
      return { text, copied: Boolean(ports.clipboard) };
    },
    'deepLink.pending': () => ({ prompt: core.pendingPrompt() }),
    'deepLink.confirm': async ({ promptId, accept, media }) => ({ call: await core.confirmDeepLink(promptId, accept, media) }),
  };
}

/** Sign-in may name a server: it becomes the setting (which signs out of another server). */
async function chooseServer(core: HostCore, serverUrl: string | undefined): Promise<string> {
  if (serverUrl && serverUrl !== core.settings.serverUrl) await core.updateSettings({ serverUrl });
  return core.settings.serverUrl;
}

async function listHistory(core: HostCore, request: { limit: number; cursor?: string | undefined; missedOnly: boolean }): Promise<HistoryPage> {
  const { ports, sessions } = core;
  if (isCacheCursor(request.cursor)) return pageFromCache((await ports.historyCache.load()) ?? [], request);
  try {
    const page = await sessions.authorized((token, serverUrl) =>
      callService(
        ports.http,
        { method: 'GET', serverUrl, path: '/api/history', query: { limit: request.limit, cursor: request.cursor, missedOnly: request.missedOnly ? 'true' : undefined }, token },
        HistoryResponse,
      ),
    );
    if (!request.missedOnly) await ports.historyCache.save(mergeHistory(await ports.historyCache.load(), page.calls));
    return { ...page, source: 'online' };
  } catch (error) {
    const offline = error instanceof BridgeError && OFFLINE_CODES.has(error.code);
    const cached = offline && !request.cursor ? await ports.historyCache.load() : null;
    if (!cached) throw error;
    ports.log.info('history served from the offline cache', { reason: error instanceof BridgeError ? error.code : 'unknown' });
    return pageFromCache(cached, request);
  }
}
