import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isAlive, portIsFree } from './support/leftovers';

const ABANDON = fileURLToPath(new URL('./support/abandon-rig.ts', import.meta.url));

describe('rig clean-up when a test never stops its servers', () => {
  it('a process that dies with its servers running takes them, and their folders, with it', async () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', ABANDON], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('a test failed before it stopped its servers');
    const started = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as { pids: number[]; dirs: string[]; ports: number[]; shmid: number };
    expect(started.pids.length).toBeGreaterThan(4); // redis, the postmaster and its children
    // The postmaster's children notice its death by themselves; give them a moment.
    await expect.poll(() => started.pids.filter(isAlive), { timeout: 10_000 }).toEqual([]);
    expect(started.dirs.filter((dir) => existsSync(dir))).toEqual([]);
    expect((await Promise.all(started.ports.map(portIsFree))).every(Boolean)).toBe(true);
    // Nor the kernel: the postmaster's System V shared-memory segment is gone too.
    expect(Number.isInteger(started.shmid)).toBe(true);
    const segments = spawnSync('ipcs', ['-m'], { encoding: 'utf8' }).stdout.split('\n').map((line) => line.trim().split(/\s+/)[1]);
    expect(segments).not.toContain(String(started.shmid));
  }, 90_000);
});
