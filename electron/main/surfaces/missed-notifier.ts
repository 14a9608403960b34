import type { NotificationConstructorOptions } from 'electron';
import type { MissedNotification } from '../../../shared/host';
import type { NotificationLike } from './notification-surface';

export interface MissedNotifierDeps {
  create: (options: NotificationConstructorOptions) => NotificationLike;
  isSupported: () => boolean;
  /** Click on a missed-call notification: open the main window (on the history). */
  onClick: () => void;
}

/** Shows the (already grouped) missed-call notifications; keeps references so clicks keep working. */
export class MissedCallNotifier {
  private readonly shown = new Map<string, NotificationLike>();

  constructor(private readonly deps: MissedNotifierDeps) {}

  notify(notifications: MissedNotification[]): void {
    if (!this.deps.isSupported()) return;
    for (const item of notifications) {
      const notification = this.deps.create({ title: item.title, body: item.body, silent: false });
      notification.on('click', () => {
        this.deps.onClick();
        this.shown.delete(item.id);
      });
      this.shown.set(item.id, notification);
      notification.show();
    }
  }

  /** The user saw the history: the notifications are no longer news. */
  clear(): void {
    for (const notification of this.shown.values()) notification.close();
    this.shown.clear();
  }
}
