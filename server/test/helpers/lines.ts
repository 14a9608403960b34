import type { AuthResponse, CreateLineRequest, Line } from '../../../shared/protocol';
import { api, loginUser, registerUser } from '../../../test/support/server';

/** The admin named in the rig's ADMIN_USERS (registered on first use). */
export async function lineAdmin(url: string, username = 'line-admin'): Promise<AuthResponse> {
  return registerUser(url, username).catch(() => loginUser(url, username));
}

let lineCounter = 0;
/** A new line (unique name) with the given members. */
export async function newLine(url: string, admin: AuthResponse, members: AuthResponse[], settings: Partial<CreateLineRequest> = {}): Promise<Line> {
  lineCounter += 1;
  const { line } = await api<{ line: Line }>(url, 'POST', '/api/lines', { name: `line${lineCounter}-${process.pid}`, displayName: `Line ${lineCounter}`, ...settings }, admin.accessToken);
  for (const member of members) await api(url, 'PUT', `/api/lines/${line.lineId}/members/${member.user.username}`, undefined, admin.accessToken);
  return line;
}
