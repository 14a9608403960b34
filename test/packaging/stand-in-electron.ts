import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** @electron/fuses: the wire starts after this sentinel with [version, length, ...states] ('0' off, '1' on). */
export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

/**
 * Electron 41's fuse wire as shipped (docs/tutorial/fuses.md, build/fuses/fuses.json5): runAsNode on,
 * cookieEncryption off, nodeOptions on, nodeCliInspect on, embeddedAsarIntegrityValidation off,
 * onlyLoadAppFromAsar off, loadBrowserProcessSpecificV8Snapshot off, grantFileProtocolExtraPrivileges on,
 * wasmTrapHandlers on (the ninth, newer than @electron/fuses 1.8, which leaves it alone).
 */
export const ELECTRON_41_FUSES = '101100011';

/**
 * A stand-in for an unpacked Electron 41 for Linux (what electron-builder's `electronDist` accepts):
 * the layout electron-builder copies (the `electron` executable, resources/, locales/, licences) and
 * an executable that carries the real fuse wire, so the afterPack fuses hook flips it and the test
 * reads it back. It cannot run: the real binary cannot be downloaded on these machines.
 */
export function createStandInElectron(dir: string): string {
  mkdirSync(join(dir, 'resources'), { recursive: true });
  mkdirSync(join(dir, 'locales'), { recursive: true });
  const script = '#!/bin/sh\necho "stand-in Electron 41 for packaging tests; it does not run" >&2\nexit 1\n';
  const wire = Buffer.concat([Buffer.from(FUSE_SENTINEL, 'ascii'), Buffer.from([1, ELECTRON_41_FUSES.length]), Buffer.from(ELECTRON_41_FUSES, 'ascii')]);
  writeFileSync(join(dir, 'electron'), Buffer.concat([Buffer.from(script), Buffer.alloc(64), wire, Buffer.alloc(64)]));
  chmodSync(join(dir, 'electron'), 0o755);
  writeFileSync(join(dir, 'locales', 'en-US.pak'), 'stand-in');
  writeFileSync(join(dir, 'LICENSE'), 'stand-in');
  writeFileSync(join(dir, 'LICENSES.chromium.html'), 'stand-in');
  writeFileSync(join(dir, 'version'), '41.7.1');
  return dir;
}
