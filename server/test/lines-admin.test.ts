import { describe, expect, it, vi } from 'vitest';
import { DirectoryResponse, MeResponse, type AuthResponse, type Line, type LineMember } from '../../shared/protocol';
import { api, loginUser, outcomeOf, registerUser } from '../../test/support/server';
import { newUser } from './helpers/raw-device';
import { useRawServer } from './helpers/raw-server';

// The first admin comes from configuration (ADMIN_USERS), never from a request.
const rig = useRawServer({ ADMIN_USERS: 'root-admin' });

async function users(): Promise<{ admin: AuthResponse; sup: AuthResponse; agent: AuthResponse; plain: AuthResponse }> {
  const [admin, sup, agent, plain] = await Promise.all([
    registerUser(rig.url, 'root-admin').catch(() => loginUser(rig.url, 'root-admin')),
    newUser(rig.url, 'sup'),
    newUser(rig.url, 'agent'),
    newUser(rig.url, 'plain'),
  ]);
  return { admin: admin!, sup: sup!, agent: agent!, plain: plain! };
}

describe('line admin API', () => {
  it('an ADMIN_USERS admin creates, changes, staffs and closes a line; names are one namespace with users', async () => {
    const { admin, agent, plain } = await users();
    const as = (user: AuthResponse) => user.accessToken;
    const { line } = await api<{ line: Line }>(rig.url, 'POST', '/api/lines', { name: 'support', displayName: 'Support', strategy: 'longest-idle' }, as(admin));
    expect(line).toMatchObject({ name: 'support', strategy: 'longest-idle', offerTimeoutMs: 15_000, wrapUp: { mode: 'time-boxed', timeMs: 30_000 }, members: 0, closedAt: null });

    // One namespace: neither a second line nor a user may take the name, and a line's name cannot sign in.
    expect(await outcomeOf(api(rig.url, 'POST', '/api/lines', { name: 'support', displayName: 'Again' }, as(admin)))).toEqual({ status: 409, code: 'NAME_TAKEN' });
    expect(await outcomeOf(api(rig.url, 'POST', '/api/lines', { name: plain.user.username, displayName: 'Taken' }, as(admin)))).toEqual({ status: 409, code: 'NAME_TAKEN' });
    expect(await outcomeOf(registerUser(rig.url, 'support'))).toEqual({ status: 409, code: 'USERNAME_TAKEN' });
    expect(await outcomeOf(loginUser(rig.url, 'support', 'anything-at-all'))).toEqual({ status: 401, code: 'INVALID_CREDENTIALS' });
    // Lines are not people in the directory.
    const directory = await api<{ users: Array<{ username: string }> }>(rig.url, 'GET', '/api/directory?q=support', undefined, as(plain));
    expect(directory.users.map((u) => u.username)).not.toContain('support');

    const patched = await api<{ line: Line }>(
      rig.url,
      'PATCH',
      `/api/lines/${line.lineId}`,
      { outcomeCodes: [{ code: 'solved', label: 'Solved' }], outcomeRequired: true, wrapUp: { mode: 'optional', timeMs: 60_000 } },
      as(admin),
    );
    expect(patched.line).toMatchObject({ outcomeRequired: true, wrapUp: { mode: 'optional' }, outcomeCodes: [{ code: 'solved', label: 'Solved' }] });
    expect(await outcomeOf(api(rig.url, 'PATCH', `/api/lines/${line.lineId}`, { name: plain.user.username }, as(admin)))).toEqual({ status: 409, code: 'NAME_TAKEN' });

    const { member } = await api<{ member: LineMember }>(rig.url, 'PUT', `/api/lines/support/members/${agent.user.username}`, undefined, as(admin));
    expect(member).toMatchObject({ username: agent.user.username, agent: { state: 'offline' } });
    // A line is no member; an unknown user neither.
    expect(await outcomeOf(api(rig.url, 'PUT', `/api/lines/support/members/support`, undefined, as(admin)))).toEqual({ status: 404, code: 'USER_NOT_FOUND' });
    expect((await api<{ line: Line }>(rig.url, 'GET', '/api/lines/support', undefined, as(agent))).line.members).toBe(1);
    // The member sees its line; a plain user sees none and cannot read it.
    expect((await api<{ lines: Line[] }>(rig.url, 'GET', '/api/lines', undefined, as(agent))).lines.map((l) => l.name)).toEqual(['support']);
    expect((await api<{ lines: Line[] }>(rig.url, 'GET', '/api/lines', undefined, as(plain))).lines).toEqual([]);
    expect(await outcomeOf(api(rig.url, 'GET', '/api/lines/support', undefined, as(plain)))).toEqual({ status: 404, code: 'LINE_NOT_FOUND' });

    await api(rig.url, 'DELETE', `/api/lines/support/members/${agent.user.username}`, undefined, as(admin));
    expect(await outcomeOf(api(rig.url, 'DELETE', `/api/lines/support/members/${agent.user.username}`, undefined, as(admin)))).toEqual({ status: 404, code: 'USER_NOT_FOUND' });
    await api(rig.url, 'DELETE', `/api/lines/${line.lineId}`, undefined, as(admin));
    expect(await outcomeOf(api(rig.url, 'GET', '/api/lines/support', undefined, as(admin)))).toEqual({ status: 404, code: 'LINE_NOT_FOUND' });
    // The closed line's name stays reserved.
    expect(await outcomeOf(registerUser(rig.url, 'support'))).toEqual({ status: 409, code: 'USERNAME_TAKEN' });
  });

  it('every signed-in user finds open lines in the directory (apart from people), and /api/me tells an agent its roles and lines', async () => {
    const { admin, agent, plain } = await users();
    const { line } = await api<{ line: Line }>(rig.url, 'POST', '/api/lines', { name: 'helpdesk', displayName: 'Help Desk' }, admin.accessToken);
    const { line: second } = await api<{ line: Line }>(rig.url, 'POST', '/api/lines', { name: 'helpdesk-2', displayName: 'Second Desk' }, admin.accessToken);
    // One agent on both lines: it counts on each.
    for (const name of ['helpdesk', 'helpdesk-2']) await api(rig.url, 'PUT', `/api/lines/${name}/members/${agent.user.username}`, undefined, admin.accessToken);
    const directory = async (q: string) => DirectoryResponse.parse(await api(rig.url, 'GET', `/api/directory?q=${encodeURIComponent(q)}`, undefined, plain.accessToken));
    const helpdesk = { lineId: line.lineId, name: 'helpdesk', displayName: 'Help Desk' };

    // Found by a part of its name or of its display name, in `lines` only; nobody on duty yet.
    const secondDesk = { lineId: second.lineId, name: 'helpdesk-2', displayName: 'Second Desk' };
    expect((await directory('help')).lines).toEqual([
      { ...helpdesk, staffed: false, availableAgents: 0 },
      { ...secondDesk, staffed: false, availableAgents: 0 },
    ]);
    expect((await directory('p de')).lines.map((l) => l.name)).toEqual(['helpdesk']);
    expect((await directory('help')).users.map((u) => u.username)).not.toContain('helpdesk');
    expect((await directory('')).lines.map((l) => l.name)).toContain('helpdesk');
    expect((await directory('nothing-like-it')).lines).toEqual([]);

    // Its agent signs in (available), then takes a break (on duty no more).
    const device = await rig.connect(agent, 'helpdesk-agent');
    await vi.waitFor(async () => expect((await directory('helpdesk')).lines.map((l) => [l.name, l.staffed, l.availableAgents])).toEqual([['helpdesk', true, 1], ['helpdesk-2', true, 1]]));
    await device.ok('presence:set', { status: 'away', reason: 'break' });
    expect((await directory('helpdesk')).lines.map((l) => [l.name, l.staffed, l.availableAgents])).toEqual([['helpdesk', false, 0], ['helpdesk-2', false, 0]]);

    // /api/me: roles and the open lines the user answers for.
    const me = async (user: AuthResponse) => MeResponse.parse(await api(rig.url, 'GET', '/api/me', undefined, user.accessToken));
    expect(await me(agent)).toEqual({ user: agent.user, roles: [], lines: [helpdesk, secondDesk] });
    expect(await me(admin)).toMatchObject({ roles: ['admin', 'supervisor'], lines: [] });

    // A deleted line is listed nowhere any more.
    await api(rig.url, 'DELETE', `/api/lines/${line.lineId}`, undefined, admin.accessToken);
    expect((await directory('help')).lines.map((l) => l.name)).toEqual(['helpdesk-2']);
    expect((await me(agent)).lines).toEqual([secondDesk]);
  });

  it('roles: only admins change lines and roles, supervisors read members and records, nobody mints an admin without one', async () => {
    const { admin, sup, plain } = await users();
    const { line } = await api<{ line: Line }>(rig.url, 'POST', '/api/lines', { name: `desk-${process.pid}`, displayName: 'Desk' }, admin.accessToken);
    const path = `/api/lines/${line.lineId}`;
    const adminOnly: Array<[string, string, unknown]> = [
      ['POST', '/api/lines', { name: 'nope-line', displayName: 'Nope' }],
      ['PATCH', path, { maxWaitMs: 60_000 }],
      ['DELETE', path, undefined],
      ['PUT', `${path}/members/${plain.user.username}`, undefined],
      ['DELETE', `${path}/members/${plain.user.username}`, undefined],
      ['GET', `/api/users/${plain.user.username}/roles`, undefined],
      ['PUT', `/api/users/${plain.user.username}/roles`, { roles: ['admin'] }],
    ];
    const supervisorOnly: Array<[string, string]> = [
      ['GET', `${path}/members`],
      ['GET', `${path}/records?from=2026-01-01&to=2026-01-31`],
    ];
    for (const [method, route, body] of adminOnly) expect(await outcomeOf(api(rig.url, method, route, body, plain.accessToken)), `${method} ${route}`).toEqual({ status: 403, code: 'FORBIDDEN' });
    for (const [method, route] of supervisorOnly) expect(await outcomeOf(api(rig.url, method, route, undefined, plain.accessToken)), `${method} ${route}`).toEqual({ status: 403, code: 'FORBIDDEN' });
    for (const [method, route, body] of adminOnly) expect(await outcomeOf(api(rig.url, method, route, body)), `${method} ${route} without a token`).toEqual({ status: 401, code: 'UNAUTHORIZED' });

    const granted = await api<{ roles: string[]; stored: string[] }>(rig.url, 'PUT', `/api/users/${sup.user.username}/roles`, { roles: ['supervisor'] }, admin.accessToken);
    expect(granted).toMatchObject({ roles: ['supervisor'], stored: ['supervisor'] });
    expect(await api(rig.url, 'GET', `${path}/members`, undefined, sup.accessToken)).toEqual({ members: [] });
    expect(await api(rig.url, 'GET', `${path}/records?from=2026-01-01&to=2026-01-31`, undefined, sup.accessToken)).toMatchObject({ records: [] });
    // A supervisor is no admin.
    expect(await outcomeOf(api(rig.url, 'PATCH', path, { maxWaitMs: 60_000 }, sup.accessToken))).toEqual({ status: 403, code: 'FORBIDDEN' });
    // The configured admin shows as admin (and supervisor) although nothing is stored.
    expect(await api(rig.url, 'GET', `/api/users/root-admin/roles`, undefined, admin.accessToken)).toMatchObject({ roles: ['admin', 'supervisor'], stored: [] });
    // Bad input from an admin is a typed 400 and changes nothing.
    expect(await outcomeOf(api(rig.url, 'PATCH', path, { offerTimeoutMs: 10 }, admin.accessToken))).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(await outcomeOf(api(rig.url, 'PATCH', path, {}, admin.accessToken))).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(await outcomeOf(api(rig.url, 'PUT', `/api/users/${sup.user.username}/roles`, { roles: ['root'] }, admin.accessToken))).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(await outcomeOf(api(rig.url, 'GET', `${path}/records?from=2026-01-01&to=2026-12-31`, undefined, admin.accessToken))).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect((await api<{ line: Line }>(rig.url, 'GET', path, undefined, admin.accessToken)).line.offerTimeoutMs).toBe(15_000);

    // Revoking: the supervisor loses access at once.
    await api(rig.url, 'PUT', `/api/users/${sup.user.username}/roles`, { roles: [] }, admin.accessToken);
    expect(await outcomeOf(api(rig.url, 'GET', `${path}/members`, undefined, sup.accessToken))).toEqual({ status: 403, code: 'FORBIDDEN' });
  });
});
