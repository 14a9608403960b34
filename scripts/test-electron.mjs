#!/usr/bin/env node
// `npm run test:electron [-- playwright args]`: the Playwright `_electron` suite (e2e/electron) against the
// real Electron binary, for machines and CI pipelines that have it (these build machines do not: there
// the suite skips inside `npm test`). Builds the renderer and the Electron bundles, then runs the
// `electron` Playwright project. On Linux without a display it runs under xvfb-run. Afterwards it prints
// the incoming-window latency the suite records (docs/electron.md, "Running the desktop suite").
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinary } from './electron-binary.mjs';
import { electronSuiteCommand } from './electron-suite-command.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const report = join(root, 'test-results', 'reports', 'playwright.json');

/** npm and npx are .cmd files on Windows and need a shell there; node (process.execPath, maybe with spaces) does not. */
function run(command, args, env = process.env) {
  const shell = process.platform === 'win32' && (command === 'npm' || command === 'npx');
  return spawnSync(command, args, { cwd: root, stdio: 'inherit', env, shell }).status ?? 1;
}

const binary = electronBinary();
if (!('path' in binary)) {
  console.error(`npm run test:electron needs the Electron binary, and it is missing: ${binary.missing}.`);
  console.error('Install it where GitHub downloads work: `npm ci` without ELECTRON_SKIP_BINARY_DOWNLOAD (or `node node_modules/electron/install.js`).');
  process.exit(1);
}

if (run('npm', ['run', '--silent', 'build:renderer']) !== 0) process.exit(1);
if (run(process.execPath, ['scripts/build-electron.mjs']) !== 0) process.exit(1);

const planned = electronSuiteCommand({
  platform: process.platform,
  env: process.env,
  hasXvfbRun: () => spawnSync('sh', ['-c', 'command -v xvfb-run']).status === 0,
  args: process.argv.slice(2),
});
if ('error' in planned) {
  console.error(planned.error);
  process.exit(1);
}
const [command, ...commandArgs] = planned.command;
const status = run(command, commandArgs, planned.env);

// The latency each run measured: invite reaching main -> incoming window shown (annotation incoming-window-latency-ms).
if (existsSync(report)) {
  const suites = JSON.parse(readFileSync(report, 'utf8')).suites ?? [];
  const walk = (suite) => [...(suite.specs ?? []).flatMap((spec) => spec.tests ?? []), ...(suite.suites ?? []).flatMap(walk)];
  for (const test of suites.flatMap(walk)) {
    const found = [...(test.annotations ?? []), ...(test.results ?? []).flatMap((result) => result.annotations ?? [])];
    const latencies = new Set(found.filter((a) => a.type === 'incoming-window-latency-ms').map((a) => a.description));
    for (const ms of latencies) console.log(`incoming-window-latency-ms: ${ms} (${test.projectName}, ${process.platform})`);
  }
}
process.exit(status);
