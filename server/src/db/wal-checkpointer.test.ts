import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';

const checkpointer = fileURLToPath(new URL('./wal-checkpointer.ts', import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

// A process whose last work is stopping the checkpointer (a server that cannot bind its port, or one shutting down)
// must live until the worker has closed its connection: an unref'd worker let the event loop run empty while
// stop() was still awaited, and Node ended the process with exit code 13 before its own exit code or message.
it('stop() keeps the process alive until the worker has closed its connection, even when nothing else runs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wal-checkpointer-'));
  dirs.push(dir);
  const file = join(dir, 'softphone.db');
  const script = `
    import { startWalCheckpointer } from ${JSON.stringify(checkpointer)};
    await startWalCheckpointer(${JSON.stringify(file)}, (error) => { throw error; }).stop();
    process.stdout.write('stopped');
  `;
  writeFileSync(join(dir, 'stop.mjs'), script); // a file, not --eval: the worker's own code is CommonJS
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(dir, 'stop.mjs')], { encoding: 'utf8', timeout: 20_000 });
  expect({ status: run.status, stdout: run.stdout }).toEqual({ status: 0, stdout: 'stopped' });
});
