import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, HttpError, startServer, type TestServer } from '../../test/support/server';
import type { AuthResponse } from '../../shared/protocol';

/**
 * Issue 10, item 5: display names are what a callee reads on the incoming window and the OS
 * notification. Registration refuses control and format characters and names with nothing visible,
 * and normalizes to NFC. (Look-alike names stay possible; ring surfaces add @username: shared/host.)
 */

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.stop();
});

let counter = 0;
async function register(displayName: string): Promise<{ status: number; body: unknown }> {
  counter += 1;
  try {
    return { status: 201, body: await api<AuthResponse>(server.url, 'POST', '/api/auth/register', { username: `dn-${counter}-${process.pid}`, displayName, password: 'display-password' }) };
  } catch (error) {
    if (error instanceof HttpError) return { status: error.status, body: error.body };
    throw error;
  }
}

describe('display names at registration', () => {
  it.each([
    ['NUL', 'Ali\u0000ce'],
    ['ESC (terminal escapes)', 'Bob\u001b[31m'],
    ['right-to-left override', 'Evil\u202Egnp.exe'],
    ['only zero-width spaces', '\u200B\u200B\u200B'],
    ['a zero-width joiner alone', '\u200D'],
    ['a zero-width no-break space (BOM) inside', 'Ali\uFEFFce'],
    ['a line separator', 'Ali\u2028ce'],
    ['private-use characters', 'Ali\uE000ce'],
    ['only spaces', '   '],
  ])('refuses %s with VALIDATION_FAILED on displayName', async (_what, displayName) => {
    const answer = await register(displayName);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: { code: 'VALIDATION_FAILED', issues: expect.arrayContaining([expect.objectContaining({ path: 'displayName' })]) } });
  });

  it('stores names in NFC, trimmed, and keeps real-world names, emoji sequences included', async () => {
    const decomposed = 'Zoe\u0301 ';
    expect((await register(decomposed)).body).toMatchObject({ user: { displayName: 'Zoé' } });
    for (const name of ['李小龙', 'Ана-Мария', 'محمد', '👩‍💻 Dev', 'O\u2019Brien']) {
      const answer = await register(name);
      expect(answer.status, name).toBe(201);
      expect((answer.body as AuthResponse).user.displayName).toBe(name.normalize('NFC'));
    }
  });
});
