import { isIP } from 'node:net';

export interface ServiceOriginSettings {
  /** PUBLIC_URL: the origin clients use, when configured. */
  publicUrl: string | undefined;
  /** ALLOWED_HOSTS: more host names the service answers to. */
  allowedHosts: readonly string[];
  /** The port the service listens on (known once it is bound). */
  port: () => number;
}

/** The host name of a Host header value (`name`, `name:port`, `[v6]:port`), lower-cased; null when malformed. */
export function hostNameOf(hostHeader: string | undefined): string | null {
  if (!hostHeader) return null;
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]\s/@]+)(?::(\d{1,5}))?$/i.exec(hostHeader.trim());
  return match?.[1] ? match[1].toLowerCase() : null;
}

const bare = (hostname: string) => hostname.replace(/^\[|\]$/g, '');

/**
 * Who the service is, taken from configuration and never from the request: which Host headers it
 * answers and which browser origin is its own. A DNS-rebinding page (evil.example resolving to
 * 127.0.0.1) sends `Host: evil.example` and `Origin: http://evil.example:port`; both are refused.
 * Allowed host names: PUBLIC_URL's, ALLOWED_HOSTS, `localhost` and IP literals (a name an attacker
 * controls can never be an IP literal, and one can only reach an IP literal by typing it).
 */
export class ServiceOrigin {
  private readonly publicUrl: URL | null;
  private readonly names: Set<string>;

  constructor(private readonly settings: ServiceOriginSettings) {
    this.publicUrl = settings.publicUrl ? new URL(settings.publicUrl) : null;
    this.names = new Set(['localhost', ...settings.allowedHosts.map((name) => name.toLowerCase())]);
    if (this.publicUrl) this.names.add(this.publicUrl.hostname.toLowerCase());
  }

  hostAllowed(hostHeader: string | undefined): boolean {
    const name = hostNameOf(hostHeader);
    return name !== null && (this.names.has(name) || isIP(bare(name)) !== 0);
  }

  /** The service's own browser origin: PUBLIC_URL's, or http://<allowed host>:<our port>. */
  isOwnOrigin(origin: string): boolean {
    if (this.publicUrl && origin === this.publicUrl.origin) return true;
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false;
    }
    return url.protocol === 'http:' && url.origin === origin && Number(url.port || 80) === this.settings.port() && this.hostAllowed(url.host);
  }
}
