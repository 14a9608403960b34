import { api, loginUser, registerUser, type TestServer } from '../../test/support/server';

/**
 * Support lines (issue 14) set up through the real admin HTTP API: the admin is made by configuration
 * (ADMIN_USERS, see LINES_ADMIN), lines and members and roles through the routes a deployment uses.
 */
export const LINES_ADMIN = 'linesadmin';
/** The server environment a lines spec needs: the admin, and short timers so a test waits seconds, not minutes. */
export const LINES_SERVER_ENV = { ADMIN_USERS: LINES_ADMIN };

let adminToken: Promise<string> | null = null;
let adminServer = '';

async function admin(server: TestServer): Promise<string> {
  if (!adminToken || adminServer !== server.url) {
    adminServer = server.url;
    adminToken = registerUser(server.url, LINES_ADMIN)
      .catch(() => loginUser(server.url, LINES_ADMIN))
      .then((auth) => (auth as { accessToken: string }).accessToken);
  }
  return adminToken;
}

export interface TestLine {
  lineId: string;
  name: string;
  displayName: string;
}

/** Creates a line (any LineConfig fields may be given) with these members. */
export async function createLine(server: TestServer, input: { name: string; displayName: string; members: string[]; [field: string]: unknown }): Promise<TestLine> {
  const token = await admin(server);
  const { members, ...config } = input;
  const { line } = await api<{ line: TestLine }>(server.url, 'POST', '/api/lines', config, token);
  for (const username of members) await api(server.url, 'PUT', `/api/lines/${line.lineId}/members/${username}`, undefined, token);
  return line;
}

export async function grantSupervisor(server: TestServer, username: string): Promise<void> {
  await api(server.url, 'PUT', `/api/users/${username}/roles`, { roles: ['supervisor'] }, await admin(server));
}
