import type { ChosenPresence, PresenceStatus } from '../protocol';
import type { Logger } from '../phone/ports';
import type { UserStatus } from '../settings';
import type { PhoneCoreApi } from './deps';

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
 * Keeps this device's status setting and the server's chosen presence one thing. The server holds the
 * user's choice: a choice made on another device arrives (session:ready, presence:changed) and is
 * adopted here. A choice made on this device is sent; until the server has it (offline, or busy in a
 * call, when the server shows `busy` and keeps the old choice for afterwards) it stays pending and is
 * sent when it can be, instead of being overwritten by what the server still says.
 */
export class ChosenPresenceSync {
  private pending = false;

  constructor(
    private readonly status: () => UserStatus,
    private readonly adopt: (status: UserStatus) => Promise<unknown>,
    private readonly log: Logger,
  ) {}

  /** The user is choosing a status on this device: from now on it is not overwritten by the server's. */
  choosing(): void {
    this.pending = true;
  }

  /** Sends a pending choice when the server can take it. */
  async flush(phone: PhoneCoreApi | null): Promise<void> {
    if (this.pending) await this.send(phone);
  }

  /** The phone's snapshot changed (connected, session:ready, a presence change of this user). */
  async phoneChanged(phone: PhoneCoreApi): Promise<void> {
    const snapshot = phone.snapshot();
    if (snapshot.connection.status !== 'online') return;
    if (this.pending) return this.flush(phone);
    const server = statusOf(snapshot.presence);
    if (server && server !== this.status()) await this.adopt(server);
  }

  private async send(phone: PhoneCoreApi | null): Promise<void> {
    const current = phone?.snapshot();
    if (!phone || current?.connection.status !== 'online' || current.presence === 'busy') return;
    const wanted = presenceOf(this.status());
    if (current.presence !== wanted) {
      const sent = await phone.setPresence(wanted).then(
        () => true,
        (error: unknown) => (this.log.warn('presence update failed', { error: String(error) }), false),
      );
      if (!sent) return;
    }
    if (presenceOf(this.status()) === wanted) this.pending = false;
  }
}
