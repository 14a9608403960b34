import type { RingInstruction } from '../bridge';
import type { Logger } from '../phone/ports';
import type { CallView, EndReason, PhoneSnapshot } from './deps';
import type { RingSurface } from './ports';

export type RingStopReason = EndReason | 'answered';

/**
 * Starts and stops every ring surface together from one PhoneCore event. A surface that throws
 * is logged and does not keep the others from starting or stopping. `reconcile` is the safety
 * net: any call still ringing here that the snapshot no longer shows as ringing is stopped.
 */
export class RingCoordinator {
  private readonly ringing = new Map<string, CallView>();

  constructor(
    private readonly surfaces: RingSurface[],
    private readonly log: Logger,
  ) {}

  /** Returns false when the call was already ringing (no surface starts twice). */
  start(call: CallView, ring: RingInstruction): boolean {
    if (this.ringing.has(call.callId)) return false;
    this.ringing.set(call.callId, call);
    this.each('start', (surface) => surface.start(call, ring));
    return true;
  }

  /** Returns false when the call was not ringing (no surface stops twice). */
  stop(callId: string, reason: RingStopReason): boolean {
    if (!this.ringing.delete(callId)) return false;
    this.each('stop', (surface) => surface.stop(callId, reason));
    return true;
  }

  /** Stops calls that the snapshot no longer shows ringing; returns what it stopped. */
  reconcile(snapshot: PhoneSnapshot | null): { callId: string; reason: RingStopReason }[] {
    const stopped: { callId: string; reason: RingStopReason }[] = [];
    for (const callId of [...this.ringing.keys()]) {
      const call = snapshot?.calls.find((c) => c.callId === callId);
      if (call?.phase === 'incoming') continue;
      const reason: RingStopReason = call && call.phase !== 'ended' ? 'answered' : (call?.endReason ?? 'cancelled');
      if (this.stop(callId, reason)) stopped.push({ callId, reason });
    }
    return stopped;
  }

  /** Stops everything (sign-out, quit). */
  stopAll(reason: RingStopReason): string[] {
    const ids = [...this.ringing.keys()];
    for (const id of ids) this.stop(id, reason);
    return ids;
  }

  isRinging(callId?: string): boolean {
    return callId === undefined ? this.ringing.size > 0 : this.ringing.has(callId);
  }

  get calls(): CallView[] {
    return [...this.ringing.values()];
  }

  private each(action: string, run: (surface: RingSurface) => void): void {
    for (const surface of this.surfaces) {
      try {
        run(surface);
      } catch (error) {
        this.log.error(`ring surface ${surface.name} failed to ${action}`, { error: error instanceof Error ? error.message : String(error) });
      }
    }
  }
}
