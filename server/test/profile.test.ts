import { describe, expect, it } from 'vitest';
import { systemClock } from '../src/calls/call-context';
import { openProfile } from '../src/cluster/profile';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { StartupError } from '../src/startup-error';

/** The profile is the one place that decides whether this process is the only writer of the calls. */
describe('openProfile', () => {
  const open = (env: Record<string, string>) => openProfile(loadConfig({ DATA_DIR: '/nonexistent', ...env }), createLogger('silent'), systemClock);

  it('SQLite (no DATABASE_URL, no REDIS_URL): single, the only writer', async () => {
    const profile = await open({});
    expect({ name: profile.name, soleWriter: profile.soleWriter }).toEqual({ name: 'single', soleWriter: true });
    await profile.close();
  });

  it('Postgres without Redis: single node, but the calls are shared (other nodes may write them)', async () => {
    const profile = await open({ DATABASE_URL: 'postgres://u:p@127.0.0.1:1/db' });
    expect({ name: profile.name, soleWriter: profile.soleWriter }).toEqual({ name: 'single', soleWriter: false });
    await profile.close();
  });

  it('REDIS_URL without DATABASE_URL is refused before anything connects: nodes with a SQLite file each would not share their calls', async () => {
    const refused = open({ REDIS_URL: 'redis://127.0.0.1:1' });
    await expect(refused).rejects.toBeInstanceOf(StartupError);
    await expect(refused).rejects.toThrow(/REDIS_URL .*needs DATABASE_URL/);
  });
});
