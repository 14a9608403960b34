#!/usr/bin/env node
// `npm run dist [-- electron-builder args]`: builds the renderer and the Electron bundles, then packages
// with electron-builder.yml; the update feed comes from SOFTPHONE_UPDATE_URL when it is set.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publishArgs } from './publish-args.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const feed = publishArgs(process.env.SOFTPHONE_UPDATE_URL);
run('npm', ['run', '--silent', 'build:renderer']);
run('node', ['scripts/build-electron.mjs']);
run('npx', ['electron-builder', '--publish', 'never', ...feed, ...process.argv.slice(2)]);
