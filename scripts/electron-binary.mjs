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

/**
 * What follows the Electron executable on the command line to run this app unpackaged: the app
 * FOLDER. Electron's default_app then reads its package.json (main, productName, desktopName), so
 * the app runs as "Softphone" with its own profile; the main script's path instead would run it
 * under default_app's own identity ("Electron", ~/.config/Electron). Used by `npm start`, the
 * `_electron` suite and the desktop boot test (which fails on the wrong identity).
 * @param {string} root the app folder (the repository root)
 * @returns {string[]}
 */
export function electronAppArgs(root) {
  return [root];
}
