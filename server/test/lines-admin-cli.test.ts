import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loginUser, registerUser } from '../../test/support/server';
import { newUser } from './helpers/raw-device';
import { useRawServer } from './helpers/raw-server';

const rig = useRawServer({ ADMIN_USERS: 'cli-admin' });
const root = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

/** `npm run admin -- ...` is `tsx scripts/admin.ts ...`: the same process, without npm's banner. */
async function admin(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', '--server', rig.url, '--user', 'cli-admin', ...args], {
      cwd: root,
      env: { ...process.env, SOFTPHONE_PASSWORD: 'password-cli-admin' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run admin', () => {
  it('creates and changes a line, adds a member, and prints the API errors', async () => {
    await registerUser(rig.url, 'cli-admin').catch(() => loginUser(rig.url, 'cli-admin'));
    const agent = await newUser(rig.url, 'cliagent');
    const created = await admin('line:create', 'sales', 'Sales desk', '--strategy', 'longest-idle', '--offer-timeout', '20', '--outcomes', 'won=Won,lost=Lost');
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ line: { name: 'sales', strategy: 'longest-idle', offerTimeoutMs: 20_000, outcomeCodes: [{ code: 'won' }, { code: 'lost' }] } });

    const updated = await admin('line:update', 'sales', '--wrap-up-time', '45', '--no-agent', 'reject');
    expect(JSON.parse(updated.stdout)).toMatchObject({ line: { wrapUp: { mode: 'time-boxed', timeMs: 45_000 }, whenNoAgent: 'reject' } });
    expect(JSON.parse((await admin('member:add', 'sales', agent.user.username)).stdout)).toMatchObject({ member: { username: agent.user.username } });

    const refused = await admin('line:create', 'sales', 'Again');
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stderr)).toMatchObject({ status: 409, error: { code: 'NAME_TAKEN' } });
  }, 120_000);
});
