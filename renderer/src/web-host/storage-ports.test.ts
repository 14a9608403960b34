import { describe, expect, it } from 'vitest';
import { memoryStorage, sessionStore } from './storage-ports';

/** Issue 10, item 2: the web host keeps no token in page storage (an XSS could read it there). */

const SESSION = {
  serverUrl: 'http://phone.test',
  user: { userId: '11111111-1111-4111-8111-111111111111', username: 'alice', displayName: 'Alice' },
  accessToken: 'access-secret',
  accessTokenExpiresAt: '2025-01-01T10:15:00.000Z',
  refreshToken: '',
  refreshTokenExpiresAt: '2025-01-31T10:00:00.000Z',
};

describe('the web session store', () => {
  it('stores who and where, never a token; loads with empty tokens so the host refreshes from the cookie', () => {
    const storage = memoryStorage();
    const store = sessionStore(storage);
    store.save(SESSION);
    const raw = storage.getItem('softphone.session') ?? '';
    expect(raw).not.toContain('access-secret');
    expect(JSON.parse(raw)).toEqual({ serverUrl: SESSION.serverUrl, user: SESSION.user, refreshTokenExpiresAt: SESSION.refreshTokenExpiresAt });
    expect(store.load()).toEqual({ ...SESSION, accessToken: '', accessTokenExpiresAt: new Date(0).toISOString(), refreshToken: '' });
  });

  it('removes tokens an older version stored in localStorage', () => {
    const storage = memoryStorage();
    storage.setItem('softphone.session', JSON.stringify({ ...SESSION, refreshToken: 'old-refresh-secret' }));
    const loaded = sessionStore(storage).load();
    expect(loaded).toMatchObject({ refreshToken: '', accessToken: '' });
    expect(storage.getItem('softphone.session')).not.toMatch(/secret/);
  });
});
