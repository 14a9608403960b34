import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildServer, SERVER_BUNDLE, SERVER_BUNDLE_META } from '../../scripts/build-server.mjs';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** True when the bundle is missing, or any file it was built from (or the build script) changed after that build started. */
function bundleIsStale(): boolean {
  if (!existsSync(SERVER_BUNDLE) || !existsSync(SERVER_BUNDLE_META)) return true;
  const meta = JSON.parse(readFileSync(SERVER_BUNDLE_META, 'utf8')) as { startedAtMs?: number; inputs?: string[] };
  if (typeof meta.startedAtMs !== 'number' || !Array.isArray(meta.inputs)) return true;
  const builtFrom = meta.startedAtMs;
  return [...meta.inputs, 'scripts/build-server.mjs'].some((input) => {
    try {
      return statSync(join(ROOT, input)).mtimeMs >= builtFrom;
    } catch {
      return true; // an input is gone: its importer changed
    }
  });
}

let ensured: Promise<string> | undefined;

/**
 * dist/server/main.js (what `npm run serve` runs), built first when it is missing or stale. Tests spawn the
 * compiled service, so no test can run yesterday's code, and no separate build step is needed before them.
 * Checked once per test process; concurrent test processes may both build, which is safe (atomic renames,
 * identical output).
 */
export function ensureServerBundle(): Promise<string> {
  ensured ??= (async () => {
    if (bundleIsStale()) await buildServer();
    return SERVER_BUNDLE;
  })();
  return ensured;
}
