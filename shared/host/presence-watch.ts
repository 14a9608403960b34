import type { EventPayload } from '../bridge';
import type { ConnectionState, PhoneCoreApi } from './deps';
import type { HostPorts } from './ports';

export type PresenceUpdate = EventPayload<'phone.presence'>;

/**
 * The users whose presence the renderer shows (one set, replaced by each subscribe). A new
 * socket starts with no subscription, so the set is renewed every time the phone comes back
 * online, and the statuses it finds are reported as updates (changes made while offline).
 */
export class PresenceWatch {
  private userIds: string[] = [];
  private online = false;

  constructor(
    private readonly phone: PhoneCoreApi,
    private readonly report: (update: PresenceUpdate) => void,
    private readonly log: HostPorts['log'],
  ) {}

  /** Starts following the phone; returns the unsubscribe functions. */
  attach(): (() => void)[] {
    return [
      this.phone.on('presence', (userId, status) => this.report({ userId, status })),
      this.phone.on('connection', (state) => this.onConnection(state)),
    ];
  }

  /** Replaces the set (kept even if the phone is offline now: it is sent at the next connect). */
  async subscribe(userIds: string[]): Promise<{ presence: PresenceUpdate[] }> {
    this.userIds = [...userIds];
    return { presence: await this.phone.subscribePresence(this.userIds) };
  }

  private onConnection(state: ConnectionState): void {
    const wasOnline = this.online;
    this.online = state.status === 'online';
    if (this.online && !wasOnline && this.userIds.length > 0) void this.renew();
  }

  private async renew(): Promise<void> {
    try {
      for (const update of await this.phone.subscribePresence(this.userIds)) this.report(update);
    } catch (error) {
      this.log.warn('renewing the presence subscription failed', { error: String(error) });
    }
  }
}
