// Where the Electron executable is, or why there is none. The npm `electron` package downloads
// its binary on first install; machines that reach only the npm registry never get it.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

/** @returns {{ path: string } | { missing: string }} */
export function electronBinary() {
  try {
    const path = createRequire(import.meta.url)('electron');
    if (typeof path === 'string' && existsSync(path)) return { path };
    return { missing: `the electron package points to ${String(path)}, which does not exist` };
  } catch (error) {
    return { missing: `require('electron') failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
  }
}
