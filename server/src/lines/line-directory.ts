import type { DirectoryLine, LineRef, Role, UserIdentity } from '../../../shared/protocol';
import { staffs } from '../../../shared/lines/agent-state';
import type { Roles } from '../auth/roles';
import type { UsersRepo } from '../db/users-repo';
import type { AgentStatusReader } from './agent-status';
import type { LineRepo } from './line-repo';

/**
 * Service lines as people meet them outside the line admin API (docs/lines.md, "Finding a line"): the directory
 * lists every open line to every signed-in user (callers dial them anyway), with whether an agent is on duty and
 * how many are available; /api/me tells a user its roles and the lines it answers for.
 */
export class LineDirectory {
  constructor(
    private readonly deps: { users: UsersRepo; lines: LineRepo; agents: AgentStatusReader; roles: Roles },
  ) {}

  /** Open lines whose name or display name contains the query, prefix matches first; their agents' states in one read. */
  async search(query: string, limit: number): Promise<DirectoryLine[]> {
    const found = await this.deps.users.search(query, limit, 'line');
    const statesByLine = await this.deps.agents.statesOfLines(found.map((line) => line.userId));
    return found.map((line) => {
      const states = statesByLine.get(line.userId)!;
      return {
        lineId: line.userId,
        name: line.username,
        displayName: line.displayName,
        staffed: states.some(staffs),
        availableAgents: states.filter((state) => state === 'available').length,
      };
    });
  }

  /** The user's effective roles and the open lines it is a member of. */
  async of(user: UserIdentity): Promise<{ roles: Role[]; lines: LineRef[] }> {
    const [roles, lines] = await Promise.all([this.deps.roles.of(user), this.deps.lines.linesOf(user.userId)]);
    return { roles, lines };
  }
}
