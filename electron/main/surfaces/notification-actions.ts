/**
 * One-time tokens for notification actions delivered as protocol links (Windows toasts). A
 * softphone://notification/... link is honoured only with a token this process issued for a
 * call that still rings, so a web page cannot answer a call by opening a link.
 */
export class NotificationActionTokens {
  private readonly tokens = new Map<string, string>();

  constructor(private readonly randomToken: () => string) {}

  issue(callId: string): string {
    const token = this.randomToken();
    this.tokens.set(token, callId);
    return token;
  }

  revokeCall(callId: string): void {
    for (const [token, id] of this.tokens) if (id === callId) this.tokens.delete(token);
  }

  /** Parses a notification link; returns the call and action when the token is valid (and consumes it). */
  redeem(link: string): { callId: string; action: 'answer' | 'decline' | 'open' } | null {
    const match = /^softphone:\/\/notification\/([A-Za-z0-9_-]{16,128})\/(answer|decline|open)$/.exec(link);
    if (!match) return null;
    const callId = this.tokens.get(match[1]!);
    if (!callId) return null;
    this.revokeCall(callId);
    return { callId, action: match[2] as 'answer' | 'decline' | 'open' };
  }

  static isNotificationLink(link: string): boolean {
    return /^softphone:\/\/notification\//i.test(link);
  }
}
