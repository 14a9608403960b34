import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Bundles the Chromium bench page (PhoneCore, socket.io-client, simple-peer) into dist/bench-page. */
export const PAGE_DIR = fileURLToPath(new URL('../../dist/bench-page', import.meta.url));

export async function buildBenchPage(): Promise<string> {
  mkdirSync(PAGE_DIR, { recursive: true });
  await build({
    entryPoints: [fileURLToPath(new URL('./call-bench-page.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    outfile: join(PAGE_DIR, 'call-bench.js'),
    logLevel: 'warning',
  });
  writeFileSync(join(PAGE_DIR, 'index.html'), '<!doctype html><meta charset="utf-8"><title>call bench</title><script type="module" src="call-bench.js"></script>\n');
  return PAGE_DIR;
}
