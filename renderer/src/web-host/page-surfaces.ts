import type { HostStrings, MissedNotification, RingSurface } from '../../../shared/host';

/** What of the Notification API the web host uses (absent in some browsers and in tests). */
type NotificationApi = typeof Notification;

function notificationApi(): NotificationApi | null {
  return typeof Notification === 'undefined' ? null : Notification;
}

/** Asks for notification permission once, on a user gesture (the browser requires one). */
export function requestNotificationPermissionOnce(): void {
  const api = notificationApi();
  if (!api || api.permission !== 'default') return;
  const ask = () => {
    void api.requestPermission().catch(() => undefined);
    window.removeEventListener('pointerdown', ask);
    window.removeEventListener('keydown', ask);
  };
  window.addEventListener('pointerdown', ask);
  window.addEventListener('keydown', ask);
}

/**
 * Ring surface: a system notification while a call rings (when permission was granted).
 * Clicking it brings the page forward, where the incoming overlay waits. It closes when the ring stops.
 */
export function notificationSurface(strings: () => HostStrings): RingSurface {
  const open = new Map<string, Notification>();
  return {
    name: 'notification',
    start(call) {
      const api = notificationApi();
      if (!api || api.permission !== 'granted') return;
      const texts = strings();
      const notification = new api(texts.ringing(call.peer), {
        body: call.media === 'video' ? texts.incomingVideo : texts.incomingAudio,
        tag: `call-${call.callId}`,
        requireInteraction: true,
        silent: true, // the page plays the ringtone on the chosen device
      });
      notification.onclick = () => {
        window.focus();
        notification.close();
      };
      open.set(call.callId, notification);
    },
    stop(callId) {
      open.get(callId)?.close();
      open.delete(callId);
    },
  };
}

/** Ring surface: the tab title says who is calling while the call rings (visible from other tabs). */
export function titleSurface(strings: () => HostStrings): RingSurface {
  const ringing = new Map<string, string>();
  let baseTitle: string | null = null;
  const render = () => {
    baseTitle ??= document.title;
    const latest = [...ringing.values()].pop();
    document.title = latest ?? baseTitle;
    if (!latest) baseTitle = null;
  };
  return {
    name: 'title',
    start(call) {
      ringing.set(call.callId, `☎ ${strings().ringing(call.peer)}`);
      render();
    },
    stop(callId) {
      ringing.delete(callId);
      render();
    },
  };
}

/** Missed-call notifications (already grouped by the host core). The badge lives in the page itself. */
export function missedNotifier(): { notify(notifications: MissedNotification[]): void; badge(count: number): void } {
  return {
    notify(notifications) {
      const api = notificationApi();
      if (!api || api.permission !== 'granted') return;
      for (const n of notifications) new api(n.title, { body: n.body, tag: n.id });
    },
    badge(count) {
      const nav = navigator as Navigator & { setAppBadge?: (n: number) => Promise<void>; clearAppBadge?: () => Promise<void> };
      void (count > 0 ? nav.setAppBadge?.(count) : nav.clearAppBadge?.())?.catch(() => undefined);
    },
  };
}
