import type { NotificationConstructorOptions } from 'electron';
import type { RingInstruction } from '../../../shared/bridge';
import type { HostStrings, RingSurface } from '../../../shared/host';
import type { CallView } from '../../../shared/phone';
import { MAC_ACTIONS, incomingNotificationOptions } from './notification-content';
import type { NotificationActionTokens } from './notification-actions';

/** The part of Electron's Notification this surface uses. */
export interface NotificationLike {
  on(event: 'click', listener: () => void): unknown;
  /** Electron 41 passes the index in `details.actionIndex`; the positional index is deprecated. */
  on(event: 'action', listener: (details: { actionIndex: number }) => void): unknown;
  show(): void;
  close(): void;
}

export interface NotificationSurfaceDeps {
  create: (options: NotificationConstructorOptions) => NotificationLike;
  isSupported: () => boolean;
  strings: () => HostStrings;
  platform: string;
  tokens: NotificationActionTokens;
  /** Click: bring the incoming-call window forward. */
  onClick: (callId: string) => void;
  onAnswer: (callId: string) => void;
  onDecline: (callId: string) => void;
}

/** The native incoming-call notification as a ring surface. */
export class NotificationSurface implements RingSurface {
  readonly name = 'notification';
  private readonly shown = new Map<string, NotificationLike>();

  constructor(private readonly deps: NotificationSurfaceDeps) {}

  start(call: CallView, ring: RingInstruction): void {
    if (!this.deps.isSupported() || this.shown.has(call.callId)) return;
    const nonce = this.deps.tokens.issue(call.callId);
    const notification = this.deps.create(incomingNotificationOptions(call, ring, this.deps.strings(), this.deps.platform, nonce));
    notification.on('click', () => this.deps.onClick(call.callId));
    notification.on('action', (details) => {
      const action = MAC_ACTIONS[details.actionIndex];
      if (action === 'answer') this.deps.onAnswer(call.callId);
      else if (action === 'decline') this.deps.onDecline(call.callId);
    });
    this.shown.set(call.callId, notification);
    notification.show();
  }

  stop(callId: string): void {
    this.deps.tokens.revokeCall(callId);
    const notification = this.shown.get(callId);
    this.shown.delete(callId);
    notification?.close();
  }
}
