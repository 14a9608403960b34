import type { TransferView } from '../../../shared/protocol';
import type { ConferenceView } from './conference-hub';

/** What the reconciler uses of the window's media (CallMedia is one; unit tests pass a fake hub). */
export interface ConferencePort {
  conference(): ConferenceView;
  /** The call's media session is open here (a merge needs both legs' sessions). */
  hasMedia(callId: string): boolean;
  merge(callIdA: string, callIdB: string): Promise<void>;
  unmerge(): Promise<void>;
  /** The hub could not merge what the server merged: ask the server to split, so both agree again. */
  refused(transfer: TransferView, error: unknown): void;
}

/**
 * The one place the agent's ConferenceHub follows the server (docs/design/lines-and-transfers.md 5.4):
 * a transfer of this device in state `merged` means the hub mixes its two legs; anything else means it
 * does not. Fed every phone snapshot and every media change; one operation at a time, and after each one
 * it looks again at the latest transfers, so a reload or a resume re-creates the hub and a split that
 * raced a merge still ends unmerged.
 *
 * While the agent leaves (hub `leaving`) and the transfer has completed, nothing is done: the server ends
 * both legs and the hub releases itself; the customer and the expert keep hearing each other until then.
 */
export class ConferenceSync {
  private transfers: readonly TransferView[] = [];
  private running = false;
  private dirty = false;
  /** The transfer version whose merge the hub refused: not tried again until the server says something new. */
  private refusedVersion: string | null = null;

  constructor(private readonly port: ConferencePort) {}

  follow(transfers: readonly TransferView[]): void {
    this.transfers = transfers;
    void this.reconcile();
  }

  /** The media changed (a session opened or closed): look again. */
  mediaChanged(): void {
    void this.reconcile();
  }

  private async reconcile(): Promise<void> {
    if (this.running) {
      this.dirty = true;
      return;
    }
    this.running = true;
    try {
      do {
        this.dirty = false;
        await this.step();
      } while (this.dirty);
    } finally {
      this.running = false;
    }
  }

  private async step(): Promise<void> {
    const hub = this.port.conference();
    if (hub.state === 'idle') {
      const merged = this.transfers.find((t) => t.state === 'merged' && t.legCallId !== null);
      if (merged) await this.merge(merged);
      return;
    }
    // Only a hub that is some transfer's two legs follows that transfer; a merge made through the media API alone is left as it is.
    const owner = this.transfers.find((t) => t.legCallId !== null && hub.callIds.includes(t.originalCallId) && hub.callIds.includes(t.legCallId));
    if (!owner || owner.state === 'merged') return;
    if (hub.state === 'leaving' && owner.state === 'completed') return;
    await this.port.unmerge();
  }

  private async merge(transfer: TransferView): Promise<void> {
    const version = `${transfer.transferId}@${transfer.updatedAt}`;
    if (version === this.refusedVersion) return;
    const legs = [transfer.originalCallId, transfer.legCallId!] as const;
    if (!legs.every((id) => this.port.hasMedia(id))) return; // the sessions are still opening: mediaChanged() comes back
    try {
      await this.port.merge(legs[0], legs[1]);
    } catch (error) {
      this.refusedVersion = version;
      this.port.refused(transfer, error);
    }
  }
}
