#!/usr/bin/env node
// `npm start`: builds the renderer and the Electron app, starts the local signalling service, and
// starts the desktop app against it. Where the Electron binary is missing (machines that reach
// only the npm registry), it says so in one line, prints the web host's address, and keeps the
// service running so the product is usable in a browser. Ctrl+C stops everything.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronAppArgs, electronBinary } from './electron-binary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 4600);
const serverUrl = `http://${host}:${port}`;
const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts ?? {};

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`npm start: "${[command, ...args].join(' ')}" failed (exit ${result.status}).`);
    process.exit(result.status ?? 1);
  }
}

async function healthy() {
  try {
    const response = await fetch(`${serverUrl}/healthz`, { signal: AbortSignal.timeout(1_000) });
    return response.ok;
  } catch {
    return false;
  }
}

async function waitForHealth(child, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return false;
    if (await healthy()) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

// 1. Build.
if (scripts['build:renderer']) run('npm', ['run', '--silent', 'build:renderer']);
run('node', ['scripts/build-electron.mjs']);

// 2. The signalling service (reused if one already answers on the port).
let server = null;
if (await healthy()) {
  console.log(`Signalling service already running at ${serverUrl}/`);
} else {
  server = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, HOST: host, PORT: String(port), LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
  });
  if (!(await waitForHealth(server))) {
    console.error(`npm start: the signalling service did not become healthy at ${serverUrl}/healthz.`);
    server.kill('SIGTERM');
    process.exit(1);
  }
  console.log(`Signalling service running at ${serverUrl}/`);
}

const stopServer = () => new Promise((resolve) => (server && server.exitCode === null ? (server.once('exit', resolve), server.kill('SIGTERM')) : resolve()));
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => void stopServer().then(() => process.exit(0)));
}

// 3. The desktop app, or the web host's address.
const electron = electronBinary();
if (!('path' in electron)) {
  console.log(`Electron binary not available (${electron.missing}): open the web host in a browser instead: ${serverUrl}/`);
} else {
  // `electron <app folder>` (electronAppArgs): Electron reads package.json, so the app runs as "Softphone".
  const app = spawn(electron.path, electronAppArgs(root), {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, SOFTPHONE_SERVER_URL: serverUrl },
  });
  console.log(`Desktop app started against ${serverUrl}/ (the web host is there too).`);
  app.once('exit', (code) => void stopServer().then(() => process.exit(code ?? 0)));
}
