import { readFileSync } from 'node:fs';
import { processTree } from '../../test/support/infra/managed-process';

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ: 100 on Linux). */
const TICKS_PER_S = 100;

/** CPU time (user + system, ms) a process and everything below it have used so far (Linux /proc). */
export function cpuMs(pid: number): number {
  let ticks = 0;
  for (const each of processTree(pid)) {
    try {
      const stat = readFileSync(`/proc/${each}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of the line)
    } catch {
      // exited meanwhile
    }
  }
  return (ticks * 1000) / TICKS_PER_S;
}

/** CPU used by each named process between `fromMs` and `fromMs + windowMs` (ms from now) while `work` runs: the measured window of a round. */
export async function cpuInWindow<T>(pids: Record<string, number>, fromMs: number, windowMs: number, work: () => Promise<T>): Promise<{ result: T; cpuMs: Record<string, number> }> {
  const read = () => Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuMs(pid)]));
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const sampled = (async () => {
    await sleep(fromMs);
    const before = read();
    await sleep(windowMs);
    const after = read();
    return Object.fromEntries(Object.keys(pids).map((name) => [name, (after[name] ?? 0) - (before[name] ?? 0)]));
  })();
  const [result, used] = await Promise.all([work(), sampled]);
  return { result, cpuMs: used };
}
