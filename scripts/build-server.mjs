#!/usr/bin/env node
// `npm run build:server`: bundles the signalling service (server/src/main.ts and everything it imports,
// npm packages included) into ONE ES module, dist/server/main.js, with esbuild (shipped with vite, as for
// the Electron main). Production runs it with plain `node` (`npm run serve`): no TypeScript loader at start.
//
// Kept external (required from node_modules at run time, so `npm ci --omit=dev` must sit next to dist/):
// - native addons, which cannot be bundled: better-sqlite3, @node-rs/argon2 (and its platform package);
// - optional packages their dependents load inside try/catch only when installed: ws's bufferutil and
//   utf-8-validate, pg's pg-native.
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SERVER_EXTERNALS = ['better-sqlite3', '@node-rs/argon2', 'bufferutil', 'utf-8-validate', 'pg-native'];

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SERVER_BUNDLE_DIR = join(root, 'dist', 'server');
export const SERVER_BUNDLE = join(SERVER_BUNDLE_DIR, 'main.js');
/** What the last build read and when it started (`{ startedAtMs, inputs }`), so a caller can tell whether the bundle is stale. */
export const SERVER_BUNDLE_META = join(SERVER_BUNDLE_DIR, 'meta.json');

/**
 * Builds into a private temporary folder, then renames each file into dist/server: concurrent builds
 * (test processes) never expose a half-written file, and the output of the same sources is identical.
 * @returns {Promise<{ outfile: string, ms: number, inputs: string[] }>}
 */
export async function buildServer() {
  const started = Date.now();
  mkdirSync(SERVER_BUNDLE_DIR, { recursive: true });
  const staging = mkdtempSync(join(SERVER_BUNDLE_DIR, '.build-'));
  try {
    const result = await build({
      entryPoints: [join(root, 'server/src/main.ts')],
      outfile: join(staging, 'main.js'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      external: SERVER_EXTERNALS,
      // Bundled CommonJS packages call require() for Node built-ins; an ES module has none of its own.
      banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
      sourcemap: true,
      sourcesContent: false,
      metafile: true,
      absWorkingDir: root,
      logLevel: 'warning',
    });
    const inputs = Object.keys(result.metafile.inputs);
    writeFileSync(join(staging, 'meta.json'), `${JSON.stringify({ startedAtMs: started, inputs })}\n`);
    // The map first and the metadata last: a reader that sees a fresh meta.json sees the code it describes.
    for (const file of ['main.js.map', 'main.js', 'meta.json']) renameSync(join(staging, file), join(SERVER_BUNDLE_DIR, file));
    return { outfile: SERVER_BUNDLE, ms: Date.now() - started, inputs };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { outfile, ms, inputs } = await buildServer();
  console.log(`signalling service built into ${outfile} (${inputs.length} inputs) in ${ms} ms`);
}
