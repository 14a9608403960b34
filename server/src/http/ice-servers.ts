import { createHmac } from 'node:crypto';
import type { IceServer, IceServersResponse } from '../../../shared/protocol';

export interface IceSettings {
  stunUrls: string[];
  turnUrls: string[];
  turnSecret?: string;
  turnTtlSeconds: number;
}

/**
 * TURN REST API credentials (draft-uberti-behave-turn-rest), as coturn's `use-auth-secret` checks them:
 * username = "<unix expiry>:<userId>", credential = base64(HMAC-SHA1(secret, username)).
 */
export function turnCredentials(secret: string, userId: string, ttlSeconds: number, nowMs = Date.now()): { username: string; credential: string } {
  const username = `${Math.floor(nowMs / 1000) + ttlSeconds}:${userId}`;
  return { username, credential: createHmac('sha1', secret).update(username).digest('base64') };
}

/** The ICE configuration for one user. TURN without a secret is handed out without credentials. */
export function iceServersFor(settings: IceSettings, userId: string, nowMs = Date.now()): IceServersResponse {
  const iceServers: IceServer[] = [];
  if (settings.stunUrls.length > 0) iceServers.push({ urls: settings.stunUrls });
  if (settings.turnUrls.length > 0) {
    iceServers.push(
      settings.turnSecret
        ? { urls: settings.turnUrls, ...turnCredentials(settings.turnSecret, userId, settings.turnTtlSeconds, nowMs) }
        : { urls: settings.turnUrls },
    );
  }
  return { iceServers, ttlSeconds: settings.turnSecret && settings.turnUrls.length > 0 ? settings.turnTtlSeconds : null };
}
