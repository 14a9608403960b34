import type { AuthResponse } from '../../shared/protocol';

/**
 * Benchmark accounts. Registration hashes the password with argon2 (deliberately slow), so the bench
 * registers a pool of users once per server and gives each user many devices (distinct deviceIds):
 * connection i uses user i mod poolSize and deviceId bench-device-i.
 */
export interface BenchUser {
  username: string;
  userId: string;
  token: string;
}

async function register(url: string, username: string): Promise<BenchUser> {
  const response = await fetch(`${url}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, displayName: `Bench ${username}`, password: `password-${username}` }),
  });
  if (!response.ok) throw new Error(`register ${username}: HTTP ${response.status} ${await response.text()}`);
  const auth = (await response.json()) as AuthResponse;
  return { username, userId: auth.user.userId, token: auth.accessToken };
}

export async function registerUsers(url: string, prefix: string, count: number, concurrency = 4): Promise<BenchUser[]> {
  const users: BenchUser[] = new Array<BenchUser>(count);
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const index = next++;
      users[index] = await register(url, `${prefix}-${String(index).padStart(5, '0')}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return users;
}
