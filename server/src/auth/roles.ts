import { ProtocolError, ROLES, type Role } from '../../../shared/protocol';
import type { Db } from '../db/schema';

/**
 * Who is admin or supervisor. Granted roles are rows of `user_roles` (through the admin API / `npm run admin`).
 * The first admins come from configuration: the usernames in ADMIN_USERS are admins while they are listed
 * (never stored), so no network path can mint the first admin and it works the same on every node.
 * An admin is also a supervisor.
 */
export class Roles {
  constructor(
    private readonly db: Db,
    private readonly configuredAdmins: ReadonlySet<string>,
  ) {}

  /** The roles stored for the user (what the API granted). */
  async stored(userId: string): Promise<Role[]> {
    const rows = await this.db.selectFrom('user_roles').select('role').where('user_id', '=', userId).execute();
    return ROLES.filter((role) => rows.some((row) => row.role === role));
  }

  /** The user's effective roles: stored, plus admin from ADMIN_USERS; an admin is also a supervisor. */
  async of(user: { userId: string; username: string }): Promise<Role[]> {
    const roles = new Set(await this.stored(user.userId));
    if (this.configuredAdmins.has(user.username)) roles.add('admin');
    if (roles.has('admin')) roles.add('supervisor');
    return ROLES.filter((role) => roles.has(role));
  }

  async has(user: { userId: string; username: string }, role: Role): Promise<boolean> {
    return (await this.of(user)).includes(role);
  }

  /** Throws FORBIDDEN unless the user has the role. */
  async require(user: { userId: string; username: string }, role: Role): Promise<void> {
    if (!(await this.has(user, role))) throw new ProtocolError('FORBIDDEN', `This needs the ${role} role`);
  }

  /** Replaces the user's stored roles. */
  async set(userId: string, roles: readonly Role[], grantedBy: string): Promise<void> {
    const now = new Date().toISOString();
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('user_roles').where('user_id', '=', userId).execute();
      const unique = [...new Set(roles)];
      if (unique.length > 0) {
        await tx
          .insertInto('user_roles')
          .values(unique.map((role) => ({ user_id: userId, role, granted_by: grantedBy, granted_at: now })))
          .execute();
      }
    });
  }
}
