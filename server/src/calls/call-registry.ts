import type { LiveCall } from './live-call';

/** In-memory index of live calls, by id and by participant user. */
export class CallRegistry {
  private readonly calls = new Map<string, LiveCall>();
  private readonly byUser = new Map<string, Set<string>>();

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
    return this.ofUser(userId).some((call) => call.status === 'active');
  }

  get size(): number {
    return this.calls.size;
  }
}
