import { hash, verify } from '@node-rs/argon2';
import { randomUUID } from 'node:crypto';
import { ProtocolError, type AuthResponse, type UserIdentity } from '../../../shared/protocol';
import type { UsersRepo } from '../db/users-repo';
import type { TokenService } from './tokens';

/** Compared against when the username does not exist, so a wrong name costs as much time as a wrong password. */
let dummyHash: Promise<string> | undefined;

/** Register, login, refresh: passwords hashed with argon2id (@node-rs/argon2 defaults). */
export class AccountService {
  constructor(
    private readonly users: UsersRepo,
    private readonly tokens: TokenService,
  ) {}

  async register(input: { username: string; displayName: string; password: string }): Promise<AuthResponse> {
    if (this.users.findByUsername(input.username)) throw new ProtocolError('USERNAME_TAKEN', `The username ${input.username} is taken`);
    const user: UserIdentity = { userId: randomUUID(), username: input.username, displayName: input.displayName };
    const inserted = this.users.insert({ ...user, passwordHash: await hash(input.password) });
    if (!inserted) throw new ProtocolError('USERNAME_TAKEN', `The username ${input.username} is taken`);
    return this.tokens.issue(user);
  }

  async login(input: { username: string; password: string }): Promise<AuthResponse> {
    const stored = this.users.findByUsername(input.username);
    dummyHash ??= hash('not-a-real-password');
    const valid = await verify(stored?.passwordHash ?? (await dummyHash), input.password);
    if (!stored || !valid) throw new ProtocolError('INVALID_CREDENTIALS', 'Wrong username or password');
    const { passwordHash: _omit, ...user } = stored;
    return this.tokens.issue(user);
  }

  /** Rotates both tokens. The user must still exist. */
  async refresh(refreshToken: string): Promise<AuthResponse> {
    const userId = await this.tokens.verify(refreshToken, 'refresh');
    return this.tokens.issue(this.requireUser(userId));
  }

  requireUser(userId: string): UserIdentity {
    const user = this.users.findById(userId);
    if (!user) throw new ProtocolError('UNAUTHORIZED', 'The account no longer exists');
    return user;
  }
}
