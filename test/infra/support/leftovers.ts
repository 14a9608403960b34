import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

export { isAlive, processTree } from '../../support/infra/managed-process';

/** Process ids whose command line mentions `text` (read from /proc: finds children of children too). */
export function processesMentioning(text: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text)) found.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return found;
}

/** True when nothing listens on 127.0.0.1:port any more (the port can be bound again). */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** The real uid of a process (from /proc/PID/status). */
export function uidOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Uid:'));
  return Number(line?.split(/\s+/)[1]);
}
