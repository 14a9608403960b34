import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { publishArgs } from '../../scripts/publish-args.mjs';
import { createStandInElectron, ELECTRON_41_FUSES } from './stand-in-electron';

/**
 * `electron-builder --dir` for Linux in CI, the way `npm run dist` runs it (scripts/dist.mjs:
 * electron-builder.yml, `--publish never`, the update feed from SOFTPHONE_UPDATE_URL), against a
 * stand-in unpacked Electron (electronDist) whose executable carries Electron 41's fuse wire.
 * A broken electron-builder.yml, a wrong `files` glob, a dependency that should not ship or a
 * failing afterPack fuses hook fails here. The fuses are read back from the packaged binary.
 */
const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const require = createRequire(import.meta.url);
const asar = require('@electron/asar') as { listPackage(path: string, options: object): string[]; extractFile(path: string, file: string): Buffer };
/** The byte of a fuse that is off / on (@electron/fuses FuseState). */
const { FuseState } = require('@electron/fuses/dist/constants') as { FuseState: { DISABLE: number; ENABLE: number } };
const afterPack = require('../../build/after-pack.cjs') as { fuseConfig(platform: string, arch: string): Record<string | number, unknown> };

const work = mkdtempSync(join(tmpdir(), 'softphone-pack-'));
const standIn = createStandInElectron(join(work, 'electron-dist'));

interface Packed {
  appOutDir: string;
  asarPath: string;
  log: string;
  probe: { desktopEntry: string; desktopFileName: string; deb: { name: string; maintainer: string; url: string } };
}

/** Builds what the package is made of when it is missing (the renderer takes ~20 s; `npm test` has built it by now). */
function ensureBuilt(): void {
  if (!existsSync(join(ROOT, 'dist/renderer/index.html'))) run('npm', ['run', '--silent', 'build:renderer']);
  run(process.execPath, ['scripts/build-electron.mjs']);
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): string {
  const result = spawnSync(command, args, { cwd: ROOT, env, encoding: 'utf8' });
  const output = `${result.stdout}\n${result.stderr}`;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${output}`);
  return output;
}

function pack(name: string, updateUrl?: string): Packed {
  const output = join(work, name);
  const { SOFTPHONE_UPDATE_URL: _unset, ...env } = process.env;
  const log = run(
    process.execPath,
    [
      require.resolve('electron-builder/cli.js'),
      '--publish',
      'never',
      ...publishArgs(updateUrl),
      '--dir',
      '--linux',
      '--x64',
      `-c.electronDist=${standIn}`,
      `-c.directories.output=${output}`,
      `-c.afterPack=${join(ROOT, 'test/packaging/probe-after-pack.cjs')}`,
    ],
    env,
  );
  const appOutDir = join(output, 'linux-unpacked');
  return { appOutDir, asarPath: join(appOutDir, 'resources', 'app.asar'), log, probe: JSON.parse(readFileSync(join(output, 'probe.json'), 'utf8')) as Packed['probe'] };
}

let plain: Packed;
let withFeed: Packed;

beforeAll(() => {
  ensureBuilt();
  plain = pack('plain');
  withFeed = pack('feed', 'https://updates.softphone.example/linux');
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('electron-builder --dir (linux) with a stand-in Electron', () => {
  it('packages without SOFTPHONE_UPDATE_URL (no feed, no app-update.yml), and with it (generic feed)', () => {
    expect(existsSync(plain.asarPath)).toBe(true);
    expect(existsSync(join(plain.appOutDir, 'resources', 'app-update.yml'))).toBe(false);
    const feed = readFileSync(join(withFeed.appOutDir, 'resources', 'app-update.yml'), 'utf8');
    expect(feed).toContain('provider: generic');
    expect(feed).toContain('url: https://updates.softphone.example/linux');
  });

  it('the Linux executable is softphone, and the afterPack hook flipped the fuses in it', async () => {
    const binary = join(plain.appOutDir, 'softphone');
    expect(statSync(binary).mode & 0o111).not.toBe(0);
    const wire = (await getCurrentFuseWire(binary)) as Record<string, unknown>;
    const wanted = afterPack.fuseConfig('linux', 'x64');
    for (const option of Object.values(FuseV1Options).filter((v): v is number => typeof v === 'number')) {
      if (wanted[option] === undefined) expect(wire[option]).toBe(ELECTRON_41_FUSES.charCodeAt(option));
      else expect(wire[option], FuseV1Options[option]).toBe(wanted[option] ? FuseState.ENABLE : FuseState.DISABLE);
    }
    expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE);
    // The ninth fuse (WasmTrapHandlers) is newer than @electron/fuses 1.8 and keeps Electron's default.
    expect(wire[8]).toBe(ELECTRON_41_FUSES.charCodeAt(8));
  });

  it('app.asar holds only package.json, the Electron bundles and the renderer build: no node_modules, no source maps', () => {
    const files = asar.listPackage(plain.asarPath, { isPack: false }).map((f) => f.replace(/\\/g, '/'));
    const strays = files.filter((f) => !(f === '/package.json' || f === '/dist' || f.startsWith('/dist/electron') || f.startsWith('/dist/renderer')));
    expect(strays).toEqual([]);
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    for (const needed of ['/dist/electron/main/index.js', '/dist/electron/preload/index.cjs', '/dist/electron/icon.png', '/dist/renderer/index.html', '/dist/electron/tray/tray-ringing.png', '/dist/electron/tray/tray-ringingTemplate.png']) {
      expect(files).toContain(needed);
    }
    expect(statSync(plain.asarPath).size).toBeLessThan(8 * 1024 * 1024);
  });

  it('the shipped main bundle needs nothing but Node built-ins and electron', () => {
    const main = asar.extractFile(plain.asarPath, 'dist/electron/main/index.js').toString('utf8');
    const specifiers = new Set([...main.matchAll(/(?:^|\n)import\s[^;]*?\sfrom\s*"([^"]+)"/g), ...main.matchAll(/__require\("([^"]+)"\)/g)].map((m) => m[1]!));
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    // ws loads these optional native speed-ups inside try/catch and works without them.
    const optional = new Set(['bufferutil', 'utf-8-validate']);
    expect([...specifiers].filter((s) => !builtins.has(s) && s !== 'electron' && !optional.has(s))).toEqual([]);
    const pkg = JSON.parse(asar.extractFile(plain.asarPath, 'package.json').toString('utf8')) as Record<string, unknown>;
    expect(pkg).toMatchObject({ main: 'dist/electron/main/index.js', productName: 'Softphone', desktopName: 'softphone.desktop' });
  });

  it('Linux identity: the .desktop entry matches the app_id Electron derives from desktopName, and deb has its metadata', () => {
    expect(plain.probe.desktopFileName).toBe('softphone');
    const entry = Object.fromEntries(plain.probe.desktopEntry.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    expect(entry).toMatchObject({ Name: 'Softphone', StartupWMClass: 'softphone', Icon: 'softphone', Type: 'Application' });
    expect(entry.Exec).toMatch(/\/softphone %U$/);
    expect(entry.MimeType).toContain('x-scheme-handler/softphone;');
    expect(plain.probe.deb).toMatchObject({ name: 'softphone', maintainer: 'Softphone maintainers <maintainers@softphone.example>', url: 'https://softphone.example/' });
  });
});
