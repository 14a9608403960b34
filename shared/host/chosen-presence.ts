import type { ChosenAwayReason, ChosenPresence, PresenceStatus } from '../protocol';
import type { Logger } from '../phone/ports';
import type { UserStatus } from '../settings';
import type { PhoneCoreApi, PhoneSnapshot } from './deps';

/** The chosen part of the status settings: the status, and the reason that goes with away. */
export interface ChosenStatus {
  status: UserStatus;
  awayReason: ChosenAwayReason;
}

/** The presence others see for a chosen status. */
export function presenceOf(status: UserStatus): ChosenPresence {
  return status === 'available' ? 'online' : status;
}

/** The chosen status a presence shows; null for what the server derives (busy, offline). */
export function statusOf(presence: PresenceStatus): UserStatus | null {
  if (presence === 'online') return 'available';
  return presence === 'dnd' || presence === 'away' ? presence : null;
}

/**
 * The away reason the server holds for this user, when it says (agents of a support line), and it is
 * one a user can choose: `missed-offer` is the server's own, shown but never adopted as a choice.
 */
function serverAwayReason(snapshot: PhoneSnapshot): ChosenAwayReason | null {
  const agent = snapshot.agent;
  if (!agent || agent.chosen !== 'away' || !agent.reason || agent.reason === 'missed-offer') return null;
  return agent.reason;
}

/**
 * Keeps this device's status setting and the server's chosen presence one thing. The server holds the
 * user's choice: a choice made on another device arrives (session:ready, presence:changed, agent:status)
 * and is adopted here. A choice made on this device is sent; until the server has it (offline, or busy in
 * a call, when the server shows `busy` and keeps the old choice for afterwards) it stays pending and is
 * sent when it can be, instead of being overwritten by what the server still says. For an agent the away
 * reason is part of the choice (issue 14): a change of reason alone is sent too.
 */
export class ChosenPresenceSync {
  private pending = false;
  /** The send in progress: a snapshot change it causes (its own ack) waits for it instead of sending again. */
  private sending: Promise<void> | null = null;

  constructor(
    private readonly chosen: () => ChosenStatus,
    private readonly adopt: (chosen: Partial<ChosenStatus>) => Promise<unknown>,
    private readonly log: Logger,
  ) {}

  /** The user is choosing a status on this device: from now on it is not overwritten by the server's. */
  choosing(): void {
    this.pending = true;
  }

  /** Sends a pending choice when the server can take it (one send at a time; a choice made meanwhile follows it). */
  async flush(phone: PhoneCoreApi | null): Promise<void> {
    if (!this.pending) return;
    if (this.sending) return this.sending;
    this.sending = (async () => {
      let sent = true;
      while (this.pending && sent) sent = await this.send(phone);
    })().finally(() => (this.sending = null));
    return this.sending;
  }

  /** The phone's snapshot changed (connected, session:ready, a presence change of this user). */
  async phoneChanged(phone: PhoneCoreApi): Promise<void> {
    const snapshot = phone.snapshot();
    if (snapshot.connection.status !== 'online') return;
    if (this.pending) return this.flush(phone);
    const status = statusOf(snapshot.presence);
    const reason = serverAwayReason(snapshot);
    const current = this.chosen();
    const patch: Partial<ChosenStatus> = {
      ...(status && status !== current.status ? { status } : {}),
      ...(reason && reason !== current.awayReason ? { awayReason: reason } : {}),
    };
    if (Object.keys(patch).length > 0) await this.adopt(patch);
  }

  /** One attempt; false when the server cannot take it now (the choice stays pending). */
  private async send(phone: PhoneCoreApi | null): Promise<boolean> {
    const current = phone?.snapshot();
    if (!phone || current?.connection.status !== 'online' || current.presence === 'busy') return false;
    const wanted = this.chosen();
    const presence = presenceOf(wanted.status);
    const reasonDiffers = presence === 'away' && current.agent !== null && current.agent.reason !== wanted.awayReason;
    if (current.presence !== presence || reasonDiffers) {
      const sent = await phone.setPresence(presence, presence === 'away' ? wanted.awayReason : undefined).then(
        () => true,
        (error: unknown) => (this.log.warn('presence update failed', { error: String(error) }), false),
      );
      if (!sent) return false;
    }
    const now = this.chosen();
    if (now.status === wanted.status && now.awayReason === wanted.awayReason) this.pending = false;
    return true;
  }
}
