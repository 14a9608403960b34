import type { LiveCall } from './live-call';

/** In-memory index of live calls, by id and by participant user. */
export class CallRegistry {
  private readonly calls = new Map<string, LiveCall>();
  private readonly byUser = new Map<string, Set<string>>();
  /** Answered calls whose end is being committed (see `ending`). */
  private readonly endingCalls = new Set<LiveCall>();

  add(call: LiveCall): void {
    this.calls.set(call.callId, call);
    for (const userId of [call.caller.userId, call.callee.userId]) {
      let ids = this.byUser.get(userId);
      if (!ids) this.byUser.set(userId, (ids = new Set()));
      ids.add(call.callId);
    }
  }

  remove(call: LiveCall): void {
    this.calls.delete(call.callId);
    for (const userId of [call.caller.userId, call.callee.userId]) {
      const ids = this.byUser.get(userId);
      ids?.delete(call.callId);
      if (ids?.size === 0) this.byUser.delete(userId);
    }
  }

  /**
   * The call's end is being committed: it leaves the registry now (a second end here finds nothing), but the parties of
   * an answered call still count as in a call until `ended`, so no reader (a line's dispatch) sees an agent free
   * before its call's end, and the wrap-up committed with it, are stored (design D8).
   */
  ending(call: LiveCall): void {
    this.remove(call);
    if (call.status === 'active') this.endingCalls.add(call);
  }

  /** The end is stored (or failed, and the call was added back). */
  ended(call: LiveCall): void {
    this.endingCalls.delete(call);
  }

  get(callId: string): LiveCall | undefined {
    return this.calls.get(callId);
  }

  ofUser(userId: string): LiveCall[] {
    return [...(this.byUser.get(userId) ?? [])].flatMap((id) => this.calls.get(id) ?? []);
  }

  all(): LiveCall[] {
    return [...this.calls.values()];
  }

  isInActiveCall(userId: string): boolean {
    if (this.ofUser(userId).some((call) => call.status === 'active')) return true;
    for (const call of this.endingCalls) if (call.caller.userId === userId || call.callee.userId === userId) return true;
    return false;
  }

  get size(): number {
    return this.calls.size;
  }
}
