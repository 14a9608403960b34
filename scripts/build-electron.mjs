#!/usr/bin/env node
// Bundles the Electron main process and the sandboxed preload with esbuild (shipped with vite):
// - dist/electron/main/index.js  ESM, Node target, ONE file: every npm package is bundled in, only `electron` stays
//   external. The packaged app ships no node_modules at all (electron-builder.yml beforeBuild), so nothing the
//   signalling service or the renderer depends on can end up in app.asar.
// - dist/electron/preload/index.cjs  ONE CommonJS file (a sandboxed preload cannot require local files), only `electron` external
// and copies the tray icons and the window icon next to them.
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'electron');
const started = Date.now();

const [main] = await Promise.all([
  build({
    entryPoints: [join(root, 'electron/main/index.ts')],
    outfile: join(out, 'main/index.js'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['electron'],
    // Bundled CommonJS packages call require() (for 'electron' and Node built-ins); an ES module has none.
    banner: { js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);" },
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
  }),
  build({
    entryPoints: [join(root, 'electron/preload/index.ts')],
    outfile: join(out, 'preload/index.cjs'),
    bundle: true,
    platform: 'browser',
    format: 'cjs',
    target: 'chrome120',
    external: ['electron'],
    sourcemap: true,
    logLevel: 'warning',
  }),
]);

mkdirSync(join(out, 'tray'), { recursive: true });
const icons = join(root, 'build', 'icons');
if (!existsSync(join(icons, 'tray'))) {
  console.error('build/icons is missing: run `node scripts/generate-icons.mjs` first');
  process.exit(1);
}
cpSync(join(icons, 'tray'), join(out, 'tray'), { recursive: true });
cpSync(join(icons, '512x512.png'), join(out, 'icon.png'));
const packages = new Set(Object.keys(main.metafile.inputs).flatMap((file) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? []));
console.log(`electron main bundles ${packages.size} npm packages: ${[...packages].sort().join(', ')}`);
console.log(`electron main + preload built into dist/electron in ${Date.now() - started} ms`);
