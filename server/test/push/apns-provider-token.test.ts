import { generateKeyPairSync } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { APNS_TOKEN_REFRESH_MS, ApnsProviderToken } from '../../src/push/apns-provider-token';

describe('APNs provider token', () => {
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;

  it('is an ES256 JWT with kid and iss, reused until refreshed well before 60 minutes', async () => {
    let now = Date.UTC(2030, 0, 1);
    const token = new ApnsProviderToken({ pem, keyId: 'ABC123DEFG', teamId: 'TEAM987654' }, () => now);
    const first = await token.get();
    expect(decodeProtectedHeader(first)).toEqual({ alg: 'ES256', kid: 'ABC123DEFG' });
    const { payload } = await jwtVerify(first, pair.publicKey, { issuer: 'TEAM987654', currentDate: new Date(now) });
    expect(payload.iat).toBe(now / 1000);

    now += APNS_TOKEN_REFRESH_MS - 1_000;
    expect(await token.get()).toBe(first);

    now += 2_000;
    const second = await token.get();
    expect(second).not.toBe(first);
    expect((await jwtVerify(second, pair.publicKey, { currentDate: new Date(now) })).payload.iat).toBe(Math.floor(now / 1000));
    expect(APNS_TOKEN_REFRESH_MS).toBeLessThan(60 * 60 * 1000);
    expect(APNS_TOKEN_REFRESH_MS).toBeGreaterThanOrEqual(20 * 60 * 1000);
  });

  it('signs a new token after invalidate()', async () => {
    const token = new ApnsProviderToken({ pem, keyId: 'ABC123DEFG', teamId: 'TEAM987654' });
    const first = await token.get();
    token.invalidate();
    expect(await token.get()).not.toBe(first);
  });
});
